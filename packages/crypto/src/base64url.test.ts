import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import rfc4648 from './__tests__/vectors/rfc4648.json' with { type: 'json' }
import { decodeBase64url, encodeBase64url, tryDecodeBase64url } from './base64url.ts'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('encodeBase64url / decodeBase64url', () => {
  it.each(rfc4648.cases)('matches RFC 4648 for "$text"', ({ text, base64url }) => {
    expect(encodeBase64url(utf8(text))).toBe(base64url)
    expect(new TextDecoder().decode(decodeBase64url(base64url))).toBe(text)
  })

  it('uses the URL-safe alphabet', () => {
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
    expect(Array.from(decodeBase64url('-_8'))).toEqual([0xfb, 0xff])
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    const encoded = encodeBase64url(all)
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(encoded).toHaveLength(342)
    expect(Array.from(decodeBase64url(encoded))).toEqual(Array.from(all))
  })

  it.each([
    ['padding', 'Zg=='],
    ['single padding', 'Zm8='],
    ['standard alphabet +', 'Zm9v+A'],
    ['standard alphabet /', 'Zm9v/A'],
    ['whitespace', 'Zm9v Yg'],
    ['newline', 'Zm9v\nYg'],
    ['a dot', 'Zm9v.Yg'],
    ['non-ASCII', 'Zm9vé'],
    ['a code unit above 127 that truncates to a valid one', 'Zm9v\u0141'],
    ['impossible length', 'Z'],
    ['impossible length after a full group', 'Zm9vY'],
    ['non-zero trailing bits (2 chars)', 'Zh'],
    ['non-zero trailing bits (3 chars)', 'Zm9'],
  ])('rejects %s', (_, text) => {
    expect(tryDecodeBase64url(text)).toBeUndefined()
    expect(() => decodeBase64url(text)).toThrow(SyntaxError)
  })

  it('rejects non-string and non-Uint8Array input with TypeError', () => {
    expect(() => decodeBase64url(42 as unknown as string)).toThrow(TypeError)
    expect(() => encodeBase64url('foo' as unknown as Uint8Array)).toThrow(TypeError)
  })

  it('round-trips any bytes, canonically', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeBase64url(bytes)
        expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/)
        expect(encoded).toHaveLength(Math.ceil((bytes.length * 4) / 3))
        expect(Array.from(decodeBase64url(encoded))).toEqual(Array.from(bytes))
      }),
    )
  })
})
