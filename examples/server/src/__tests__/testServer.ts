import { createHash, randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { FastifyInstance } from 'fastify'
import { buildServer, DEMO_CATALOGUE, type BuildServerOptions } from '../buildServer.ts'
import { createCatalogService } from '../createCatalogService.ts'
import { MIGRATIONS, runMigrations } from '../migrations.ts'
import { fromPglite } from '../openDatabase.ts'
import { loadCoreDetector } from '../loadCoreDetector.ts'
import type { Database } from '../openDatabase.ts'
import type { ServerEmotionDetector } from '../routes/emotionRoutes.ts'
import type { TestPostgres } from './startPostgres.ts'

/** The databases every flow runs on. */
export const DATABASES: readonly ['pglite', 'postgres'] = ['pglite', 'postgres']
export type DatabaseKind = (typeof DATABASES)[number]

/** Cheap password hashing for tests (the default, 2^17, costs about 0.3 s per hash here). */
export const TEST_SCRYPT_LOG_N: number = 12

export interface TestServer {
  readonly app: FastifyInstance
  readonly db: Database
  readonly dataDir: string
  readonly options: BuildServerOptions
  close(): Promise<void>
}

const CACHE = new URL('../../../../node_modules/.cache/moodlens-server-test/', import.meta.url)

/**
 * A PGlite data folder, migrated and seeded with the demo catalogue, as a tarball: loading it
 * takes a fraction of PGlite's initdb. Cached on disk under node_modules/.cache, keyed by
 * everything that shapes it (PGlite's version, the migrations, the catalogue and the seeding code),
 * so a change to any of them makes a new one.
 */
async function pgliteSnapshot(): Promise<Blob> {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(MIGRATIONS))
  hash.update(
    await readFile(
      new URL('../../../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
    ),
  )
  hash.update(await readFile(DEMO_CATALOGUE))
  hash.update(await readFile(new URL('../createCatalogService.ts', import.meta.url)))
  hash.update(await readFile(new URL('../trackRows.ts', import.meta.url)))
  const file = new URL(`pglite-${hash.digest('hex').slice(0, 16)}.tar`, CACHE)
  try {
    return new Blob([await readFile(file)])
  } catch {
    // Not cached yet: build it below.
  }
  const pglite = await PGlite.create()
  const db = fromPglite(pglite)
  await runMigrations(db)
  await createCatalogService(db).seed(DEMO_CATALOGUE)
  const dump = await pglite.dumpDataDir('none')
  await db.close()
  await mkdir(CACHE, { recursive: true })
  // Written under a unique name, then renamed: test files building it at once cannot clash.
  const temporary = new URL(`${randomUUID()}.tmp`, CACHE)
  await writeFile(temporary, new Uint8Array(await dump.arrayBuffer()))
  await rename(temporary, file)
  // Snapshots of older schemas or code are never read again.
  for (const entry of await readdir(CACHE)) {
    if (/^pglite-[0-9a-f]{16}\.tar$/.test(entry) && entry !== file.pathname.split('/').pop()) {
      await rm(new URL(entry, CACHE), { force: true })
    }
  }
  return dump
}

let snapshotPromise: Promise<Blob> | undefined

/**
 * Fills a PGlite data folder from the cached snapshot (migrated and seeded), as a first start would
 * leave it, in a fraction of the time.
 */
export async function preparePgliteDir(dir: string): Promise<void> {
  snapshotPromise ??= pgliteSnapshot()
  const pglite = await PGlite.create(dir, { loadDataDir: await snapshotPromise })
  await pglite.close()
}

let detector: Promise<ServerEmotionDetector> | undefined

/**
 * One real `@moodlens/core` detector (wasm) shared by the servers of a test file: loading the
 * models once keeps the suite fast. Servers closing do not dispose it; the worker's exit does.
 */
export function sharedDetector(): Promise<ServerEmotionDetector> {
  detector ??= loadCoreDetector()
  return detector.then((shared) => ({ ...shared, dispose: () => {} }))
}

/** A server on a fresh database (PGlite in memory, or a new PostgreSQL database) and data folder. */
export async function createTestServer(
  kind: DatabaseKind,
  postgres: TestPostgres | undefined,
  overrides: Partial<BuildServerOptions> = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'moodlens-server-'))
  let database: BuildServerOptions['database']
  if (kind === 'postgres') {
    if (!postgres) throw new Error('createTestServer: postgres tests need a running cluster')
    database = { url: await postgres.createDatabase(), poolSize: 4 }
  } else {
    snapshotPromise ??= pgliteSnapshot()
    database = { memory: true, snapshot: await snapshotPromise }
  }
  const options: BuildServerOptions = {
    database,
    dataDir,
    webDir: false,
    scryptLogN: TEST_SCRYPT_LOG_N,
    emotionDetector: sharedDetector,
    ...overrides,
  }
  const app = await buildServer(options)
  return {
    app,
    db: app.moodlens.db,
    dataDir,
    options,
    async close() {
      await app.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export interface ApiResponse {
  readonly status: number
  readonly headers: Record<string, unknown>
  readonly body: unknown
  readonly text: string
}

/** One request through `inject`, with the body parsed when it is JSON. */
export async function call(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: {
    readonly token?: string | undefined
    readonly json?: unknown
    readonly payload?: string | Buffer
    readonly headers?: Record<string, string>
  } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`
  let payload: string | Buffer | undefined = options.payload
  if (options.json !== undefined) {
    payload = JSON.stringify(options.json)
    headers['content-type'] ??= 'application/json'
  }
  const response = await app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined && { payload }),
  })
  const type = String(response.headers['content-type'] ?? '')
  const body =
    type.includes('json') && response.body !== ''
      ? (JSON.parse(response.body) as unknown)
      : undefined
  return { status: response.statusCode, headers: response.headers, body, text: response.body }
}

let accounts = 0

/** Registers a new account; returns its tokens and id. */
export async function register(
  app: FastifyInstance,
  email = `user${++accounts}-${Date.now()}@example.com`,
  password = 'correct horse battery',
): Promise<{
  email: string
  password: string
  accessToken: string
  refreshToken: string
  id: string
}> {
  const response = await call(app, 'POST', '/api/v1/auth/register', { json: { email, password } })
  if (response.status !== 201)
    throw new Error(`register failed: ${response.status} ${response.text}`)
  const body = response.body as { accessToken: string; refreshToken: string; user: { id: string } }
  return {
    email,
    password,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    id: body.user.id,
  }
}

/** Gives an account roles directly in the database (what `main.js grant-role` does). */
export async function grant(server: TestServer, id: string, roles: string[]): Promise<void> {
  await server.db.query('UPDATE users SET roles = $2 WHERE id = $1', [id, roles])
}

/**
 * A fingerprint of every table: two equal snapshots mean the database did not change. Rows are
 * compared as text, sorted, so the order they come back in does not matter.
 */
export async function snapshot(db: Database): Promise<Record<string, string>> {
  const tables = [
    'users',
    'refresh_tokens',
    'login_failures',
    'tracks',
    'moods',
    'feedback',
    'catalog_state',
    'schema_migrations',
  ]
  const result: Record<string, string> = {}
  for (const table of tables) {
    const { rows } = await db.query<{ digest: string | null; count: number }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*)::integer AS count FROM ${table} t`,
    )
    result[table] = `${rows[0]?.count}:${rows[0]?.digest}`
  }
  return result
}
