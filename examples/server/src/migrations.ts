import type { Database } from './openDatabase.ts'

/** One step of the schema. Applied in order, once, each in its own transaction. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/**
 * The schema's history. Append new steps; never edit one that has shipped, since databases that
 * already applied it would not see the change. Plain PostgreSQL 15 SQL that PGlite runs as is.
 */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'users, tokens, catalogue, moods and feedback',
    sql: `
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        taste_key_id text,
        taste text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE refresh_tokens (
        token_hash text PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

      CREATE TABLE login_failures (
        email text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX login_failures_email ON login_failures (email, failed_at);

      CREATE TABLE tracks (
        id text PRIMARY KEY,
        name text NOT NULL,
        artist text NOT NULL,
        album text NOT NULL DEFAULT '',
        release_date text NOT NULL DEFAULT '',
        genre text NOT NULL DEFAULT '',
        subgenre text NOT NULL DEFAULT '',
        popularity integer NOT NULL DEFAULT 0,
        duration_ms integer NOT NULL DEFAULT 0,
        danceability double precision NOT NULL,
        energy double precision NOT NULL,
        key integer NOT NULL,
        loudness double precision NOT NULL,
        mode integer NOT NULL,
        speechiness double precision NOT NULL,
        acousticness double precision NOT NULL,
        instrumentalness double precision NOT NULL,
        liveness double precision NOT NULL,
        valence double precision NOT NULL,
        tempo double precision NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX tracks_genre ON tracks (genre);

      CREATE TABLE moods (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        source text NOT NULL CHECK (source IN ('device', 'server')),
        key_id text NOT NULL,
        payload text NOT NULL
      );
      CREATE INDEX moods_user_time ON moods (user_id, created_at DESC);

      CREATE TABLE feedback (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        track_id text NOT NULL,
        signal text NOT NULL CHECK (signal IN ('like', 'skip', 'dislike', 'rating')),
        rating smallint CHECK (rating BETWEEN 1 AND 5),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX feedback_user_time ON feedback (user_id, created_at DESC);

      -- One row: bumped on every catalogue change, so that each server process (several may
      -- share one PostgreSQL) knows when to rebuild its in-memory catalogue.
      CREATE TABLE catalog_state (
        id integer PRIMARY KEY CHECK (id = 1),
        version integer NOT NULL,
        seeded boolean NOT NULL
      );
      INSERT INTO catalog_state (id, version, seeded) VALUES (1, 0, false);
    `,
  },
])

// Any constant will do; it only has to be the same for every process migrating one database.
const MIGRATION_LOCK = 7_310_582

/**
 * Brings the schema up to date. Safe to run from several processes at once: an advisory lock
 * makes them take turns, and each step is recorded in the same transaction that applies it.
 *
 * @example
 * ```ts
 * const applied = await runMigrations(db) // [1] on a new database, [] afterwards
 * ```
 */
export async function runMigrations(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )
    `)
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations')
    const done = new Set(rows.map((row) => row.version))
    const newest = Math.max(0, ...done)
    const known = Math.max(0, ...migrations.map((migration) => migration.version))
    if (newest > known) {
      throw new Error(
        `The database schema is at version ${newest}, newer than this server knows (${known}): upgrade the server`,
      )
    }
    const applied: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue
      await tx.exec(migration.sql)
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ])
      applied.push(migration.version)
    }
    return applied
  })
}
