import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from './__tests__/hex.ts'
import gcm from './__tests__/vectors/gcm.json' with { type: 'json' }
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { decrypt } from './decrypt.ts'
import { decryptText } from './decryptText.ts'
import { encrypt } from './encrypt.ts'
import { generateKey } from './generateKey.ts'
import { importKey } from './importKey.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'

const ENVELOPE = /^v1\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/

function envelopeParts(envelope: string): { iv: Uint8Array; sealed: Uint8Array } {
  const match = ENVELOPE.exec(envelope)
  if (!match) throw new Error(`not an envelope: ${envelope}`)
  return { iv: decodeBase64url(match[1]!), sealed: decodeBase64url(match[2]!) }
}

describe('encrypt', () => {
  it('writes v1.<12-byte IV>.<ciphertext and 16-byte tag>', async () => {
    const key = await generateKey()
    const plaintext = new Uint8Array(37).fill(7)
    const { iv, sealed } = envelopeParts(await encrypt(key, plaintext))
    expect(iv).toHaveLength(12)
    expect(sealed).toHaveLength(37 + 16)
  })

  it('round-trips bytes, text and the empty plaintext', async () => {
    const key = await generateKey()
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 256)
    expect(Array.from(await decrypt(key, await encrypt(key, bytes)))).toEqual(Array.from(bytes))
    const text = 'feeling: happy 😊, naïve café'
    expect(await decryptText(key, await encrypt(key, text))).toBe(text)
    expect(await decrypt(key, await encrypt(key, ''))).toHaveLength(0)
    expect(envelopeParts(await encrypt(key, new Uint8Array(0))).sealed).toHaveLength(16)
  })

  it('encodes strings as UTF-8', async () => {
    const key = await generateKey()
    const envelope = await encrypt(key, 'é')
    expect(Array.from(await decrypt(key, envelope))).toEqual([0xc3, 0xa9])
  })

  it('binds additional data, as bytes or UTF-8 text', async () => {
    const key = await generateKey()
    const envelope = await encrypt(key, 'secret', { aad: 'user:42' })
    expect(await decryptText(key, envelope, { aad: 'user:42' })).toBe('secret')
    const bytesAad = new TextEncoder().encode('user:42')
    expect(await decryptText(key, envelope, { aad: bytesAad })).toBe('secret')
  })

  it('accepts a view on part of a larger buffer', async () => {
    const key = await generateKey()
    const buffer = Uint8Array.from({ length: 64 }, (_, i) => i)
    const view = buffer.subarray(10, 20)
    const decrypted = await decrypt(key, await encrypt(key, view))
    expect(Array.from(decrypted)).toEqual(Array.from(view))
  })

  it('refuses keys that are not AES-256-GCM encryption keys', async () => {
    const aes128 = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, [
      'encrypt',
    ])
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const decryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'decrypt',
    ])
    for (const key of [aes128, hmac, decryptOnly, new Uint8Array(32), undefined]) {
      await expect(encrypt(key as CryptoKey, 'x')).rejects.toThrow(InvalidKeyError)
    }
    await expect(encrypt(decryptOnly, 'x')).rejects.toThrow(/not allowed to encrypt/)
    await expect(encrypt(aes128, 'x')).rejects.toMatchObject({ code: 'ERR_INVALID_KEY' })
  })

  it('refuses plaintext and aad of other types with a TypeError naming them', async () => {
    const key = await generateKey()
    await expect(encrypt(key, 42 as unknown as string)).rejects.toThrow(
      new TypeError('plaintext must be a Uint8Array or a string'),
    )
    await expect(encrypt(key, [1, 2] as unknown as Uint8Array)).rejects.toThrow(TypeError)
    await expect(encrypt(key, 'x', { aad: 42 as unknown as string })).rejects.toThrow(
      new TypeError('options.aad must be a Uint8Array or a string'),
    )
    await expect(encrypt(key, 'x', 'aad' as never)).rejects.toThrow(
      new TypeError('options must be an object'),
    )
  })
})

describe('AES-256-GCM known answers (McGrew & Viega test cases 13-16)', () => {
  it.each(gcm.cases)('$name decrypts through the envelope', async (vector) => {
    const key = await importKey(fromHex(vector.key))
    const sealed = fromHex(vector.ciphertext + vector.tag)
    const envelope = `v1.${encodeBase64url(fromHex(vector.iv))}.${encodeBase64url(sealed)}`
    const options = vector.aad === '' ? {} : { aad: fromHex(vector.aad) }
    expect(toHex(await decrypt(key, envelope, options))).toBe(vector.plaintext)
  })

  it('test case 16 fails without its additional data', async () => {
    const vector = gcm.cases.find(({ name }) => name === 'Test Case 16')!
    const key = await importKey(fromHex(vector.key))
    const sealed = fromHex(vector.ciphertext + vector.tag)
    const envelope = `v1.${encodeBase64url(fromHex(vector.iv))}.${encodeBase64url(sealed)}`
    await expect(decrypt(key, envelope)).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' })
  })
})

describe('encrypt / decrypt properties', () => {
  it('decrypt(encrypt(x, aad), aad) is x for any bytes and additional data', async () => {
    const key = await generateKey()
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.option(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 64 })), {
          nil: undefined,
        }),
        async (plaintext, aad) => {
          const options = aad === undefined ? {} : { aad }
          const decrypted = await decrypt(key, await encrypt(key, plaintext, options), options)
          expect(Array.from(decrypted)).toEqual(Array.from(plaintext))
        },
      ),
    )
  })

  it('decryptText(encrypt(s)) is s for any string of well-formed Unicode', async () => {
    const key = await generateKey()
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 100 }), async (text) => {
        expect(await decryptText(key, await encrypt(key, text))).toBe(text)
      }),
    )
  })

  it('never reuses an IV: two encryptions of one plaintext differ', async () => {
    const key = await generateKey()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (plaintext) => {
        const first = envelopeParts(await encrypt(key, plaintext))
        const second = envelopeParts(await encrypt(key, plaintext))
        expect(toHex(first.iv)).not.toBe(toHex(second.iv))
        expect(toHex(first.sealed)).not.toBe(toHex(second.sealed))
      }),
    )
  })

  it('draws 2,000 distinct IVs for 2,000 encryptions of the same plaintext', async () => {
    const key = await generateKey()
    const ivs = new Set<string>()
    for (let i = 0; i < 2000; i++) ivs.add(toHex(envelopeParts(await encrypt(key, 'same')).iv))
    expect(ivs.size).toBe(2000)
  })
})
