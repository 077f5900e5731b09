import { describe, expect, it } from 'vitest'
import { omit } from './__tests__/omit.ts'
import { generateTestKeys, testClock } from './__tests__/tokenKeys.ts'
import rfc7515 from './__tests__/vectors/rfc7515.json' with { type: 'json' }
import rfc8037 from './__tests__/vectors/rfc8037.json' with { type: 'json' }
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import {
  createTokenService,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  type TokenServiceOptions,
} from './createTokenService.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'
import type { TokenAlgorithm } from './normalizeTokenKey.ts'
import { TokenExpiredError } from './TokenExpiredError.ts'
import { TokenInvalidError } from './TokenInvalidError.ts'

const ALGORITHMS: readonly TokenAlgorithm[] = ['HS256', 'ES256', 'EdDSA']
const RFC_EXP = rfc7515.payload.exp
const beforeRfcExpiry = () => new Date((RFC_EXP - 60) * 1000)

const publicJwk = (jwk: JsonWebKey): JsonWebKey => omit(jwk, 'd')

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index]!
  return JSON.parse(new TextDecoder().decode(decodeBase64url(part))) as Record<string, unknown>
}

describe('RFC 7515 known answers', () => {
  it('verifies the A.1 HS256 token with its key', async () => {
    const tokens = createTokenService({
      alg: 'HS256',
      issuer: 'joe',
      verificationKeys: [{ key: rfc7515.hs256.jwk }],
      now: beforeRfcExpiry,
    })
    const claims = await tokens.verify(rfc7515.hs256.token)
    expect(claims).toEqual({ ...rfc7515.payload, roles: [] })
  })

  it('verifies the A.3 ES256 token with the public half of its key', async () => {
    const tokens = createTokenService({
      alg: 'ES256',
      issuer: 'joe',
      verificationKeys: [{ key: publicJwk(rfc7515.es256.jwk) }],
      now: beforeRfcExpiry,
    })
    expect(await tokens.verify(rfc7515.es256.token)).toEqual({ ...rfc7515.payload, roles: [] })
  })

  it('derives the A.3 verification key from the private JWK, and signs with it', async () => {
    const tokens = createTokenService({
      alg: 'ES256',
      issuer: 'joe',
      signingKey: { key: rfc7515.es256.jwk },
      now: beforeRfcExpiry,
    })
    expect(await tokens.verify(rfc7515.es256.token)).toMatchObject({ iss: 'joe' })
    const fresh = await tokens.sign({ sub: 'joe' })
    // Verifies under the public x and y alone: the RFC's d belongs to them.
    const publicOnly = createTokenService({
      alg: 'ES256',
      issuer: 'joe',
      verificationKeys: [{ key: publicJwk(rfc7515.es256.jwk) }],
      now: beforeRfcExpiry,
    })
    expect(await publicOnly.verify(fresh)).toMatchObject({ sub: 'joe', iss: 'joe' })
  })

  it('finds both RFC tokens expired by today', async () => {
    const hs = createTokenService({
      alg: 'HS256',
      issuer: 'joe',
      verificationKeys: [{ key: rfc7515.hs256.jwk }],
    })
    await expect(hs.verify(rfc7515.hs256.token)).rejects.toThrow(TokenExpiredError)
    const es = createTokenService({
      alg: 'ES256',
      issuer: 'joe',
      verificationKeys: [{ key: publicJwk(rfc7515.es256.jwk) }],
    })
    await expect(es.verify(rfc7515.es256.token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_EXPIRED',
    })
  })

  it('applies the clock tolerance exactly at the boundary', async () => {
    const clock = testClock('2011-03-22T00:00:00Z')
    const strict = createTokenService({
      alg: 'HS256',
      issuer: 'joe',
      verificationKeys: [{ key: rfc7515.hs256.jwk }],
      clockTolerance: 0,
      now: clock.now,
    })
    clock.set(RFC_EXP - 1)
    await expect(strict.verify(rfc7515.hs256.token)).resolves.toBeDefined()
    clock.set(RFC_EXP)
    await expect(strict.verify(rfc7515.hs256.token)).rejects.toThrow(TokenExpiredError)

    const tolerant = createTokenService({
      alg: 'HS256',
      issuer: 'joe',
      verificationKeys: [{ key: rfc7515.hs256.jwk }],
      now: clock.now,
    })
    clock.set(RFC_EXP + DEFAULT_CLOCK_TOLERANCE_SECONDS - 1)
    await expect(tolerant.verify(rfc7515.hs256.token)).resolves.toBeDefined()
    clock.set(RFC_EXP + DEFAULT_CLOCK_TOLERANCE_SECONDS)
    await expect(tolerant.verify(rfc7515.hs256.token)).rejects.toThrow(TokenExpiredError)
  })

  it('rejects the A.1 token signed with a different secret', async () => {
    const tokens = createTokenService({
      alg: 'HS256',
      issuer: 'joe',
      verificationKeys: [{ key: crypto.getRandomValues(new Uint8Array(64)) }],
      now: beforeRfcExpiry,
    })
    await expect(tokens.verify(rfc7515.hs256.token)).rejects.toThrow(TokenInvalidError)
  })
})

describe('Ed25519 support (RFC 8037 A.4)', () => {
  const [header, payload, signature] = rfc8037.jws.split('.') as [string, string, string]
  const input = new TextEncoder().encode(`${header}.${payload}`)

  it('WebCrypto here reproduces the RFC signature exactly and verifies it', async () => {
    const privateKey = await crypto.subtle.importKey('jwk', rfc8037.jwk, 'Ed25519', false, ['sign'])
    const ours = new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, input))
    expect(Array.from(ours)).toEqual(Array.from(decodeBase64url(signature)))
    const publicKey = await crypto.subtle.importKey(
      'jwk',
      publicJwk(rfc8037.jwk),
      'Ed25519',
      false,
      ['verify'],
    )
    expect(
      await crypto.subtle.verify('Ed25519', publicKey, decodeBase64url(signature), input),
    ).toBe(true)
  })

  it('an EdDSA service signs with the RFC key and verifies with its public half', async () => {
    const signer = createTokenService({
      alg: 'EdDSA',
      issuer: 'rfc8037',
      signingKey: { key: rfc8037.jwk },
    })
    const verifier = createTokenService({
      alg: 'EdDSA',
      issuer: 'rfc8037',
      verificationKeys: [{ key: publicJwk(rfc8037.jwk) }],
    })
    const token = await signer.sign({ sub: 'ed' })
    expect(decodePart(token, 0)).toEqual({ alg: 'EdDSA', typ: 'JWT' })
    expect(await verifier.verify(token)).toMatchObject({ sub: 'ed' })
  })
})

describe.each(ALGORITHMS)('%s token service', (alg) => {
  it('signs and verifies with CryptoKeys', async () => {
    const keys = await generateTestKeys(alg)
    const clock = testClock('2025-06-01T12:00:00Z')
    const tokens = createTokenService({
      alg,
      issuer: 'https://auth.moodlens.test',
      audience: 'moodlens-api',
      signingKey: { kid: 'k1', key: keys.signing },
      verificationKeys: [{ kid: 'k1', key: keys.verification }],
      ttl: 600,
      now: clock.now,
    })
    const token = await tokens.sign({ sub: 'user-42', roles: ['listener'], plan: 'free' })
    expect(token.split('.')).toHaveLength(3)
    expect(decodePart(token, 0)).toEqual({ alg, typ: 'JWT', kid: 'k1' })
    const iat = Date.parse('2025-06-01T12:00:00Z') / 1000
    const expected = {
      sub: 'user-42',
      roles: ['listener'],
      plan: 'free',
      iss: 'https://auth.moodlens.test',
      aud: 'moodlens-api',
      iat,
      exp: iat + 600,
    }
    expect(decodePart(token, 1)).toEqual(expected)
    expect(await tokens.verify(token)).toEqual(expected)
    expect(tokens.alg).toBe(alg)
  })

  it('signs and verifies with JWKs, deriving the verification key', async () => {
    const keys = await generateTestKeys(alg)
    const tokens = createTokenService({
      alg,
      issuer: 'iss',
      signingKey: { key: keys.privateJwk },
    })
    const claims = await tokens.verify(await tokens.sign())
    expect(claims.roles).toEqual([])
    expect(claims.exp - claims.iat!).toBe(DEFAULT_TOKEN_TTL_SECONDS)
    const verifyOnly = createTokenService({
      alg,
      issuer: 'iss',
      verificationKeys: [{ key: keys.publicJwk }],
    })
    await expect(verifyOnly.verify(await tokens.sign({ sub: 'a' }))).resolves.toMatchObject({
      sub: 'a',
    })
    await expect(verifyOnly.sign({})).rejects.toThrow(/no signingKey/)
  })

  it('writes several audiences and accepts a token naming any configured one', async () => {
    const keys = await generateTestKeys(alg)
    const base = { alg, issuer: 'iss', signingKey: { key: keys.privateJwk } } as const
    const multi = createTokenService({ ...base, audience: ['web', 'api'] })
    const token = await multi.sign()
    expect(decodePart(token, 1).aud).toEqual(['web', 'api'])
    await expect(
      createTokenService({ ...base, audience: 'api' }).verify(token),
    ).resolves.toMatchObject({ aud: ['web', 'api'] })
  })

  it('rotates keys: verifies tokens of the old and the new key by kid', async () => {
    const [older, newer] = await Promise.all([generateTestKeys(alg), generateTestKeys(alg)])
    const before = createTokenService({
      alg,
      issuer: 'iss',
      signingKey: { kid: '2025-01', key: older.privateJwk },
    })
    const during = createTokenService({
      alg,
      issuer: 'iss',
      signingKey: { kid: '2025-06', key: newer.privateJwk },
      verificationKeys: [
        { kid: '2025-06', key: newer.publicJwk },
        { kid: '2025-01', key: older.publicJwk },
      ],
    })
    const after = createTokenService({
      alg,
      issuer: 'iss',
      verificationKeys: [{ kid: '2025-06', key: newer.publicJwk }],
    })
    const oldToken = await before.sign({ sub: 'old' })
    const newToken = await during.sign({ sub: 'new' })
    expect(decodePart(newToken, 0).kid).toBe('2025-06')
    expect(await during.verify(oldToken)).toMatchObject({ sub: 'old' })
    expect(await during.verify(newToken)).toMatchObject({ sub: 'new' })
    expect(await after.verify(newToken)).toMatchObject({ sub: 'new' })
    await expect(after.verify(oldToken)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      message: expect.stringMatching(/kid/) as string,
    })
  })

  it('tries every key for a token without kid, and keys without kid for any kid', async () => {
    const [first, second] = await Promise.all([generateTestKeys(alg), generateTestKeys(alg)])
    const unlabelled = createTokenService({
      alg,
      issuer: 'iss',
      signingKey: { key: second.privateJwk },
    })
    const labelled = createTokenService({
      alg,
      issuer: 'iss',
      signingKey: { kid: 'other', key: second.privateJwk },
    })
    const verifier = createTokenService({
      alg,
      issuer: 'iss',
      verificationKeys: [{ kid: 'first', key: first.publicJwk }, { key: second.publicJwk }],
    })
    expect(await verifier.verify(await unlabelled.sign({ sub: 'a' }))).toMatchObject({ sub: 'a' })
    expect(await verifier.verify(await labelled.sign({ sub: 'b' }))).toMatchObject({ sub: 'b' })
  })
})

describe('createTokenService options', () => {
  const secret = new Uint8Array(32).fill(9)
  const valid: TokenServiceOptions = { alg: 'HS256', issuer: 'iss', signingKey: { key: secret } }

  it.each([
    [{ alg: 'none' }, /options\.alg must be one of HS256, ES256, EdDSA/],
    [{ alg: 'RS256' }, /options\.alg/],
    [{ alg: 'hs256' }, /options\.alg/],
    [{ issuer: '' }, /options\.issuer/],
    [{ issuer: undefined }, /options\.issuer/],
    [{ audience: '' }, /options\.audience/],
    [{ audience: [] }, /options\.audience/],
    [{ audience: ['a', 3] }, /options\.audience/],
    [{ ttl: 0 }, /options\.ttl/],
    [{ ttl: -60 }, /options\.ttl/],
    [{ ttl: 1.5 }, /options\.ttl/],
    [{ ttl: '15m' }, /options\.ttl/],
    [{ clockTolerance: MAX_CLOCK_TOLERANCE_SECONDS + 1 }, /options\.clockTolerance/],
    [{ clockTolerance: -1 }, /options\.clockTolerance/],
    [{ clockTolerance: Number.NaN }, /options\.clockTolerance/],
    [{ now: new Date() }, /options\.now/],
    [{ signingKey: undefined }, /options\.signingKey or options\.verificationKeys is required/],
    [{ verificationKeys: [] }, /options\.verificationKeys/],
    [{ signingKey: secret }, /options\.signingKey must be an object \{ kid\?, key \}/],
    [{ signingKey: { kid: '', key: secret } }, /options\.signingKey\.kid/],
  ])('throws TypeError at once for %j', (change, message) => {
    const create = () => createTokenService({ ...valid, ...change } as TokenServiceOptions)
    expect(create).toThrow(TypeError)
    expect(create).toThrow(message)
  })

  it('accepts the largest clock tolerance', () => {
    expect(createTokenService({ ...valid, clockTolerance: 30 }).alg).toBe('HS256')
  })

  it('throws InvalidKeyError at once for keys that do not suit the algorithm', async () => {
    const es = await generateTestKeys('ES256')
    const ed = await generateTestKeys('EdDSA')
    const hmac384 = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-384' }, false, [
      'sign',
    ])
    const hmacVerifyOnly = await crypto.subtle.importKey(
      'raw',
      secret,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    )
    const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair
    const cases: [TokenServiceOptions, RegExp][] = [
      [{ ...valid, signingKey: { key: new Uint8Array(31) } }, /at least 32 bytes, got 31/],
      [{ ...valid, signingKey: { key: { kty: 'oct', k: 'AAAA' } } }, /at least 32 bytes, got 3/],
      [{ ...valid, signingKey: { key: hmac384 } }, /HMAC SHA-256/],
      [{ ...valid, signingKey: { key: hmacVerifyOnly } }, /not allowed to sign/],
      [{ ...valid, signingKey: { key: es.privateJwk } }, /kty oct/],
      [{ alg: 'ES256', issuer: 'i', signingKey: { key: secret } }, /only an HS256 secret/],
      [{ alg: 'ES256', issuer: 'i', signingKey: { key: ed.privateJwk } }, /kty EC P-256/],
      [{ alg: 'ES256', issuer: 'i', signingKey: { key: es.publicJwk } }, /private JWK/],
      [{ alg: 'ES256', issuer: 'i', verificationKeys: [{ key: es.privateJwk }] }, /must be public/],
      [
        { alg: 'ES256', issuer: 'i', verificationKeys: [{ key: es.signing as CryptoKey }] },
        /verify needs a public key/,
      ],
      [{ alg: 'ES256', issuer: 'i', signingKey: { key: p384.privateKey } }, /P-256 ECDSA/],
      [{ alg: 'ES256', issuer: 'i', signingKey: { key: ed.signing as CryptoKey } }, /P-256/],
      [
        { alg: 'ES256', issuer: 'i', signingKey: { key: { ...es.privateJwk, alg: 'ES384' } } },
        /for ES384, not ES256/,
      ],
      [{ alg: 'EdDSA', issuer: 'i', signingKey: { key: es.privateJwk } }, /OKP Ed25519/],
      [
        { alg: 'EdDSA', issuer: 'i', verificationKeys: [{ key: es.verification as CryptoKey }] },
        /Ed25519/,
      ],
      [
        { alg: 'EdDSA', issuer: 'i', signingKey: { key: 'secret' as never } },
        /must be a CryptoKey/,
      ],
    ]
    for (const [options, message] of cases) {
      expect(() => createTokenService(options)).toThrow(InvalidKeyError)
      expect(() => createTokenService(options)).toThrow(message)
    }
  })

  it('requires verificationKeys when an asymmetric signing key is a CryptoKey', async () => {
    const es = await generateTestKeys('ES256')
    const create = () =>
      createTokenService({ alg: 'ES256', issuer: 'i', signingKey: { key: es.signing } })
    expect(create).toThrow(TypeError)
    expect(create).toThrow(/options\.verificationKeys is required/)
  })

  it('refuses claims the service sets, and malformed claims, with TypeError', async () => {
    const tokens = createTokenService(valid)
    for (const claim of ['iss', 'aud', 'exp', 'iat']) {
      await expect(tokens.sign({ [claim]: 1 })).rejects.toThrow(
        new TypeError(`claims.${claim} is set by the token service and cannot be given`),
      )
    }
    await expect(tokens.sign({ sub: 42 } as never)).rejects.toThrow(/claims\.sub/)
    await expect(tokens.sign({ roles: 'admin' } as never)).rejects.toThrow(/claims\.roles/)
    await expect(tokens.sign({ roles: ['a', 1] } as never)).rejects.toThrow(/claims\.roles/)
    await expect(tokens.sign({ nbf: 'soon' } as never)).rejects.toThrow(/claims\.nbf/)
    await expect(tokens.sign({ jti: 7 } as never)).rejects.toThrow(/claims\.jti/)
    await expect(tokens.sign([] as never)).rejects.toThrow(/claims must be an object/)
    await expect(tokens.sign({ big: 10n })).rejects.toThrow(
      new TypeError('claims must be JSON-serialisable'),
    )
  })

  it('refuses a clock that does not return a valid Date', async () => {
    const broken = createTokenService({ ...valid, now: () => new Date(Number.NaN) })
    await expect(broken.sign()).rejects.toThrow(
      new TypeError('options.now must return a valid Date'),
    )
  })

  it('copies its keys and options: later changes by the caller change nothing', async () => {
    const mutableSecret = new Uint8Array(secret)
    const options = { alg: 'HS256', issuer: 'iss', signingKey: { key: mutableSecret } } as const
    const tokens = createTokenService(options)
    const token = await tokens.sign()
    mutableSecret.fill(0)
    await expect(tokens.verify(token)).resolves.toBeDefined()
    expect(Object.isFrozen(tokens)).toBe(true)
  })

  it('does not freeze or change JWKs the caller passed', async () => {
    const es = await generateTestKeys('ES256')
    const jwk = { ...es.privateJwk }
    const tokens = createTokenService({ alg: 'ES256', issuer: 'i', signingKey: { key: jwk } })
    await tokens.verify(await tokens.sign())
    expect(Object.isFrozen(jwk)).toBe(false)
    expect(jwk).toEqual(es.privateJwk)
  })

  it('reports a verification key WebCrypto cannot use as InvalidKeyError', async () => {
    const es = await generateTestKeys('ES256')
    const y = decodeBase64url(es.publicJwk.y!)
    y[31]! ^= 1
    const offCurve = { ...es.publicJwk, y: encodeBase64url(y) }
    const signer = createTokenService({
      alg: 'ES256',
      issuer: 'i',
      signingKey: { key: es.privateJwk },
    })
    const verifier = createTokenService({
      alg: 'ES256',
      issuer: 'i',
      verificationKeys: [{ key: offCurve }],
    })
    await expect(verifier.verify(await signer.sign())).rejects.toThrow(InvalidKeyError)
  })

  it('reports a signing key WebCrypto cannot use as InvalidKeyError', async () => {
    const es = await generateTestKeys('ES256')
    const other = await generateTestKeys('ES256')
    // A private scalar that does not belong to the public point.
    const mismatched = { ...es.privateJwk, d: other.privateJwk.d! }
    const tokens = createTokenService({
      alg: 'ES256',
      issuer: 'i',
      signingKey: { key: mismatched },
      verificationKeys: [{ key: es.publicJwk }],
    })
    await expect(tokens.sign()).rejects.toThrow(InvalidKeyError)
  })
})
