import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { decrypt } from './decrypt.ts'
import { decryptJson } from './decryptJson.ts'
import { DecryptionFailedError } from './DecryptionFailedError.ts'
import { decryptText } from './decryptText.ts'
import { encrypt } from './encrypt.ts'
import { generateKey } from './generateKey.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'

/** Every failure must look the same: one class, one code, one message, no cause. */
async function expectOpaqueFailure(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(DecryptionFailedError)
  const failure = error as DecryptionFailedError
  expect(failure.code).toBe('ERR_DECRYPTION_FAILED')
  expect(failure.message).toBe('Decryption failed')
  expect(failure.cause).toBeUndefined()
}

async function fixture() {
  const key = await generateKey()
  const aad = 'record:7'
  const envelope = await encrypt(key, 'twenty-four bytes long!!', { aad })
  const [, ivPart, sealedPart] = envelope.split('.')
  return {
    key,
    aad,
    envelope,
    iv: decodeBase64url(ivPart!),
    sealed: decodeBase64url(sealedPart!),
  }
}

const build = (iv: Uint8Array, sealed: Uint8Array, version = 'v1'): string =>
  `${version}.${encodeBase64url(iv)}.${encodeBase64url(sealed)}`

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes)
  copy[bit >> 3]! ^= 1 << (bit & 7)
  return copy
}

describe('decrypt rejects every damaged envelope with ERR_DECRYPTION_FAILED', () => {
  it('accepts the undamaged fixture (so the failures below are caused by the damage)', async () => {
    const { key, aad, envelope } = await fixture()
    expect(await decryptText(key, envelope, { aad })).toBe('twenty-four bytes long!!')
  })

  it('fails for every single-bit flip of the IV', async () => {
    const { key, aad, iv, sealed } = await fixture()
    for (let bit = 0; bit < iv.length * 8; bit++) {
      await expectOpaqueFailure(decrypt(key, build(flipBit(iv, bit), sealed), { aad }))
    }
  })

  it('fails for every single-bit flip of the ciphertext and of the tag', async () => {
    const { key, aad, iv, sealed } = await fixture()
    expect(sealed.length).toBe(24 + 16)
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      await expectOpaqueFailure(decrypt(key, build(iv, flipBit(sealed, bit)), { aad }))
    }
  })

  it('fails for every truncation of the sealed bytes and of the envelope text', async () => {
    const { key, aad, iv, sealed, envelope } = await fixture()
    for (let length = 0; length < sealed.length; length++) {
      await expectOpaqueFailure(decrypt(key, build(iv, sealed.subarray(0, length)), { aad }))
    }
    for (let length = 0; length < envelope.length; length++) {
      await expectOpaqueFailure(decrypt(key, envelope.slice(0, length), { aad }))
    }
  })

  it('fails for bytes appended to the ciphertext', async () => {
    const { key, aad, iv, sealed } = await fixture()
    const longer = new Uint8Array(sealed.length + 1)
    longer.set(sealed)
    await expectOpaqueFailure(decrypt(key, build(iv, longer), { aad }))
  })

  it('fails for wrong, missing or unexpected additional data', async () => {
    const { key, envelope } = await fixture()
    await expectOpaqueFailure(decrypt(key, envelope, { aad: 'record:8' }))
    await expectOpaqueFailure(decrypt(key, envelope))
    await expectOpaqueFailure(decrypt(key, envelope, { aad: 'record:7 ' }))
    const plain = await encrypt(key, 'no aad')
    await expectOpaqueFailure(decrypt(key, plain, { aad: 'record:7' }))
  })

  it('fails under another key', async () => {
    const { aad, envelope } = await fixture()
    await expectOpaqueFailure(decrypt(await generateKey(), envelope, { aad }))
  })

  it('fails for any version but v1', async () => {
    const { key, aad, iv, sealed } = await fixture()
    for (const version of ['v2', 'v0', 'V1', 'v', '', 'v1 ', 'v11']) {
      await expectOpaqueFailure(decrypt(key, build(iv, sealed, version), { aad }))
    }
  })

  it('fails for bad base64url in either part', async () => {
    const { key, aad, envelope } = await fixture()
    const [version, ivPart, sealedPart] = envelope.split('.') as [string, string, string]
    const variants = [
      `${version}.${ivPart}=.${sealedPart}`,
      `${version}.${ivPart}.${sealedPart}==`,
      `${version}.${ivPart.replace(/.$/, '+')}.${sealedPart}`,
      `${version}.${ivPart}.${sealedPart.replace(/^./, '/')}`,
      `${version}.${ivPart}.${sealedPart.slice(0, 10)} ${sealedPart.slice(10)}`,
      `${version}.${ivPart}.${sealedPart}\n`,
    ]
    for (const variant of variants) await expectOpaqueFailure(decrypt(key, variant, { aad }))
  })

  it('fails when the IV is not 12 bytes', async () => {
    const { key, aad, iv, sealed } = await fixture()
    for (const length of [0, 8, 11, 13, 16]) {
      const other = new Uint8Array(length)
      other.set(iv.subarray(0, Math.min(length, iv.length)))
      await expectOpaqueFailure(decrypt(key, build(other, sealed), { aad }))
    }
  })

  it('fails when the tag is missing', async () => {
    const { key, aad, iv, sealed } = await fixture()
    await expectOpaqueFailure(decrypt(key, build(iv, sealed.subarray(0, 24)), { aad }))
    await expectOpaqueFailure(decrypt(key, `v1.${encodeBase64url(iv)}.`, { aad }))
    await expectOpaqueFailure(decrypt(key, `v1.${encodeBase64url(iv)}`, { aad }))
  })

  it('fails for extra or missing parts', async () => {
    const { key, aad, envelope } = await fixture()
    for (const variant of [
      `${envelope}.`,
      `${envelope}.AAAA`,
      `x.${envelope}`,
      envelope.replace('.', '..'),
      envelope.split('.').slice(1).join('.'),
      'v1',
      '',
    ]) {
      await expectOpaqueFailure(decrypt(key, variant, { aad }))
    }
  })

  it('fails when the IV of one envelope is paired with the ciphertext of another', async () => {
    const { key, aad, sealed } = await fixture()
    const other = await encrypt(key, 'twenty-four bytes long!!', { aad })
    const otherIv = decodeBase64url(other.split('.')[1]!)
    await expectOpaqueFailure(decrypt(key, build(otherIv, sealed), { aad }))
  })

  it('fails, rather than throwing TypeError, for envelopes that are not strings', async () => {
    const { key } = await fixture()
    for (const value of [undefined, null, 42, {}, ['v1', 'a', 'b'], new Uint8Array(40)]) {
      await expectOpaqueFailure(decrypt(key, value as unknown as string))
    }
  })

  it('decryptText and decryptJson fail the same way for damage', async () => {
    const { key, aad, iv, sealed } = await fixture()
    const damaged = build(iv, flipBit(sealed, 0))
    await expectOpaqueFailure(decryptText(key, damaged, { aad }))
    await expectOpaqueFailure(decryptJson(key, damaged, { aad }))
  })

  it('decryptText fails for authentic plaintext that is not UTF-8', async () => {
    const key = await generateKey()
    await expectOpaqueFailure(decryptText(key, await encrypt(key, new Uint8Array([0xff, 0xfe]))))
    await expectOpaqueFailure(decryptText(key, await encrypt(key, new Uint8Array([0xc3]))))
  })

  it('decryptJson fails without quoting the plaintext', async () => {
    const key = await generateKey()
    const promise = decryptJson(key, await encrypt(key, 'secret diary entry'))
    await expectOpaqueFailure(promise)
    await promise.catch((error: unknown) => {
      expect(String(error)).not.toContain('secret')
    })
  })
})

describe('decrypt reports misuse plainly', () => {
  it('refuses keys that are not AES-256-GCM decryption keys with InvalidKeyError', async () => {
    const { envelope } = await fixture()
    const encryptOnly = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
    ])
    await expect(decrypt(encryptOnly, envelope)).rejects.toThrow(InvalidKeyError)
    await expect(decrypt('key' as unknown as CryptoKey, envelope)).rejects.toThrow(InvalidKeyError)
  })

  it('refuses aad of another type with TypeError, whatever the envelope', async () => {
    const { key } = await fixture()
    await expect(decrypt(key, 'garbage', { aad: 1 as unknown as string })).rejects.toThrow(
      TypeError,
    )
  })
})
