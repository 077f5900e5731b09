import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/** Debian's PostgreSQL 15 binaries; `MOODLENS_PG_BIN` points elsewhere. */
const PG_BIN = process.env['MOODLENS_PG_BIN'] ?? '/usr/lib/postgresql/15/bin'

/** A throw-away PostgreSQL cluster on loopback. */
export interface TestPostgres {
  /** A URL for a new, empty database in the cluster. */
  createDatabase(): Promise<string>
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/**
 * Starts a PostgreSQL 15 cluster in a temporary folder, listening on 127.0.0.1 only. PostgreSQL
 * refuses to run as root, and CI runs as root: there, initdb and pg_ctl run as the `postgres`
 * system user (the Debian package creates it). Fails, never skips, when PostgreSQL is missing.
 */
export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(
      `PostgreSQL 15 is not installed (no ${PG_BIN}/initdb): the server tests run on it. ` +
        'Install it with `apt-get install -y postgresql-15` (.ci/run does), or set MOODLENS_PG_BIN.',
    )
  }
  const dir = await mkdtemp(join(tmpdir(), 'moodlens-pg-'))
  const asRoot = process.getuid?.() === 0
  let prefix: string[] = []
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: group } = await run('id', ['-g', 'postgres'])
    await chown(dir, Number(stdout.trim()), Number(group.trim()))
    prefix = ['runuser', '-u', 'postgres', '--']
  }
  const command = async (binary: string, args: string[]): Promise<void> => {
    const [file, ...rest] = [...prefix, join(PG_BIN, binary), ...args]
    try {
      await run(file!, rest, { timeout: 60_000 })
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string }
      throw new Error(
        `PostgreSQL could not start (${binary} failed): ${stderr || stdout || String(error)}`,
        { cause: error },
      )
    }
  }
  const data = join(dir, 'data')
  const port = await freePort()
  await command('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ])
  await command('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    'start',
  ])
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`
  let databases = 0
  return {
    async createDatabase() {
      const name = `moodlens_test_${++databases}`
      const client = new pg.Client({ connectionString: admin })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    async stop() {
      await command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}
