import { describe, expect, it } from 'vitest'
import session from './__tests__/vectors/session.json' with { type: 'json' }
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { createKeyAgreement, DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS } from './createKeyAgreement.ts'
import { decrypt } from './decrypt.ts'
import { decryptText } from './decryptText.ts'
import { deriveSessionKey } from './deriveSessionKey.ts'
import { encrypt } from './encrypt.ts'
import { exportKey } from './exportKey.ts'
import { generateKey } from './generateKey.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const
const salt = decodeBase64url(session.salt)
const { info } = session

function publicHalf(jwk: JsonWebKey): JsonWebKey {
  const { kty, crv, x, y } = jwk as Required<Pick<JsonWebKey, 'kty' | 'crv' | 'x' | 'y'>>
  return { kty, crv, x, y }
}

const importPrivate = (jwk: JsonWebKey): Promise<CryptoKey> =>
  crypto.subtle.importKey('jwk', jwk, ECDH, false, ['deriveBits'])

describe('deriveSessionKey: the stored node:crypto vector', () => {
  it('derives the same key on both sides, equal to the vector', async () => {
    const alice = await importPrivate(session.alicePrivateJwk)
    const bob = await importPrivate(session.bobPrivateJwk)
    const options = { salt, info, extractable: true }
    const fromAlice = await deriveSessionKey(alice, publicHalf(session.bobPrivateJwk), options)
    const fromBob = await deriveSessionKey(bob, publicHalf(session.alicePrivateJwk), options)
    expect(encodeBase64url(await exportKey(fromAlice))).toBe(session.sessionKey)
    expect(encodeBase64url(await exportKey(fromBob))).toBe(session.sessionKey)
  })

  it('decrypts the envelope node:crypto made, with a non-extractable key', async () => {
    const bob = await importPrivate(session.bobPrivateJwk)
    const key = await deriveSessionKey(bob, publicHalf(session.alicePrivateJwk), { salt, info })
    expect(key.extractable).toBe(false)
    expect(await decryptText(key, session.envelope, { aad: session.aad })).toBe(session.plaintext)
  })

  it('gives an unrelated key for another info or salt', async () => {
    const alice = await importPrivate(session.alicePrivateJwk)
    const peer = publicHalf(session.bobPrivateJwk)
    const otherSalt = new Uint8Array(salt)
    otherSalt[31]! ^= 0x80
    for (const options of [
      { salt, info: `${info} ` },
      { salt: otherSalt, info },
      { salt, info: new TextEncoder().encode(info.toUpperCase()) },
    ]) {
      const key = await deriveSessionKey(alice, peer, options)
      await expect(decrypt(key, session.envelope, { aad: session.aad })).rejects.toMatchObject({
        code: 'ERR_DECRYPTION_FAILED',
      })
    }
    const same = await deriveSessionKey(alice, peer, { salt, info: new TextEncoder().encode(info) })
    expect(await decryptText(same, session.envelope, { aad: session.aad })).toBe(session.plaintext)
  })
})

describe('createKeyAgreement + deriveSessionKey', () => {
  it('lets two fresh parties talk both ways', async () => {
    const client = await createKeyAgreement()
    const server = await createKeyAgreement()
    const sessionSalt = crypto.getRandomValues(new Uint8Array(32))
    const options = { salt: sessionSalt, info: 'moodlens session v1' }
    const clientKey = await deriveSessionKey(client.privateKey, server.publicJwk, options)
    const serverKey = await deriveSessionKey(server.privateKey, client.publicJwk, options)
    const request = await encrypt(clientKey, '{"frame":"..."}', { aad: 'request' })
    expect(await decryptText(serverKey, request, { aad: 'request' })).toBe('{"frame":"..."}')
    const reply = await encrypt(serverKey, '{"mood":"happy"}', { aad: 'reply' })
    expect(await decryptText(clientKey, reply, { aad: 'reply' })).toBe('{"mood":"happy"}')
  })

  it('a third party with its own key pair derives something else', async () => {
    const client = await createKeyAgreement()
    const server = await createKeyAgreement()
    const eve = await createKeyAgreement()
    const options = { salt: new Uint8Array(16).fill(1), info: 'moodlens session v1' }
    const clientKey = await deriveSessionKey(client.privateKey, server.publicJwk, options)
    const eveKey = await deriveSessionKey(eve.privateKey, server.publicJwk, options)
    const envelope = await encrypt(clientKey, 'private')
    await expect(decrypt(eveKey, envelope)).rejects.toMatchObject({ code: 'ERR_DECRYPTION_FAILED' })
  })

  it('publishes only the public members and keeps the private key inside WebCrypto', async () => {
    const pair = await createKeyAgreement()
    expect(Object.keys(pair.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y'])
    expect(pair.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' })
    expect(pair.privateKey.extractable).toBe(false)
    expect(pair.privateKey.algorithm).toEqual(ECDH)
    expect(pair.privateKey.usages).toEqual(['deriveBits'])
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow()
    expect(DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS.extractable).toBe(false)
    const extractable = await createKeyAgreement({ extractable: true })
    expect((await crypto.subtle.exportKey('jwk', extractable.privateKey)).d).toBeTypeOf('string')
  })
})

describe('deriveSessionKey refuses bad keys and options', () => {
  const options = { salt: new Uint8Array(16), info: 'x' }

  it('refuses peer keys that are private, on another curve, or off the curve', async () => {
    const { privateKey } = await createKeyAgreement()
    const peer = publicHalf(session.bobPrivateJwk)
    const y = decodeBase64url(peer.y!)
    y[31]! ^= 1
    const p384 = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true, [
      'deriveBits',
    ])
    const p384Jwk = await crypto.subtle.exportKey('jwk', p384.publicKey)
    for (const bad of [
      session.bobPrivateJwk,
      { ...peer, y: encodeBase64url(y) },
      { ...peer, crv: 'P-384' },
      p384Jwk,
      { kty: 'OKP', crv: 'X25519', x: peer.x },
      { ...peer, x: undefined },
      'not a jwk',
      null,
    ]) {
      await expect(deriveSessionKey(privateKey, bad as JsonWebKey, options)).rejects.toMatchObject({
        code: 'ERR_INVALID_KEY',
      })
    }
  })

  it('refuses private keys that are not ECDH P-256 private keys', async () => {
    const pair = await createKeyAgreement()
    const ecdsa = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
    ])
    for (const key of [pair.publicKey, ecdsa.privateKey, await generateKey(), undefined]) {
      await expect(deriveSessionKey(key as CryptoKey, pair.publicJwk, options)).rejects.toThrow(
        InvalidKeyError,
      )
    }
  })

  it('refuses a missing or short salt and a missing or empty info with TypeError', async () => {
    const pair = await createKeyAgreement()
    const call = (opts: unknown) => deriveSessionKey(pair.privateKey, pair.publicJwk, opts as never)
    await expect(call(undefined)).rejects.toThrow(TypeError)
    await expect(call({ info: 'x' })).rejects.toThrow(/options\.salt/)
    await expect(call({ salt: new Uint8Array(15), info: 'x' })).rejects.toThrow(
      new TypeError('options.salt must be a Uint8Array of at least 16 bytes'),
    )
    await expect(call({ salt: new Uint8Array(16) })).rejects.toThrow(/options\.info/)
    await expect(call({ salt: new Uint8Array(16), info: '' })).rejects.toThrow(
      new TypeError('options.info must not be empty'),
    )
    await expect(call({ salt: new Uint8Array(16), info: 'x', extractable: 1 })).rejects.toThrow(
      /options\.extractable/,
    )
  })
})
