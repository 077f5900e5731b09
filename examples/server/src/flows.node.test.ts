import { readFile } from 'node:fs/promises'
import { EMOTIONS } from '@moodlens/recommender'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { multipartBody } from './__tests__/encodePng.ts'
import { openEnvelopeSession } from './__tests__/envelopeClient.ts'
import { startPostgres, type TestPostgres } from './__tests__/startPostgres.ts'
import {
  call,
  createTestServer,
  DATABASES,
  grant,
  register,
  type TestServer,
} from './__tests__/testServer.ts'
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

const sadMood = { sad: 0.7, neutral: 0.2, fear: 0.1 }

interface Item {
  track: { id: string; genre: string; features: Record<string, number> }
  score: number
  progress?: number
}

describe.each(DATABASES)('full flows on %s', (kind) => {
  let server: TestServer

  beforeAll(async () => {
    server = await createTestServer(kind, postgres, {
      loginLimits: {
        perIp: 8,
        perAccount: 3,
        windowMs: 60_000,
        registrationsPerIp: 1000,
        registrationWindowMs: 60_000,
      },
    })
  }, 120_000)

  afterAll(async () => {
    await server?.close()
  })

  it('seeds the demo catalogue and reports health', async () => {
    const health = await call(server.app, 'GET', '/api/health')
    expect(health.status).toBe(200)
    expect(health.body).toEqual({ status: 'ok', database: kind, tracks: 3000 })
  })

  it('registers, signs in, rotates refresh tokens and revokes the family on reuse', async () => {
    const user = await register(server.app)
    const me = await call(server.app, 'GET', '/api/v1/me', { token: user.accessToken })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({
      id: user.id,
      email: user.email,
      roles: ['listener'],
      disabled: false,
    })

    const duplicate = await call(server.app, 'POST', '/api/v1/auth/register', {
      json: { email: user.email.toUpperCase(), password: 'another password' },
    })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body).toMatchObject({ code: 'ERR_EMAIL_TAKEN' })

    const login = await call(server.app, 'POST', '/api/v1/auth/login', {
      json: { email: user.email, password: user.password },
    })
    expect(login.status).toBe(200)
    const first = (login.body as { refreshToken: string }).refreshToken

    const refreshed = await call(server.app, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: first },
    })
    expect(refreshed.status).toBe(200)
    const second = refreshed.body as { refreshToken: string; accessToken: string }
    expect(second.refreshToken).not.toBe(first)
    expect(
      (await call(server.app, 'GET', '/api/v1/me', { token: second.accessToken })).status,
    ).toBe(200)

    // The first token comes back: someone else holds it. The whole family is revoked.
    const reused = await call(server.app, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: first },
    })
    expect(reused.status).toBe(401)
    expect(reused.body).toMatchObject({ code: 'ERR_REFRESH_TOKEN_REUSED' })
    const afterReuse = await call(server.app, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: second.refreshToken },
    })
    expect(afterReuse.status).toBe(401)
    expect(afterReuse.body).toMatchObject({ code: 'ERR_REFRESH_TOKEN_INVALID' })

    // Another sign-in's family is untouched by that, and logout revokes it.
    const logout = await call(server.app, 'POST', '/api/v1/auth/logout', {
      json: { refreshToken: user.refreshToken },
    })
    expect(logout.status).toBe(204)
    const afterLogout = await call(server.app, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: user.refreshToken },
    })
    expect(afterLogout.status).toBe(401)
  })

  it('limits failed sign-ins per account, then per IP address', async () => {
    const user = await register(server.app)
    const attempt = (email: string, password: string, ip = '10.0.0.1'): ReturnType<typeof call> =>
      server.app
        .inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: ip,
          payload: { email, password },
        })
        .then((response) => ({
          status: response.statusCode,
          headers: response.headers,
          body: response.json() as unknown,
          text: response.body,
        }))
    for (let i = 0; i < 3; i++) {
      expect((await attempt(user.email, 'wrong password!')).body).toMatchObject({
        code: 'ERR_INVALID_CREDENTIALS',
      })
    }
    const locked = await attempt(user.email, user.password)
    expect(locked.status).toBe(429)
    expect(locked.body).toMatchObject({ code: 'ERR_RATE_LIMITED' })
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)

    // From another address the account is still locked (the limit is per account) ...
    expect((await attempt(user.email, user.password, '10.0.0.2')).status).toBe(429)
    // ... and one address cannot try many accounts: 8 attempts per window.
    for (let i = 0; i < 8; i++) {
      const attempted = await attempt(`nobody${i}@example.com`, 'wrong password!', '10.0.0.3')
      expect(attempted.body).toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' })
    }
    const perIp = await attempt('nobody@example.com', 'wrong password!', '10.0.0.3')
    expect(perIp.status).toBe(429)
    expect(perIp.body).toMatchObject({ code: 'ERR_RATE_LIMITED' })
  })

  it('stores moods encrypted at rest and returns them in the history', async () => {
    const user = await register(server.app)
    const posted = await call(server.app, 'POST', '/api/v1/moods', {
      token: user.accessToken,
      json: { probabilities: sadMood },
    })
    expect(posted.status).toBe(201)
    expect(posted.body).toMatchObject({ emotion: 'sad', source: 'device' })
    const full = (posted.body as { probabilities: Record<string, number> }).probabilities
    expect(Object.keys(full).sort()).toEqual([...EMOTIONS].sort())

    const { rows } = await server.db.query<{ payload: string; key_id: string }>(
      'SELECT payload, key_id FROM moods WHERE user_id = $1',
      [user.id],
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]!.payload).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(rows[0]!.payload).not.toContain('sad')
    expect(rows[0]!.key_id).toBe(server.app.moodlens.keyring.currentId)

    const history = await call(server.app, 'GET', '/api/v1/history', { token: user.accessToken })
    expect(history.status).toBe(200)
    const { moods } = history.body as {
      moods: { emotion: string; probabilities: Record<string, number> }[]
    }
    expect(moods).toHaveLength(1)
    expect(moods[0]!.emotion).toBe('sad')
    expect(moods[0]!.probabilities['sad']).toBeCloseTo(0.7, 10)

    // Another user sees none of it.
    const other = await register(server.app)
    const otherHistory = await call(server.app, 'GET', '/api/v1/history', {
      token: other.accessToken,
    })
    expect(otherHistory.body).toEqual({ moods: [], feedback: [] })

    // A row copied into another user's account does not open there.
    await server.db.query('UPDATE moods SET user_id = $1 WHERE user_id = $2', [other.id, user.id])
    const copied = await call(server.app, 'GET', '/api/v1/history', { token: other.accessToken })
    expect(copied.status).toBe(500)
    expect(copied.body).toMatchObject({ code: 'ERR_INTERNAL' })
    await server.db.query('DELETE FROM moods WHERE user_id = $1', [other.id])
  })

  it('recommends for an emotion, a distribution and a journey', async () => {
    const user = await register(server.app)
    const happy = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'happy', k: 5 },
    })
    expect(happy.status).toBe(200)
    const happyItems = (happy.body as { items: Item[] }).items
    expect(happyItems).toHaveLength(5)
    const sad = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { probabilities: sadMood, k: 5, explain: true },
    })
    const sadItems = (sad.body as { items: (Item & { explanation: unknown[] })[] }).items
    const valence = (items: Item[]): number =>
      items.reduce((sum, item) => sum + item.track.features['valence']!, 0) / items.length
    expect(valence(happyItems)).toBeGreaterThan(valence(sadItems) + 0.3)
    expect(sadItems[0]!.explanation.length).toBeGreaterThan(0)

    const genre = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'angry', genre: 'rock', k: 10, diversity: 0.7 },
    })
    expect(
      (genre.body as { items: Item[] }).items.every((item) => item.track.genre === 'rock'),
    ).toBe(true)

    const journey = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { journey: { from: 'sad', to: 'happy', length: 6 } },
    })
    expect(journey.status).toBe(200)
    const steps = (journey.body as { items: Item[] }).items
    expect(steps.map((step) => step.progress)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(new Set(steps.map((step) => step.track.id)).size).toBe(6)
    expect(steps[5]!.track.features['valence']!).toBeGreaterThan(
      steps[0]!.track.features['valence']!,
    )

    const invalid = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { probabilities: { happy: 0.5, sad: 0.1 } },
    })
    expect(invalid.status).toBe(422)
    expect(invalid.body).toMatchObject({ code: 'ERR_INVALID_MOOD' })
  })

  it('learns from feedback and leaves recently played tracks out', async () => {
    const user = await register(server.app)
    const before = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'sad', k: 10 },
    })
    const items = (before.body as { items: Item[] }).items
    const played = items[0]!.track.id
    const like = await call(server.app, 'POST', '/api/v1/feedback', {
      token: user.accessToken,
      json: { trackId: played, signal: 'like', mood: 'sad' },
    })
    expect(like.status).toBe(201)
    const rated = await call(server.app, 'POST', '/api/v1/feedback', {
      token: user.accessToken,
      json: { trackId: items[1]!.track.id, signal: 'rating', rating: 1, mood: sadMood },
    })
    expect(rated.status).toBe(201)
    expect(rated.body).toMatchObject({ signal: 'rating', rating: 1 })

    const after = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'sad', k: 10 },
    })
    const afterIds = (after.body as { items: Item[] }).items.map((item) => item.track.id)
    expect(afterIds).not.toContain(played)
    expect(afterIds).not.toContain(items[1]!.track.id)
    const including = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'sad', k: 50, excludeRecent: false },
    })
    expect((including.body as { items: Item[] }).items.map((item) => item.track.id)).toContain(
      played,
    )

    // The taste profile is stored, sealed, and tilts the ranking.
    const { rows } = await server.db.query<{ taste: string }>(
      'SELECT taste FROM users WHERE id = $1',
      [user.id],
    )
    expect(rows[0]!.taste).toMatch(/^v1\./)
    expect(afterIds.slice(0, 8)).not.toEqual(items.slice(2, 10).map((item) => item.track.id))

    const history = await call(server.app, 'GET', '/api/v1/history?limit=10', {
      token: user.accessToken,
    })
    const feedback = (
      history.body as { feedback: { trackId: string; signal: string; track: unknown }[] }
    ).feedback
    expect(feedback.map((entry) => entry.signal)).toEqual(['rating', 'like'])
    expect(feedback[1]).toMatchObject({
      trackId: played,
      track: { name: items[0]!.track.id ? expect.any(String) : '' },
    })

    const unknown = await call(server.app, 'POST', '/api/v1/feedback', {
      token: user.accessToken,
      json: { trackId: 'no-such-track', signal: 'skip' },
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ code: 'ERR_UNKNOWN_TRACK' })
  })

  it('searches and pages the catalogue', async () => {
    const user = await register(server.app)
    const page = await call(server.app, 'GET', '/api/v1/tracks?limit=5&offset=5&genre=pop', {
      token: user.accessToken,
    })
    expect(page.status).toBe(200)
    const body = page.body as {
      items: Item['track'][]
      total: number
      limit: number
      offset: number
    }
    expect(body.total).toBe(500)
    expect(body.items).toHaveLength(5)
    expect(body.items.every((track) => track.genre === 'pop')).toBe(true)

    const first = body.items[0] as unknown as { id: string; name: string }
    const search = await call(
      server.app,
      'GET',
      `/api/v1/tracks?q=${encodeURIComponent(first.name)}`,
      {
        token: user.accessToken,
      },
    )
    expect((search.body as { items: { id: string }[] }).items.map((track) => track.id)).toContain(
      first.id,
    )
    const one = await call(server.app, 'GET', `/api/v1/tracks/${first.id}`, {
      token: user.accessToken,
    })
    expect(one.body).toMatchObject({ id: first.id, name: first.name })
    // LIKE wildcards are searched for literally.
    const wildcard = await call(server.app, 'GET', '/api/v1/tracks?q=%25%25%25', {
      token: user.accessToken,
    })
    expect((wildcard.body as { total: number }).total).toBeLessThan(3000)
  })

  it('lets curators add, replace, delete and import tracks, and recommendations follow', async () => {
    const curator = await register(server.app)
    await grant(server, curator.id, ['listener', 'curator'])
    const features = {
      danceability: 0.5,
      energy: 0.99,
      key: 5,
      loudness: -2,
      mode: 1,
      speechiness: 0.05,
      acousticness: 0.01,
      instrumentalness: 0,
      liveness: 0.1,
      valence: 1,
      tempo: 170,
    }
    const created = await call(server.app, 'POST', '/api/v1/tracks', {
      token: curator.accessToken,
      json: {
        id: 'moodlensTest1',
        name: 'Sunny Test',
        artist: 'The Fixtures',
        genre: 'pop',
        features,
      },
    })
    expect(created.status).toBe(201)
    expect(created.headers['location']).toBe('/api/v1/tracks/moodlensTest1')
    expect(created.body).toMatchObject({ id: 'moodlensTest1', album: '', popularity: 0, features })
    const again = await call(server.app, 'POST', '/api/v1/tracks', {
      token: curator.accessToken,
      json: { id: 'moodlensTest1', name: 'Sunny Test', artist: 'The Fixtures', features },
    })
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({ code: 'ERR_TRACK_EXISTS' })

    const feedback = await call(server.app, 'POST', '/api/v1/feedback', {
      token: curator.accessToken,
      json: { trackId: 'moodlensTest1', signal: 'skip' },
    })
    expect(feedback.status).toBe(201)

    // The features of the best track for 'sad': a copy of it must rank with it once it is stored.
    const best = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: curator.accessToken,
      json: { emotion: 'sad', k: 1, excludeRecent: false },
    })
    const gloomy = (best.body as { items: Item[] }).items[0]!.track.features
    const replaced = await call(server.app, 'PUT', '/api/v1/tracks/moodlensTest1', {
      token: curator.accessToken,
      json: { name: 'Gloomy Test', artist: 'The Fixtures', features: gloomy },
    })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ name: 'Gloomy Test', features: gloomy })
    const missing = await call(server.app, 'PUT', '/api/v1/tracks/nope', {
      token: curator.accessToken,
      json: { name: 'x', artist: 'y', features },
    })
    expect(missing.status).toBe(404)

    const header =
      'track_id,track_name,track_artist,track_popularity,track_album_name,track_album_release_date,playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,duration_ms'
    const csv = [
      header,
      'moodlensTest2,"Imported, with comma",Importer,50,Album,2020-01-02,rock,hard rock,0.4,0.9,1,-4,1,0.05,0.01,0,0.2,0.3,140,200000',
      'moodlensTest3,Bad Row,Importer,50,Album,2020,rock,hard rock,0.4,0.9,1,-4,1,0.05,0.01,0,0.2,not-a-number,140,200000',
      `moodlensTest1,Gloomy Test Again,The Fixtures,10,,2021,pop,,${['danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo'].map((name) => gloomy[name]).join(',')},1000`,
    ].join('\n')
    const imported = await call(server.app, 'POST', '/api/v1/tracks/import', {
      token: curator.accessToken,
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    })
    expect(imported.status).toBe(200)
    expect(imported.body).toMatchObject({ rows: 3, inserted: 1, updated: 1, duplicates: 0 })
    expect((imported.body as { errors: unknown[] }).errors).toHaveLength(1)

    const listener = await register(server.app)
    const rock = await call(server.app, 'GET', '/api/v1/tracks/moodlensTest2', {
      token: listener.accessToken,
    })
    expect(rock.body).toMatchObject({ name: 'Imported, with comma', releaseDate: '2020-01-02' })
    // The catalogue the recommender ranks was rebuilt: the new track can be recommended.
    const recs = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: listener.accessToken,
      json: { emotion: 'sad', k: 2 },
    })
    expect((recs.body as { items: Item[] }).items.map((item) => item.track.id)).toContain(
      'moodlensTest1',
    )

    expect(
      (
        await call(server.app, 'DELETE', '/api/v1/tracks/moodlensTest1', {
          token: curator.accessToken,
        })
      ).status,
    ).toBe(204)
    expect(
      (
        await call(server.app, 'DELETE', '/api/v1/tracks/moodlensTest1', {
          token: curator.accessToken,
        })
      ).status,
    ).toBe(404)
    const gone = await call(server.app, 'POST', '/api/v1/recommendations', {
      token: listener.accessToken,
      json: { emotion: 'sad', k: 2 },
    })
    expect((gone.body as { items: Item[] }).items.map((item) => item.track.id)).not.toContain(
      'moodlensTest1',
    )
    // Feedback about a deleted track stays in the history, without the track.
    const history = await call(server.app, 'GET', '/api/v1/history', { token: curator.accessToken })
    expect((history.body as { feedback: unknown[] }).feedback).toEqual([
      expect.objectContaining({ trackId: 'moodlensTest1', signal: 'skip', track: null }),
    ])
  })

  it('lets admins list users, change roles and disable accounts', async () => {
    const admin = await register(server.app)
    await grant(server, admin.id, ['listener', 'curator', 'admin'])
    const user = await register(server.app)
    const list = await call(
      server.app,
      'GET',
      `/api/v1/users?q=${encodeURIComponent(user.email)}`,
      {
        token: admin.accessToken,
      },
    )
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ total: 1, items: [{ id: user.id, roles: ['listener'] }] })

    const promoted = await call(server.app, 'PATCH', `/api/v1/users/${user.id}`, {
      token: admin.accessToken,
      json: { roles: ['listener', 'curator'] },
    })
    expect(promoted.body).toMatchObject({ roles: ['listener', 'curator'], disabled: false })
    // Roles are read from the database on every request: the old token already has them.
    const asCurator = await call(server.app, 'DELETE', '/api/v1/tracks/does-not-exist', {
      token: user.accessToken,
    })
    expect(asCurator.status).toBe(404)

    const disabled = await call(server.app, 'PATCH', `/api/v1/users/${user.id}`, {
      token: admin.accessToken,
      json: { disabled: true },
    })
    expect(disabled.body).toMatchObject({ disabled: true })
    const refused = await call(server.app, 'GET', '/api/v1/me', { token: user.accessToken })
    expect(refused.status).toBe(401)
    expect(refused.body).toMatchObject({ code: 'ERR_ACCOUNT_DISABLED' })
    const noRefresh = await call(server.app, 'POST', '/api/v1/auth/refresh', {
      json: { refreshToken: user.refreshToken },
    })
    expect(noRefresh.status).toBe(401)

    // Every other admin is demoted first, so that this one is the last.
    await server.db.query(
      `UPDATE users SET roles = '{listener}' WHERE id <> $1 AND 'admin' = ANY(roles)`,
      [admin.id],
    )
    const last = await call(server.app, 'PATCH', `/api/v1/users/${admin.id}`, {
      token: admin.accessToken,
      json: { roles: ['listener'] },
    })
    expect(last.status).toBe(409)
    expect(last.body).toMatchObject({ code: 'ERR_LAST_ADMIN' })
  })

  it('carries sealed bodies both ways after an ECDH session', async () => {
    const user = await register(server.app)
    const client = await openEnvelopeSession(server.app, user.accessToken)
    const { envelope, nonce } = await client.seal('POST', '/api/v1/moods', {
      probabilities: { happy: 1 },
    })
    const posted = await client.send('POST', '/api/v1/moods', envelope)
    expect(posted.status).toBe(201)
    expect(posted.headers['content-type']).toBe(ENVELOPE_MEDIA_TYPE)
    expect(posted.text).not.toContain('happy')
    expect(await client.open(posted, 'POST', '/api/v1/moods', nonce)).toMatchObject({
      emotion: 'happy',
    })

    // The inner body is validated like a plain one.
    const unknownField = await client.seal('POST', '/api/v1/moods', {
      probabilities: { happy: 1 },
      extra: 1,
    })
    const invalid = await client.send('POST', '/api/v1/moods', unknownField.envelope)
    expect(invalid.status).toBe(400)
    expect(invalid.body).toMatchObject({ code: 'ERR_VALIDATION' })

    // A GET asks for a sealed answer with Accept and the session header.
    const history = await call(server.app, 'GET', '/api/v1/history', {
      token: user.accessToken,
      headers: {
        accept: ENVELOPE_MEDIA_TYPE,
        [SESSION_HEADER]: client.sessionId,
        'x-moodlens-nonce': 'abcdefghijklmnopqrstuv',
      },
    })
    expect(history.status).toBe(200)
    const opened = (await client.open(
      history,
      'GET',
      '/api/v1/history',
      'abcdefghijklmnopqrstuv',
    )) as { moods: unknown[] }
    expect(opened.moods).toHaveLength(1)

    // Sessions belong to their user.
    const other = await register(server.app)
    const stolen = await call(server.app, 'POST', '/api/v1/moods', {
      token: other.accessToken,
      payload: (await client.seal('POST', '/api/v1/moods', { probabilities: { sad: 1 } })).envelope,
      headers: { 'content-type': ENVELOPE_MEDIA_TYPE, [SESSION_HEADER]: client.sessionId },
    })
    expect(stolen.status).toBe(401)
    expect(stolen.body).toMatchObject({ code: 'ERR_SESSION_UNKNOWN' })
  })

  it('finds faces and emotions in uploads, raw or multipart, and can record the mood', async () => {
    const user = await register(server.app)
    const image = await readFile(FACE)
    const rawUpload = await call(server.app, 'POST', '/api/v1/emotions', {
      token: user.accessToken,
      payload: image,
      headers: { 'content-type': 'image/png' },
    })
    expect(rawUpload.status, rawUpload.text).toBe(200)
    const result = rawUpload.body as {
      width: number
      faces: { emotion: string; faceScore: number; probabilities: Record<string, number> }[]
    }
    expect(result.width).toBe(512)
    expect(result.faces).toHaveLength(1)
    expect(result.faces[0]!.emotion).toBe('happy')
    expect(result.faces[0]!.faceScore).toBeGreaterThan(0.5)
    expect(
      (await call(server.app, 'GET', '/api/v1/history', { token: user.accessToken })).body,
    ).toEqual({
      moods: [],
      feedback: [],
    })

    const form = multipartBody('image', 'astronaut.png', 'image/png', image)
    const recorded = await call(server.app, 'POST', '/api/v1/emotions?record=true', {
      token: user.accessToken,
      payload: form.payload,
      headers: { 'content-type': form.contentType },
    })
    expect(recorded.status, recorded.text).toBe(200)
    expect(recorded.body).toMatchObject({ mood: { emotion: 'happy', source: 'server' } })
    const history = await call(server.app, 'GET', '/api/v1/history', { token: user.accessToken })
    expect((history.body as { moods: { source: string }[] }).moods).toEqual([
      expect.objectContaining({ source: 'server', emotion: 'happy' }),
    ])
  }, 60_000)
})
