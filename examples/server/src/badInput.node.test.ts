import { readFile } from 'node:fs/promises'
import { encodeBase64url } from '@moodlens/crypto'
import { createTokenService } from '@moodlens/crypto/jwt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodePng, multipartBody } from './__tests__/encodePng.ts'
import { openEnvelopeSession, type EnvelopeClient } from './__tests__/envelopeClient.ts'
import { startPostgres, type TestPostgres } from './__tests__/startPostgres.ts'
import {
  call,
  createTestServer,
  DATABASES,
  grant,
  register,
  snapshot,
  type ApiResponse,
  type TestServer,
} from './__tests__/testServer.ts'
import { loadTokenKey } from './createKeyring.ts'
import { ENVELOPE_MEDIA_TYPE, SESSION_HEADER } from './envelopes.ts'

let postgres: TestPostgres | undefined

beforeAll(async () => {
  postgres = await startPostgres()
}, 120_000)

afterAll(async () => {
  await postgres?.stop()
})

/** A public-domain portrait (see the core package's fixtures README). */
const FACE = new URL(
  '../../../packages/core/src/__tests__/fixtures/faces/astronaut.png',
  import.meta.url,
)

const features = {
  danceability: 0.5,
  energy: 0.5,
  key: 1,
  loudness: -5,
  mode: 1,
  speechiness: 0.1,
  acousticness: 0.1,
  instrumentalness: 0,
  liveness: 0.1,
  valence: 0.5,
  tempo: 120,
}

const base64urlJson = (value: unknown): string =>
  encodeBase64url(new TextEncoder().encode(JSON.stringify(value)))

describe.each(DATABASES)('bad input on %s', (kind) => {
  let server: TestServer
  let listener: Awaited<ReturnType<typeof register>>
  let curator: Awaited<ReturnType<typeof register>>
  let envelopes: EnvelopeClient
  let accepted: { envelope: string }
  let trackId: string

  beforeAll(async () => {
    server = await createTestServer(kind, postgres)
    listener = await register(server.app)
    curator = await register(server.app)
    await grant(server, curator.id, ['listener', 'curator'])
    envelopes = await openEnvelopeSession(server.app, listener.accessToken)
    // One sealed request goes through before the snapshot, so that replaying it can be tried.
    accepted = await envelopes.seal('POST', '/api/v1/moods', { probabilities: { happy: 1 } })
    expect((await envelopes.send('POST', '/api/v1/moods', accepted.envelope)).status).toBe(201)
    const tracks = await call(server.app, 'GET', '/api/v1/tracks?limit=1', {
      token: listener.accessToken,
    })
    trackId = (tracks.body as { items: { id: string }[] }).items[0]!.id
  }, 120_000)

  afterAll(async () => {
    await server?.close()
  })

  /** Sends a bad request; checks the problem document and that the database did not change. */
  async function refused(
    request: () => Promise<ApiResponse>,
    status: number,
    code: string,
  ): Promise<ApiResponse> {
    const before = await snapshot(server.db)
    const response = await request()
    expect(response.status, response.text).toBe(status)
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(response.body).toMatchObject({
      status,
      code,
      type: expect.stringMatching(/^urn:moodlens:problem:/),
    })
    expect(await snapshot(server.db)).toEqual(before)
    return response
  }

  const post = (url: string, json: unknown, token?: string): Promise<ApiResponse> =>
    call(server.app, 'POST', url, { json, token: token ?? listener.accessToken })
  const raw = (
    url: string,
    payload: string,
    type = 'application/json',
    token?: string,
  ): Promise<ApiResponse> =>
    call(server.app, 'POST', url, {
      payload,
      token: token ?? listener.accessToken,
      headers: { 'content-type': type },
    })

  it('refuses malformed JSON and empty bodies', async () => {
    await refused(
      () => raw('/api/v1/moods', '{"probabilities": {"happy": 1}'),
      400,
      'ERR_MALFORMED_JSON',
    )
    await refused(() => raw('/api/v1/moods', ''), 400, 'ERR_MALFORMED_JSON')
    await refused(
      () => raw('/api/v1/auth/login', "{'email': 'a@b.c'}", 'application/json', ''),
      400,
      'ERR_MALFORMED_JSON',
    )
    // Prototype pollution attempts are refused, not merged.
    await refused(
      () => raw('/api/v1/moods', '{"probabilities": {"happy": 1}, "__proto__": {"admin": true}}'),
      400,
      'ERR_MALFORMED_JSON',
    )
  })

  it('refuses wrong types, missing and unknown fields, naming them', async () => {
    const wrongType = await refused(
      () => post('/api/v1/moods', { probabilities: { happy: '1' } }),
      400,
      'ERR_VALIDATION',
    )
    expect(wrongType.body).toMatchObject({ invalidParams: [{ name: 'body/probabilities/happy' }] })
    await refused(() => post('/api/v1/moods', { probabilities: 'happy' }), 400, 'ERR_VALIDATION')
    await refused(() => post('/api/v1/moods', [1, 2, 3]), 400, 'ERR_VALIDATION')
    await refused(
      () => post('/api/v1/recommendations', { emotion: 'happy', k: '5' }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () => post('/api/v1/recommendations', { emotion: 'hungry' }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () => post('/api/v1/recommendations', { emotion: 'sad', probabilities: { sad: 1 } }),
      400,
      'ERR_VALIDATION',
    )
    await refused(() => post('/api/v1/recommendations', { k: 5 }), 400, 'ERR_VALIDATION')
    await refused(
      () => post('/api/v1/auth/register', { email: 12345678901, password: 12345678901 }, ''),
      400,
      'ERR_VALIDATION',
    )
    const missing = await refused(
      () => post('/api/v1/auth/register', { email: 'x@example.com' }, ''),
      400,
      'ERR_VALIDATION',
    )
    expect(missing.body).toMatchObject({ invalidParams: [{ name: 'body/password' }] })
    const unknown = await refused(
      () => post('/api/v1/moods', { probabilities: { happy: 1 }, userId: listener.id }),
      400,
      'ERR_VALIDATION',
    )
    expect(unknown.body).toMatchObject({
      invalidParams: [{ name: 'body/userId', reason: 'is not a known field' }],
    })
    await refused(
      () => post('/api/v1/moods', { probabilities: { happy: 1, joy: 0 } }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        call(server.app, 'GET', '/api/v1/tracks?limit=5&sort=name', {
          token: listener.accessToken,
        }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () => call(server.app, 'GET', '/api/v1/tracks?limit=1000', { token: listener.accessToken }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () => post('/api/v1/feedback', { trackId, signal: 'rating' }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () => post('/api/v1/feedback', { trackId, signal: 'like', rating: 5 }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        post(
          '/api/v1/tracks',
          { id: 'new-track', name: 'x', artist: 'y', features: { ...features, valence: 2 } },
          curator.accessToken,
        ),
      400,
      'ERR_VALIDATION',
    )
  })

  it('refuses probabilities that are not a distribution', async () => {
    await refused(
      () => post('/api/v1/moods', { probabilities: { happy: 0.5, sad: 0.2 } }),
      422,
      'ERR_INVALID_MOOD',
    )
    await refused(
      () => post('/api/v1/recommendations', { probabilities: { happy: 0.9, sad: 0.9 } }),
      422,
      'ERR_INVALID_MOOD',
    )
    await refused(
      () =>
        post('/api/v1/recommendations', {
          journey: { from: { sad: 0.5 }, to: 'happy', length: 3 },
        }),
      422,
      'ERR_INVALID_MOOD',
    )
  })

  it('refuses bodies over the limits and unsupported media types', async () => {
    const big = JSON.stringify({ probabilities: { happy: 1 }, padding: 'x'.repeat(70 * 1024) })
    await refused(() => raw('/api/v1/moods', big), 413, 'ERR_BODY_TOO_LARGE')
    const csv = `track_id,track_name\n${'a,b\n'.repeat(2_700_000)}`
    await refused(
      () => raw('/api/v1/tracks/import', csv, 'text/csv', curator.accessToken),
      413,
      'ERR_BODY_TOO_LARGE',
    )
    await refused(
      () => raw('/api/v1/moods', 'probabilities=happy', 'application/x-www-form-urlencoded'),
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
    await refused(
      () => raw('/api/v1/moods', 'track_id\nx', 'text/csv'),
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
    await refused(
      () =>
        raw(
          '/api/v1/tracks/import',
          JSON.stringify({ csv: 'x' }),
          'application/json',
          curator.accessToken,
        ),
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
    await refused(
      () =>
        raw('/api/v1/tracks/import', 'no,header,we,know\n1,2,3,4', 'text/csv', curator.accessToken),
      422,
      'ERR_CSV_INVALID',
    )
  })

  it('treats SQL in search as text and refuses very long strings', async () => {
    for (const q of [
      "' OR '1'='1",
      "x'; DROP TABLE tracks; --",
      "%' UNION SELECT email, password_hash FROM users --",
    ]) {
      const before = await snapshot(server.db)
      const search = await call(server.app, 'GET', `/api/v1/tracks?q=${encodeURIComponent(q)}`, {
        token: listener.accessToken,
      })
      expect(search.status).toBe(200)
      expect(search.body).toMatchObject({ total: 0, items: [] })
      expect(await snapshot(server.db)).toEqual(before)
    }
    await refused(
      () =>
        call(server.app, 'GET', `/api/v1/tracks/${encodeURIComponent("x' OR '1'='1")}`, {
          token: listener.accessToken,
        }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        post(
          '/api/v1/auth/register',
          { email: "x'; DROP TABLE users; --@example.com", password: 'long enough password' },
          '',
        ),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        call(server.app, 'GET', `/api/v1/tracks?q=${'a'.repeat(201)}`, {
          token: listener.accessToken,
        }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        call(server.app, 'GET', `/api/v1/tracks?q=${'é'.repeat(20_000)}`, {
          token: listener.accessToken,
        }),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        post(
          '/api/v1/tracks',
          { id: 'long-name', name: 'n'.repeat(5000), artist: 'a', features },
          curator.accessToken,
        ),
      400,
      'ERR_VALIDATION',
    )
    await refused(
      () =>
        post(
          '/api/v1/auth/login',
          { email: `${'a'.repeat(300)}@example.com`, password: 'whatever12' },
          '',
        ),
      400,
      'ERR_VALIDATION',
    )
  })

  it('refuses missing, malformed, expired, forged and alg:none tokens', async () => {
    const me = (token?: string, header?: string): Promise<ApiResponse> =>
      call(server.app, 'GET', '/api/v1/me', {
        ...(token !== undefined && { token }),
        ...(header !== undefined && { headers: { authorization: header } }),
      })
    const missing = await refused(() => me(), 401, 'ERR_UNAUTHENTICATED')
    expect(missing.headers['www-authenticate']).toBe('Bearer')
    await refused(
      () => me(undefined, `Basic ${Buffer.from('a:b').toString('base64')}`),
      401,
      'ERR_TOKEN_INVALID',
    )
    await refused(() => me('not.a.jwt'), 401, 'ERR_TOKEN_INVALID')

    const key = await loadTokenKey({ dataDir: server.dataDir })
    const claims = { sub: listener.id, roles: ['listener', 'curator', 'admin'] }
    const service = (
      overrides: Partial<Parameters<typeof createTokenService>[0]>,
    ): ReturnType<typeof createTokenService> =>
      createTokenService({
        alg: 'HS256',
        issuer: 'moodlens-server',
        audience: 'moodlens-api',
        signingKey: { kid: 'access-1', key },
        ...overrides,
      })
    const expired = await service({ now: () => new Date(Date.now() - 2 * 3600_000) }).sign(claims)
    await refused(() => me(expired), 401, 'ERR_TOKEN_EXPIRED')
    const forged = await service({
      signingKey: { kid: 'access-1', key: new Uint8Array(32).fill(7) },
    }).sign(claims)
    await refused(() => me(forged), 401, 'ERR_TOKEN_INVALID')
    const otherIssuer = await service({ issuer: 'someone-else' }).sign(claims)
    await refused(() => me(otherIssuer), 401, 'ERR_TOKEN_INVALID')
    const now = Math.floor(Date.now() / 1000)
    const payload = {
      ...claims,
      iss: 'moodlens-server',
      aud: 'moodlens-api',
      iat: now,
      exp: now + 600,
    }
    const none = `${base64urlJson({ alg: 'none', typ: 'JWT' })}.${base64urlJson(payload)}.`
    await refused(() => me(none), 401, 'ERR_TOKEN_INVALID')
    const noneSigned = `${base64urlJson({ alg: 'none', typ: 'JWT' })}.${base64urlJson(payload)}.${base64urlJson('x')}`
    await refused(() => me(noneSigned), 401, 'ERR_TOKEN_INVALID')
    // A real token whose payload was edited to claim more roles.
    const [header, , signature] = listener.accessToken.split('.')
    const tampered = `${header}.${base64urlJson(payload)}.${signature}`
    await refused(() => me(tampered), 401, 'ERR_TOKEN_INVALID')
    // Even a validly signed token claiming admin gets only the roles the database holds.
    const claimsAdmin = await service({}).sign(claims)
    await refused(
      () => call(server.app, 'GET', '/api/v1/users', { token: claimsAdmin }),
      403,
      'ERR_FORBIDDEN',
    )
    await refused(
      () => post('/api/v1/auth/refresh', { refreshToken: 'A'.repeat(43) }, ''),
      401,
      'ERR_REFRESH_TOKEN_INVALID',
    )
  })

  it('refuses curator and admin routes to a listener, and admin routes to a curator', async () => {
    const token = listener.accessToken
    await refused(
      () => post('/api/v1/tracks', { id: 'sneaky', name: 'x', artist: 'y', features }, token),
      403,
      'ERR_FORBIDDEN',
    )
    await refused(
      () =>
        call(server.app, 'PUT', `/api/v1/tracks/${trackId}`, {
          token,
          json: { name: 'x', artist: 'y', features },
        }),
      403,
      'ERR_FORBIDDEN',
    )
    await refused(
      () => call(server.app, 'DELETE', `/api/v1/tracks/${trackId}`, { token }),
      403,
      'ERR_FORBIDDEN',
    )
    await refused(
      () => raw('/api/v1/tracks/import', 'track_id\nx', 'text/csv', token),
      403,
      'ERR_FORBIDDEN',
    )
    await refused(() => call(server.app, 'GET', '/api/v1/users', { token }), 403, 'ERR_FORBIDDEN')
    await refused(
      () =>
        call(server.app, 'PATCH', `/api/v1/users/${listener.id}`, {
          token,
          json: { roles: ['admin'] },
        }),
      403,
      'ERR_FORBIDDEN',
    )
    await refused(
      () =>
        call(server.app, 'PATCH', `/api/v1/users/${curator.id}`, {
          token: curator.accessToken,
          json: { roles: ['admin'] },
        }),
      403,
      'ERR_FORBIDDEN',
    )
  })

  it('refuses replayed, stale, moved and foreign envelopes', async () => {
    const replay = await refused(
      () => envelopes.send('POST', '/api/v1/moods', accepted.envelope),
      400,
      'ERR_ENVELOPE_REPLAYED',
    )
    expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/)
    const stale = await envelopes.seal(
      'POST',
      '/api/v1/moods',
      { probabilities: { happy: 1 } },
      { ts: Date.now() - 120_000 },
    )
    await refused(
      () => envelopes.send('POST', '/api/v1/moods', stale.envelope),
      400,
      'ERR_ENVELOPE_STALE',
    )
    const future = await envelopes.seal(
      'POST',
      '/api/v1/moods',
      { probabilities: { happy: 1 } },
      { ts: Date.now() + 120_000 },
    )
    await refused(
      () => envelopes.send('POST', '/api/v1/moods', future.envelope),
      400,
      'ERR_ENVELOPE_STALE',
    )
    // Sealed for one route, sent to another: the additional data differs, so it does not open.
    const moved = await envelopes.seal('POST', '/api/v1/moods', { trackId, signal: 'like' })
    await refused(
      () => envelopes.send('POST', '/api/v1/feedback', moved.envelope),
      400,
      'ERR_ENVELOPE_INVALID',
    )
    const flipped = await envelopes.seal('POST', '/api/v1/moods', { probabilities: { happy: 1 } })
    const tampered = flipped.envelope.slice(0, -2) + (flipped.envelope.endsWith('A') ? 'BA' : 'AA')
    await refused(
      () => envelopes.send('POST', '/api/v1/moods', tampered),
      400,
      'ERR_ENVELOPE_INVALID',
    )
    await refused(
      () => envelopes.send('POST', '/api/v1/moods', 'not an envelope'),
      400,
      'ERR_ENVELOPE_INVALID',
    )
    const badNonce = await envelopes.seal(
      'POST',
      '/api/v1/moods',
      { probabilities: { happy: 1 } },
      { nonce: 'short' },
    )
    await refused(
      () => envelopes.send('POST', '/api/v1/moods', badNonce.envelope),
      400,
      'ERR_ENVELOPE_INVALID',
    )
    const fresh = await envelopes.seal('POST', '/api/v1/moods', { probabilities: { happy: 1 } })
    await refused(
      () =>
        call(server.app, 'POST', '/api/v1/moods', {
          token: listener.accessToken,
          payload: fresh.envelope,
          headers: {
            'content-type': ENVELOPE_MEDIA_TYPE,
            [SESSION_HEADER]: '00000000-0000-4000-8000-000000000000',
          },
        }),
      401,
      'ERR_SESSION_UNKNOWN',
    )
    await refused(
      () =>
        call(server.app, 'POST', '/api/v1/moods', {
          token: curator.accessToken,
          payload: fresh.envelope,
          headers: { 'content-type': ENVELOPE_MEDIA_TYPE, [SESSION_HEADER]: envelopes.sessionId },
        }),
      401,
      'ERR_SESSION_UNKNOWN',
    )
    await refused(
      () =>
        post('/api/v1/session', {
          publicJwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) },
          salt: 'A'.repeat(43),
        }),
      400,
      'ERR_VALIDATION',
    )
  })

  it('refuses uploads that are not images, corrupt, too large or without a face', async () => {
    const upload = (payload: Buffer | string, type: string): Promise<ApiResponse> =>
      call(server.app, 'POST', '/api/v1/emotions', {
        token: listener.accessToken,
        payload,
        headers: { 'content-type': type },
      })
    const face = await readFile(FACE)
    await refused(() => upload('just some text', 'text/plain'), 415, 'ERR_UNSUPPORTED_MEDIA_TYPE')
    await refused(
      () => upload('{"image": "data:image/png;base64,AAAA"}', 'application/json'),
      415,
      'ERR_UNSUPPORTED_MEDIA_TYPE',
    )
    await refused(() => upload('GIF89a not really', 'image/png'), 422, 'ERR_IMAGE_INVALID')
    await refused(() => upload(face.subarray(0, 2000), 'image/png'), 422, 'ERR_IMAGE_INVALID')
    const scrambled = Buffer.from(face)
    for (let i = 100; i < scrambled.length; i += 7) scrambled[i] = scrambled[i]! ^ 0x5a
    await refused(() => upload(scrambled, 'image/png'), 422, 'ERR_IMAGE_INVALID')
    await refused(
      () => upload(Buffer.alloc(6 * 1024 * 1024, 1), 'image/jpeg'),
      413,
      'ERR_BODY_TOO_LARGE',
    )
    // A small file that claims a huge size in its header is refused before decoding.
    const huge = encodePng(8, 8, () => [128, 128, 128])
    huge.writeUInt32BE(20_000, 16)
    huge.writeUInt32BE(20_000, 20)
    await refused(() => upload(huge, 'image/png'), 413, 'ERR_IMAGE_TOO_LARGE')
    const blank = encodePng(160, 120, (x, y) => [(x * 3) % 256, (y * 5) % 256, 90])
    await refused(() => upload(blank, 'image/png'), 422, 'ERR_NO_FACE')
    await refused(
      () =>
        call(server.app, 'POST', '/api/v1/emotions?record=true', {
          token: listener.accessToken,
          payload: blank,
          headers: { 'content-type': 'image/png' },
        }),
      422,
      'ERR_NO_FACE',
    )
    const wrongField = multipartBody('photo', 'face.png', 'image/png', face)
    await refused(() => upload(wrongField.payload, wrongField.contentType), 400, 'ERR_VALIDATION')
    const bigForm = multipartBody(
      'image',
      'big.jpg',
      'image/jpeg',
      Buffer.alloc(6 * 1024 * 1024, 1),
    )
    await refused(() => upload(bigForm.payload, bigForm.contentType), 413, 'ERR_BODY_TOO_LARGE')
  }, 60_000)

  it('answers unknown routes with a problem', async () => {
    await refused(() => call(server.app, 'GET', '/api/v1/nothing-here'), 404, 'ERR_NOT_FOUND')
    await refused(
      () => call(server.app, 'DELETE', '/api/v1/moods', { token: listener.accessToken }),
      404,
      'ERR_NOT_FOUND',
    )
  })
})
