import { describe, expect, it } from 'vitest'
import { craftToken, replacePart } from './__tests__/craftToken.ts'
import { omit } from './__tests__/omit.ts'
import { generateTestKeys, testClock, type TestKeys } from './__tests__/tokenKeys.ts'
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import { createTokenService, type TokenService } from './createTokenService.ts'
import type { TokenAlgorithm } from './normalizeTokenKey.ts'
import { TokenClaimError } from './TokenClaimError.ts'
import { TokenExpiredError } from './TokenExpiredError.ts'
import { TokenInvalidError } from './TokenInvalidError.ts'

const ALGORITHMS: readonly TokenAlgorithm[] = ['HS256', 'ES256', 'EdDSA']
const ISSUER = 'https://auth.moodlens.test'
const AUDIENCE = 'moodlens-api'
const START = '2025-06-01T12:00:00Z'
const NOW = Date.parse(START) / 1000

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome: unknown = await promise.then(
    () => new Error('expected a rejection, got a verified token'),
    (error: unknown) => error,
  )
  if (!(outcome instanceof Error) || outcome.message.startsWith('expected a rejection')) {
    throw outcome
  }
  return outcome
}

async function expectInvalid(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(TokenInvalidError)
  expect(error).toMatchObject({ code: 'ERR_TOKEN_INVALID' })
}

async function expectClaim(promise: Promise<unknown>, claim: string): Promise<void> {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(TokenClaimError)
  expect(error).toMatchObject({ code: 'ERR_TOKEN_CLAIM', claim })
}

async function expectExpired(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(TokenExpiredError)
  expect(error).toMatchObject({ code: 'ERR_TOKEN_EXPIRED' })
}

interface Setup {
  keys: TestKeys
  clock: ReturnType<typeof testClock>
  service: TokenService
}

async function setup(alg: TokenAlgorithm): Promise<Setup> {
  const keys = await generateTestKeys(alg)
  const clock = testClock(START)
  const service = createTokenService({
    alg,
    issuer: ISSUER,
    audience: AUDIENCE,
    signingKey: { kid: 'current', key: keys.privateJwk },
    ttl: 300,
    clockTolerance: 10,
    now: clock.now,
  })
  return { keys, clock, service }
}

const validClaims = { iss: ISSUER, aud: AUDIENCE, iat: NOW, exp: NOW + 300, sub: 'mallory' }
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe.each(ALGORITHMS)('a %s service rejects', (alg) => {
  it('its own token, once the payload is edited under the old signature', async () => {
    const { service } = await setup(alg)
    const token = await service.sign({ sub: 'user-42', roles: ['listener'] })
    await expect(service.verify(token)).resolves.toMatchObject({ roles: ['listener'] })
    const payload = JSON.parse(new TextDecoder().decode(decodeBase64url(token.split('.')[1]!)))
    for (const edit of [
      { ...payload, roles: ['admin'] },
      { ...payload, sub: 'user-43' },
      { ...payload, exp: payload.exp + 86_400 },
    ]) {
      const forged = replacePart(token, 1, encodeBase64url(utf8(JSON.stringify(edit))))
      await expectInvalid(service.verify(forged))
    }
  })

  it('every single-bit flip of the signature', async () => {
    const { service } = await setup(alg)
    const token = await service.sign({ sub: 'user-42' })
    const signature = decodeBase64url(token.split('.')[2]!)
    for (let bit = 0; bit < signature.length * 8; bit++) {
      const flipped = new Uint8Array(signature)
      flipped[bit >> 3]! ^= 1 << (bit & 7)
      await expectInvalid(service.verify(replacePart(token, 2, encodeBase64url(flipped))))
    }
  })

  it('a token signed by another key of the same algorithm', async () => {
    const { service } = await setup(alg)
    const other = await setup(alg)
    await expectInvalid(service.verify(await other.service.sign({ sub: 'user-42' })))
  })

  it('alg "none" in any spelling, with or without a signature', async () => {
    const { service } = await setup(alg)
    for (const none of ['none', 'None', 'NONE', 'nOnE']) {
      const unsigned = await craftToken({ alg: none, typ: 'JWT' }, validClaims)
      await expectInvalid(service.verify(unsigned))
      await expectInvalid(service.verify(`${unsigned}c2lnbmF0dXJl`))
    }
    const genuine = await service.sign({ sub: 'user-42' })
    const stripped = replacePart(
      replacePart(genuine, 0, encodeBase64url(utf8('{"alg":"none"}'))),
      2,
      '',
    )
    await expectInvalid(service.verify(stripped))
  })

  it('tokens of the other algorithms, signed with their own valid keys', async () => {
    const { service } = await setup(alg)
    for (const otherAlg of ALGORITHMS.filter((other) => other !== alg)) {
      const other = await setup(otherAlg)
      await expectInvalid(service.verify(await other.service.sign({ sub: 'user-42' })))
    }
  })

  it('an expired token, at exactly exp plus the clock tolerance', async () => {
    const { service, clock } = await setup(alg)
    const token = await service.sign({ sub: 'user-42' })
    clock.set(NOW + 300 + 10 - 1)
    await expect(service.verify(token)).resolves.toMatchObject({ sub: 'user-42' })
    clock.set(NOW + 300 + 10)
    await expectExpired(service.verify(token))
    clock.set(NOW + 86_400)
    await expectExpired(service.verify(token))
  })

  it('a token that is not yet valid (nbf), beyond the clock tolerance', async () => {
    const { service, clock } = await setup(alg)
    const token = await service.sign({ sub: 'user-42', nbf: NOW + 60 })
    await expectClaim(service.verify(token), 'nbf')
    clock.set(NOW + 60 - 11)
    await expectClaim(service.verify(token), 'nbf')
    clock.set(NOW + 60 - 10)
    await expect(service.verify(token)).resolves.toMatchObject({ nbf: NOW + 60 })
  })

  it('a token for another audience, or for none', async () => {
    const { keys, service, clock } = await setup(alg)
    const options = { alg, issuer: ISSUER, signingKey: { key: keys.privateJwk }, now: clock.now }
    const elsewhere = createTokenService({ ...options, audience: 'billing-api' })
    await expectClaim(service.verify(await elsewhere.sign({ sub: 'user-42' })), 'aud')
    const noAudience = createTokenService(options)
    await expectClaim(service.verify(await noAudience.sign({ sub: 'user-42' })), 'aud')
  })

  it('a token from another issuer', async () => {
    const { keys, service, clock } = await setup(alg)
    const impostor = createTokenService({
      alg,
      issuer: 'https://evil.test',
      audience: AUDIENCE,
      signingKey: { key: keys.privateJwk },
      now: clock.now,
    })
    await expectClaim(service.verify(await impostor.sign({ sub: 'user-42' })), 'iss')
  })

  it('a token naming an unknown kid', async () => {
    const { keys, service, clock } = await setup(alg)
    const renamed = createTokenService({
      alg,
      issuer: ISSUER,
      audience: AUDIENCE,
      signingKey: { kid: 'retired', key: keys.privateJwk },
      now: clock.now,
    })
    await expectInvalid(service.verify(await renamed.sign({ sub: 'user-42' })))
  })

  it('other spellings of its own token: whitespace, padding, non-canonical trailing bits', async () => {
    const { service } = await setup(alg)
    const genuine = await service.sign({ sub: 'user-42' })
    const signature = genuine.split('.')[2]!
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(signature.at(-1)!)
    // Flipping the lowest bit of the last character changes only bits past the last byte.
    const sameBytes = `${signature.slice(0, -1)}${alphabet[last ^ 1]!}`
    const loose = (text: string) => atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    expect(sameBytes).not.toBe(signature)
    expect(loose(sameBytes)).toBe(loose(signature))
    for (const variant of [
      replacePart(genuine, 2, sameBytes),
      replacePart(genuine, 2, `${signature}=`),
      replacePart(genuine, 2, `${signature.slice(0, 8)} ${signature.slice(8)}`),
      `${genuine} `,
      `${genuine}\n`,
      ` ${genuine}`,
    ]) {
      await expectInvalid(service.verify(variant))
    }
    await expect(service.verify(genuine)).resolves.toMatchObject({ sub: 'user-42' })
  })

  it('strings that are not compact JWS, and values that are not strings', async () => {
    const { service } = await setup(alg)
    const genuine = await service.sign({ sub: 'user-42' })
    for (const bad of [
      '',
      'abc',
      'a.b',
      'a.b.c',
      `${genuine}.`,
      `${genuine}.extra.part`,
      `${genuine} `,
      `Bearer ${genuine}`,
      genuine.replace(/\./g, '..'),
      replacePart(genuine, 0, 'eyJhbGciOiJFUzI1NiJ9='),
      replacePart(genuine, 0, encodeBase64url(utf8('not json'))),
      replacePart(genuine, 0, encodeBase64url(utf8('["alg"]'))),
    ]) {
      await expectInvalid(service.verify(bad))
    }
    for (const bad of [undefined, null, 42, { token: genuine }, utf8(genuine)]) {
      await expectInvalid(service.verify(bad as unknown as string))
    }
  })
})

describe('algorithm confusion', () => {
  it('an ES256 service rejects HS256 tokens signed with its public key as the secret', async () => {
    const { keys, service } = await setup('ES256')
    const jwk = keys.publicJwk
    const point = new Uint8Array([4, ...decodeBase64url(jwk.x!), ...decodeBase64url(jwk.y!)])
    const spki = new Uint8Array(
      await crypto.subtle.exportKey('spki', keys.verification as CryptoKey),
    )
    const secrets = [
      point,
      spki,
      utf8(JSON.stringify(jwk)),
      utf8(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })),
    ]
    for (const secret of secrets) {
      for (const header of [
        { alg: 'HS256', typ: 'JWT' },
        { alg: 'HS256', kid: 'current' },
      ]) {
        await expectInvalid(service.verify(await craftToken(header, validClaims, secret)))
      }
    }
  })

  it('an EdDSA service rejects HS256 tokens signed with its public key as the secret', async () => {
    const { keys, service } = await setup('EdDSA')
    for (const secret of [
      decodeBase64url(keys.publicJwk.x!),
      utf8(JSON.stringify(keys.publicJwk)),
    ]) {
      await expectInvalid(service.verify(await craftToken({ alg: 'HS256' }, validClaims, secret)))
    }
  })

  it('an ES256 token keeps failing when only its header is switched to HS256', async () => {
    const { service } = await setup('ES256')
    const token = await service.sign({ sub: 'user-42' })
    const switched = replacePart(token, 0, encodeBase64url(utf8('{"alg":"HS256","typ":"JWT"}')))
    await expectInvalid(service.verify(switched))
  })

  it('an HS256 service rejects an ES256 token and an ES256 service an HS256 token', async () => {
    const hs = await setup('HS256')
    const es = await setup('ES256')
    await expectInvalid(hs.service.verify(await es.service.sign({ sub: 'a' })))
    await expectInvalid(es.service.verify(await hs.service.sign({ sub: 'a' })))
    await expect(hs.service.verify(await hs.service.sign({ sub: 'a' }))).resolves.toBeDefined()
  })
})

describe('claims in correctly signed tokens', () => {
  // A token the HS256 service's own secret signed, built by hand, so that claims jose's SignJWT
  // would never write can be tested.
  async function hs256Setup() {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const clock = testClock(START)
    const service = createTokenService({
      alg: 'HS256',
      issuer: ISSUER,
      audience: AUDIENCE,
      signingKey: { key: secret },
      now: clock.now,
    })
    const sign = (claims: Record<string, unknown>) =>
      craftToken({ alg: 'HS256', typ: 'JWT' }, claims, secret)
    return { service, sign }
  }

  it('accepts the hand-built token with all its claims (the control case)', async () => {
    const { service, sign } = await hs256Setup()
    await expect(service.verify(await sign(validClaims))).resolves.toEqual({
      ...validClaims,
      roles: [],
    })
  })

  it('requires exp, and as a number', async () => {
    const { service, sign } = await hs256Setup()
    await expectClaim(service.verify(await sign(omit(validClaims, 'exp'))), 'exp')
    await expectClaim(service.verify(await sign({ ...validClaims, exp: String(NOW + 300) })), 'exp')
  })

  it('requires iss and aud', async () => {
    const { service, sign } = await hs256Setup()
    await expectClaim(service.verify(await sign(omit(validClaims, 'iss'))), 'iss')
    await expectClaim(service.verify(await sign(omit(validClaims, 'aud'))), 'aud')
    await expectClaim(service.verify(await sign({ ...validClaims, aud: ['other'] })), 'aud')
  })

  it('refuses a sub that is not a string and roles that are not strings', async () => {
    const { service, sign } = await hs256Setup()
    await expectClaim(service.verify(await sign({ ...validClaims, sub: 42 })), 'sub')
    await expectClaim(service.verify(await sign({ ...validClaims, roles: 'admin' })), 'roles')
    await expectClaim(service.verify(await sign({ ...validClaims, roles: ['a', 1] })), 'roles')
    await expectClaim(service.verify(await sign({ ...validClaims, roles: null })), 'roles')
  })

  it('refuses a payload that is not a JSON object', async () => {
    const { service } = await hs256Setup()
    const secretless = await craftToken({ alg: 'HS256' }, validClaims)
    await expectInvalid(service.verify(`${secretless}AAAA`))
  })
})
