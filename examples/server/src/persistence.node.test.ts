import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServerBundle } from './__tests__/buildServerBundle.ts'
import {
  fetchJson,
  killServerProcesses,
  runCommand,
  startServerProcess,
  waitForOutput,
  type ServerProcess,
} from './__tests__/serverProcess.ts'
import { startPostgres, type TestPostgres } from './__tests__/startPostgres.ts'
import {
  call,
  DATABASES,
  preparePgliteDir,
  register,
  TEST_SCRYPT_LOG_N,
  type DatabaseKind,
} from './__tests__/testServer.ts'
import { buildServer, DEMO_CATALOGUE, type BuildServerOptions } from './buildServer.ts'
import { DATA_KEYS_FILE, generateDataKey } from './createKeyring.ts'

let postgres: TestPostgres | undefined
let bundle: Awaited<ReturnType<typeof buildServerBundle>> | undefined
const folders: string[] = []

beforeAll(async () => {
  ;[postgres, bundle] = await Promise.all([startPostgres(), buildServerBundle()])
}, 120_000)

afterAll(async () => {
  await killServerProcesses()
  await postgres?.stop()
  await bundle?.remove()
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
})

async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'moodlens-persist-'))
  folders.push(folder)
  return folder
}

async function databaseFor(
  kind: DatabaseKind,
  dataDir: string,
): Promise<BuildServerOptions['database']> {
  return kind === 'postgres'
    ? { url: await postgres!.createDatabase() }
    : { pgliteDir: join(dataDir, 'pglite') }
}

describe.each(DATABASES)('persistence on %s', (kind) => {
  it('keeps accounts, encrypted moods, feedback and taste across a restart', async () => {
    const dataDir = await temporaryFolder()
    const options: BuildServerOptions = {
      database: await databaseFor(kind, dataDir),
      dataDir,
      webDir: false,
      scryptLogN: TEST_SCRYPT_LOG_N,
    }
    const first = await buildServer(options)
    const user = await register(first)
    await call(first, 'POST', '/api/v1/moods', {
      token: user.accessToken,
      json: { probabilities: { sad: 1 } },
    })
    const recs = await call(first, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'sad', k: 3 },
    })
    const trackId = (recs.body as { items: { track: { id: string } }[] }).items[0]!.track.id
    await call(first, 'POST', '/api/v1/feedback', {
      token: user.accessToken,
      json: { trackId, signal: 'like' },
    })
    const withTaste = await call(first, 'POST', '/api/v1/recommendations', {
      token: user.accessToken,
      json: { emotion: 'sad', k: 10 },
    })
    await first.close()

    const second = await buildServer(options)
    try {
      // Signed in on the first run: the access token, signed with the generated key, still works.
      const me = await call(second, 'GET', '/api/v1/me', { token: user.accessToken })
      expect(me.status).toBe(200)
      const login = await call(second, 'POST', '/api/v1/auth/login', {
        json: { email: user.email, password: user.password },
      })
      expect(login.status).toBe(200)
      const history = await call(second, 'GET', '/api/v1/history', { token: user.accessToken })
      expect(history.body).toMatchObject({
        moods: [{ emotion: 'sad', source: 'device' }],
        feedback: [{ trackId, signal: 'like' }],
      })
      const again = await call(second, 'POST', '/api/v1/recommendations', {
        token: user.accessToken,
        json: { emotion: 'sad', k: 10 },
      })
      expect(again.body).toEqual(withTaste.body)
      // Seeded once: the restart did not import the catalogue again.
      expect((await call(second, 'GET', '/api/health')).body).toMatchObject({ tracks: 3000 })
    } finally {
      await second.close()
    }
  }, 120_000)

  it('keeps what was acknowledged when the process is killed with SIGKILL, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = await temporaryFolder()
    const env: Record<string, string> = {
      MOODLENS_DATA_DIR: dataDir,
      MOODLENS_SEED_CSV: DEMO_CATALOGUE,
      LOG_LEVEL: 'info',
      ...(kind === 'postgres' && { DATABASE_URL: await postgres!.createDatabase() }),
    }
    if (kind === 'pglite') await preparePgliteDir(join(dataDir, 'pglite'))
    let server: ServerProcess = await startServerProcess(bundle!.main, env)
    const email = 'survivor@example.com'
    const password = 'a long enough password'
    const registered = await fetchJson(`${server.url}/api/v1/auth/register`, 'POST', {
      email,
      password,
    })
    expect(registered.status).toBe(201)
    const token = (registered.body as { accessToken: string }).accessToken
    const mood = await fetchJson(
      `${server.url}/api/v1/moods`,
      'POST',
      { probabilities: { surprise: 0.6, happy: 0.4 } },
      token,
    )
    expect(mood.status).toBe(201)

    server.child.kill('SIGKILL')
    expect(await server.exited).toBe('SIGKILL')

    server = await startServerProcess(bundle!.main, env)
    const login = await fetchJson(`${server.url}/api/v1/auth/login`, 'POST', { email, password })
    expect(login.status).toBe(200)
    const history = await fetchJson(
      `${server.url}/api/v1/history`,
      'GET',
      undefined,
      (login.body as { accessToken: string }).accessToken,
    )
    expect(history.body).toMatchObject({ moods: [{ emotion: 'surprise' }] })

    // SIGTERM while a request is in flight (a registration: scrypt takes a moment): the request
    // is answered, then the process exits cleanly.
    const inFlight = fetchJson(`${server.url}/api/v1/auth/register`, 'POST', {
      email: 'latecomer@example.com',
      password,
    })
    await waitForOutput(server, '"url":"/api/v1/auth/register"')
    server.child.kill('SIGTERM')
    expect((await inFlight).status).toBe(201)
    expect(await server.exited).toBe(0)
    expect(server.output()).toContain('shutting down')

    // The documented rotation: a new generated data key, every value re-encrypted, old keys gone.
    const before = JSON.parse(await readFile(join(dataDir, DATA_KEYS_FILE), 'utf8')) as {
      current: string
    }
    const rotated = await runCommand(bundle!.main, env, ['rotate-data-key'])
    expect(rotated.output).toContain('re-encrypted 1 moods')
    expect(rotated.code).toBe(0)
    const after = JSON.parse(await readFile(join(dataDir, DATA_KEYS_FILE), 'utf8')) as {
      current: string
      keys: Record<string, string>
    }
    expect(after.current).not.toBe(before.current)
    expect(Object.keys(after.keys)).toEqual([after.current])
    server = await startServerProcess(bundle!.main, env)
    const reopened = await fetchJson(
      `${server.url}/api/v1/history`,
      'GET',
      undefined,
      (login.body as { accessToken: string }).accessToken,
    )
    expect(reopened.body).toMatchObject({ moods: [{ emotion: 'surprise' }] })
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  }, 240_000)
})

describe('data-key rotation with MOODLENS_DATA_KEY', () => {
  it('moves values from MOODLENS_DATA_KEY_PREVIOUS to MOODLENS_DATA_KEY', async () => {
    const dataDir = await temporaryFolder()
    const oldKey = generateDataKey()
    const newKey = generateDataKey()
    const url = await postgres!.createDatabase()
    const options: BuildServerOptions = {
      database: { url },
      dataDir,
      dataKey: oldKey,
      webDir: false,
      seedCatalogue: false,
      scryptLogN: TEST_SCRYPT_LOG_N,
    }
    const first = await buildServer(options)
    const user = await register(first)
    const stored = await call(first, 'POST', '/api/v1/moods', {
      token: user.accessToken,
      json: { probabilities: { fear: 1 } },
    })
    expect(stored.status, stored.text).toBe(201)
    await first.close()

    const env = {
      DATABASE_URL: url,
      MOODLENS_DATA_DIR: dataDir,
      MOODLENS_DATA_KEY: newKey,
      MOODLENS_DATA_KEY_PREVIOUS: oldKey,
    }
    const rotated = await runCommand(bundle!.main, env, ['rotate-data-key'])
    expect(rotated.code, rotated.output).toBe(0)
    expect(rotated.output).toContain('re-encrypted 1 moods')

    // The old key is gone: only the new one is configured, and everything opens with it.
    const second = await buildServer({ ...options, dataKey: newKey })
    try {
      const history = await call(second, 'GET', '/api/v1/history', { token: user.accessToken })
      expect(history.body).toMatchObject({ moods: [{ emotion: 'fear' }] })
    } finally {
      await second.close()
    }
  }, 120_000)
})
