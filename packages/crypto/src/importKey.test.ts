import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { decryptText } from './decryptText.ts'
import { encrypt } from './encrypt.ts'
import { exportKey } from './exportKey.ts'
import { DEFAULT_GENERATE_KEY_OPTIONS, generateKey } from './generateKey.ts'
import { DEFAULT_IMPORT_KEY_OPTIONS, importKey } from './importKey.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'

const RAW = Uint8Array.from({ length: 32 }, (_, i) => i * 7)

describe('generateKey', () => {
  it('makes a non-extractable AES-256-GCM key by default', async () => {
    const key = await generateKey()
    expect(key.algorithm).toEqual({ name: 'AES-GCM', length: 256 })
    expect(key.extractable).toBe(false)
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt'])
    await expect(exportKey(key)).rejects.toThrow(InvalidKeyError)
    await expect(exportKey(key)).rejects.toThrow(/not extractable/)
    expect(DEFAULT_GENERATE_KEY_OPTIONS).toEqual({ extractable: false })
    expect(Object.isFrozen(DEFAULT_GENERATE_KEY_OPTIONS)).toBe(true)
  })

  it('makes extractable keys on request, each one new', async () => {
    const first = await exportKey(await generateKey({ extractable: true }))
    const second = await exportKey(await generateKey({ extractable: true }))
    expect(first).toHaveLength(32)
    expect(encodeBase64url(first)).not.toBe(encodeBase64url(second))
  })

  it('refuses malformed options with a TypeError naming them', async () => {
    await expect(generateKey({ extractable: 'yes' as unknown as boolean })).rejects.toThrow(
      new TypeError('options.extractable must be a boolean'),
    )
    await expect(generateKey(null as never)).rejects.toThrow(TypeError)
  })
})

describe('importKey / exportKey', () => {
  it('imports 32 raw bytes and exports them back', async () => {
    const key = await importKey(RAW, { extractable: true })
    expect(Array.from(await exportKey(key))).toEqual(Array.from(RAW))
    expect(key.algorithm).toEqual({ name: 'AES-GCM', length: 256 })
  })

  it('does not make imported keys extractable unless asked', async () => {
    const key = await importKey(RAW)
    expect(key.extractable).toBe(false)
    expect(DEFAULT_IMPORT_KEY_OPTIONS.extractable).toBe(false)
  })

  it('copies the bytes: changing the caller buffer later changes nothing', async () => {
    const raw = new Uint8Array(RAW)
    const key = await importKey(raw, { extractable: true })
    raw.fill(0)
    expect(Array.from(await exportKey(key))).toEqual(Array.from(RAW))
  })

  it.each([0, 16, 24, 31, 33, 64])('refuses %i raw bytes with ERR_INVALID_KEY', async (length) => {
    const attempt = importKey(new Uint8Array(length))
    await expect(attempt).rejects.toThrow(InvalidKeyError)
    await expect(importKey(new Uint8Array(length))).rejects.toMatchObject({
      code: 'ERR_INVALID_KEY',
      message: `An AES-256 key needs 32 bytes, got ${length}`,
    })
  })

  it('round-trips a JWK, and keys imported either way interoperate', async () => {
    const key = await importKey(RAW, { extractable: true })
    const jwk = await exportKey(key, { format: 'jwk' })
    expect(jwk).toMatchObject({ kty: 'oct', alg: 'A256GCM', k: encodeBase64url(RAW) })
    const fromJwk = await importKey(jwk)
    expect(await decryptText(fromJwk, await encrypt(key, 'interoperable'))).toBe('interoperable')
    expect(await importKey({ kty: 'oct', k: encodeBase64url(RAW) })).toBeDefined()
  })

  it.each([
    ['another kty', { kty: 'EC', k: encodeBase64url(RAW) }],
    ['no k', { kty: 'oct' }],
    ['a 16-byte k', { kty: 'oct', k: encodeBase64url(new Uint8Array(16)) }],
    ['a k that is not base64url', { kty: 'oct', k: `${encodeBase64url(RAW)}=` }],
    ['alg A128GCM', { kty: 'oct', alg: 'A128GCM', k: encodeBase64url(RAW) }],
    ['alg HS256', { kty: 'oct', alg: 'HS256', k: encodeBase64url(RAW) }],
    ['use sig', { kty: 'oct', use: 'sig', k: encodeBase64url(RAW) }],
    ['key_ops without decrypt', { kty: 'oct', key_ops: ['encrypt'], k: encodeBase64url(RAW) }],
  ])('refuses a JWK with %s', async (_, jwk) => {
    await expect(importKey(jwk as JsonWebKey)).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' })
  })

  it("honours a JWK's ext: false", async () => {
    const jwk = { kty: 'oct', ext: false, k: encodeBase64url(RAW) }
    await expect(importKey(jwk)).resolves.toBeDefined()
    await expect(importKey(jwk, { extractable: true })).rejects.toThrow(InvalidKeyError)
  })

  it('refuses what is neither bytes nor a JWK', async () => {
    for (const raw of ['a'.repeat(32), null, 42, undefined]) {
      await expect(importKey(raw as unknown as Uint8Array)).rejects.toThrow(InvalidKeyError)
    }
  })

  it('exportKey refuses other keys, and unknown formats with TypeError', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign'])
    await expect(exportKey(hmac)).rejects.toThrow(InvalidKeyError)
    const key = await importKey(RAW, { extractable: true })
    await expect(exportKey(key, { format: 'pem' as 'raw' })).rejects.toThrow(TypeError)
    expect(Array.from(await exportKey(key, { format: 'raw' }))).toEqual(Array.from(RAW))
  })

  it('imports a key that exportKey wrote as base64url text', async () => {
    const original = await generateKey({ extractable: true })
    const stored = encodeBase64url(await exportKey(original))
    const restored = await importKey(decodeBase64url(stored))
    expect(await decryptText(restored, await encrypt(original, 'restored'))).toBe('restored')
  })
})
