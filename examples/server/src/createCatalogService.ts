import { readFile } from 'node:fs/promises'
import {
  createCatalog,
  parseCatalogCsv,
  type Catalog,
  type CsvRowError,
} from '@moodlens/recommender'
import type { Database, Queryable } from './openDatabase.ts'
import {
  trackFromCsv,
  trackFromRow,
  trackParams,
  TRACK_COLUMNS,
  TRACK_SELECT,
  type Track,
} from './trackRows.ts'

/** A catalogue entry: the track's features at the top level (where the recommender reads them). */
export interface CatalogEntry {
  readonly id: string
  readonly track: Track
  readonly [feature: string]: unknown
}

/** The outcome of a CSV import. */
export interface ImportResult {
  readonly rows: number
  readonly inserted: number
  readonly updated: number
  readonly errors: readonly CsvRowError[]
  readonly duplicates: number
}

/**
 * The in-memory catalogue the recommender ranks, kept in step with the tracks table. Writers bump
 * `catalog_state.version` in the same transaction as their change; readers compare versions (one
 * indexed read) and rebuild when another process, or this one, changed the tracks.
 */
export interface CatalogService {
  /** The current catalogue, or `undefined` when the tracks table is empty. */
  current(): Promise<Catalog<CatalogEntry> | undefined>
  /** Records a change to the tracks table; call inside the writing transaction. */
  bump(tx: Queryable): Promise<void>
  /** Makes the next `current()` look at the version at once; call after the transaction commits. */
  invalidate(): void
  /** Imports a Spotify-style CSV (upserting by id) in one transaction. */
  importCsv(text: string): Promise<ImportResult>
  /** Imports the demo catalogue if this database has never been seeded. */
  seed(csvPath: string): Promise<ImportResult | undefined>
}

/**
 * How long a checked version is trusted before asking the database again. Changes made through
 * this process are seen at once (`invalidate`); changes by other processes sharing the database
 * within this time.
 */
export const CATALOG_CHECK_INTERVAL_MS = 1000

/** At most this many rows per INSERT statement (PostgreSQL allows 65,535 parameters). */
const INSERT_BATCH = 500

/** Creates the catalogue service for a database. */
export function createCatalogService(db: Database): CatalogService {
  let cached: { version: number; catalog: Catalog<CatalogEntry> | undefined } | undefined
  let building: Promise<{ version: number; catalog: Catalog<CatalogEntry> | undefined }> | undefined
  let checkedAt = Number.NEGATIVE_INFINITY

  async function build(
    version: number,
  ): Promise<{ version: number; catalog: Catalog<CatalogEntry> | undefined }> {
    const { rows } = await db.query(`SELECT ${TRACK_SELECT} FROM tracks ORDER BY id`)
    const entries = rows.map((row) => {
      const track = trackFromRow(row)
      return { ...track.features, id: track.id, track } satisfies CatalogEntry
    })
    return { version, catalog: entries.length === 0 ? undefined : createCatalog(entries) }
  }

  async function current(): Promise<Catalog<CatalogEntry> | undefined> {
    const now = Date.now()
    if (cached && now - checkedAt < CATALOG_CHECK_INTERVAL_MS) return cached.catalog
    const { rows } = await db.query<{ version: number }>(
      'SELECT version FROM catalog_state WHERE id = 1',
    )
    const version = rows[0]?.version ?? 0
    if (cached?.version === version) {
      checkedAt = now
      return cached.catalog
    }
    // Concurrent requests share one rebuild instead of each reading the whole table.
    if (!building) {
      building = build(version).finally(() => {
        building = undefined
      })
    }
    const built = await building
    if (!cached || built.version >= cached.version) {
      cached = built
      checkedAt = now
    }
    return built.catalog
  }

  function invalidate(): void {
    checkedAt = Number.NEGATIVE_INFINITY
  }

  async function bump(tx: Queryable): Promise<void> {
    await tx.query('UPDATE catalog_state SET version = version + 1 WHERE id = 1')
  }

  async function upsert(
    tx: Queryable,
    tracks: readonly Track[],
  ): Promise<{ inserted: number; updated: number }> {
    let inserted = 0
    let updated = 0
    const width = TRACK_COLUMNS.length
    const assignments = TRACK_COLUMNS.filter((column) => column !== 'id')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ')
    for (let start = 0; start < tracks.length; start += INSERT_BATCH) {
      const batch = tracks.slice(start, start + INSERT_BATCH)
      const values = batch
        .map(
          (_, row) =>
            `(${TRACK_COLUMNS.map((__, column) => `$${row * width + column + 1}`).join(', ')})`,
        )
        .join(', ')
      const { rows } = await tx.query<{ inserted: boolean }>(
        `INSERT INTO tracks (${TRACK_COLUMNS.join(', ')}) VALUES ${values}
         ON CONFLICT (id) DO UPDATE SET ${assignments}, updated_at = now()
         RETURNING (xmax = 0) AS inserted`,
        batch.flatMap(trackParams),
      )
      for (const row of rows) {
        if (row.inserted) inserted++
        else updated++
      }
    }
    return { inserted, updated }
  }

  async function importCsv(text: string): Promise<ImportResult> {
    const parsed = parseCatalogCsv(text, { idColumn: 'track_id' })
    const errors: CsvRowError[] = [...parsed.errors]
    const tracks: Track[] = []
    // parseCatalogCsv reports bad rows by line but does not say which line a good row came from;
    // rows refused here are reported by id instead (line 0).
    for (const row of parsed.tracks) {
      const track = trackFromCsv(row)
      if (typeof track === 'string')
        errors.push({ line: 0, reason: `track ${row.id.slice(0, 80)}: ${track}` })
      else tracks.push(track)
    }
    const counts =
      tracks.length === 0
        ? { inserted: 0, updated: 0 }
        : await db.transaction(async (tx) => {
            const result = await upsert(tx, tracks)
            await bump(tx)
            return result
          })
    invalidate()
    return { rows: parsed.rows, ...counts, errors, duplicates: parsed.duplicates.length }
  }

  async function seed(csvPath: string): Promise<ImportResult | undefined> {
    const text = await readFile(csvPath, 'utf8')
    return db.transaction(async (tx) => {
      // Lock the state row so that two processes starting together seed once.
      const { rows } = await tx.query<{ seeded: boolean }>(
        'SELECT seeded FROM catalog_state WHERE id = 1 FOR UPDATE',
      )
      if (rows[0]?.seeded !== false) return undefined
      const parsed = parseCatalogCsv(text, { idColumn: 'track_id' })
      const tracks = parsed.tracks
        .map(trackFromCsv)
        .filter((track): track is Track => typeof track !== 'string')
      const counts = await upsert(tx, tracks)
      await tx.query('UPDATE catalog_state SET seeded = true, version = version + 1 WHERE id = 1')
      return {
        rows: parsed.rows,
        ...counts,
        errors: parsed.errors,
        duplicates: parsed.duplicates.length,
      }
    })
  }

  return { current, bump, invalidate, importCsv, seed }
}
