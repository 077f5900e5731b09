import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

/** A row-returning query's result: the same shape on PGlite and on PostgreSQL. */
export interface QueryResult<TRow> {
  readonly rows: TRow[]
  readonly rowCount: number
}

/** What route code needs from a database connection or an open transaction. */
export interface Queryable {
  query<TRow = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<TRow>>
}

/** A connection inside a transaction. */
export interface Transaction extends Queryable {
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/**
 * The server's database: embedded PGlite or a PostgreSQL pool, behind one interface so that the
 * same SQL runs on both (the tests run every flow on each).
 */
export interface Database extends Transaction {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/**
 * Where the data lives: a PostgreSQL URL, a PGlite folder, or PGlite in memory (optionally started
 * from a `dumpDataDir()` snapshot, which the tests use to skip initdb).
 */
export type DatabaseOptions =
  | { readonly url: string; readonly poolSize?: number }
  | { readonly pgliteDir: string }
  | { readonly memory: true; readonly snapshot?: Blob | undefined }

/**
 * Opens the database: PostgreSQL when given a URL, else PGlite persisted in a folder (created if
 * missing) or held in memory.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ pgliteDir: '.data/pglite' })
 * const { rows } = await db.query<{ one: number }>('SELECT 1 AS one')
 * await db.close()
 * ```
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ('url' in options) return openPostgres(options.url, options.poolSize ?? 10)
  if ('pgliteDir' in options) {
    await mkdir(options.pgliteDir, { recursive: true })
    return fromPglite(await PGlite.create(options.pgliteDir))
  }
  return fromPglite(
    await PGlite.create(options.snapshot === undefined ? {} : { loadDataDir: options.snapshot }),
  )
}

/** Wraps an open PGlite instance (in memory, in a folder, or loaded from a dump). */
export function fromPglite(db: PGlite): Database {
  const run = async <TRow>(
    target: Pick<PGlite, 'query'>,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<TRow>> => {
    const result = await target.query<TRow>(sql, [...params])
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
  }
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => {
      await db.exec(sql)
    },
    // PGlite has one connection: its transaction() holds it, so other queries wait their turn.
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: (sql, params) => run(tx, sql, params),
          exec: async (sql) => {
            await tx.exec(sql)
          },
        }),
      ),
    close: once(() => db.close()),
  }
}

/** Makes `close` idempotent: a second call waits for the first instead of failing. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => (closing ??= close())
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // PostgreSQL's int8 (count(*), bigserial) comes back as a string by default; every such value
  // here is far below 2^53, and PGlite returns numbers, so both answer alike.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
  } as pg.CustomTypesConfig
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types })
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const run = async <TRow>(
    target: pg.Pool | pg.PoolClient,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<QueryResult<TRow>> => {
    const result = await target.query(sql, [...params])
    return { rows: result.rows as TRow[], rowCount: result.rowCount ?? result.rows.length }
  }
  // Fail at start-up, not on the first request, when the server is unreachable.
  await run(pool, 'SELECT 1')
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql)
    },
    transaction: async (work) => {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await work({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql)
          },
        })
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    close: once(() => pool.end()),
  }
}
