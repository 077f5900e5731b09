import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import {
  likePattern,
  pageSchema,
  pagingProperties,
  MAX_TEXT_LENGTH,
  newTrackSchema,
  problemResponses,
  trackIdSchema,
  trackInputSchema,
  trackSchema,
} from '../schemas.ts'
import { trackFromRow, trackParams, TRACK_COLUMNS, TRACK_SELECT, type Track } from '../trackRows.ts'

/** The largest CSV `POST /tracks/import` accepts. */
export const CSV_BODY_LIMIT: number = 10 * 1024 * 1024

interface TrackQuery {
  readonly q?: string
  readonly genre?: string
  readonly limit: number
  readonly offset: number
}

type TrackInput = Omit<Track, 'id'>

const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: trackIdSchema },
} as const

/**
 * `/tracks`: search for everyone signed in; create, replace, delete and CSV import for curators.
 * Every change bumps the catalogue version in the same transaction, so recommendations see it.
 */
export async function trackRoutes(app: FastifyInstance): Promise<void> {
  const { db, catalog } = app.moodlens

  app.get<{ Querystring: TrackQuery }>(
    '/tracks',
    {
      config: { permission: 'tracks:read' },
      schema: {
        tags: ['tracks'],
        summary: 'Search the catalogue (name, artist or album), most popular first',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
            genre: { type: 'string', minLength: 1, maxLength: 50 },
            ...pagingProperties,
          },
        },
        response: {
          200: pageSchema(trackSchema),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { q, genre, limit, offset } = request.query
      const params = [q === undefined ? null : likePattern(q), genre ?? null]
      const where = `($1::text IS NULL OR name ILIKE $1 OR artist ILIKE $1 OR album ILIKE $1)
                     AND ($2::text IS NULL OR genre = $2)`
      const [items, count] = await Promise.all([
        db.query(
          `SELECT ${TRACK_SELECT} FROM tracks WHERE ${where} ORDER BY popularity DESC, id LIMIT $3 OFFSET $4`,
          [...params, limit, offset],
        ),
        db.query<{ total: number }>(
          `SELECT count(*)::integer AS total FROM tracks WHERE ${where}`,
          params,
        ),
      ])
      return {
        items: items.rows.map(trackFromRow),
        total: count.rows[0]?.total ?? 0,
        limit,
        offset,
      }
    },
  )

  app.get<{ Params: { id: string } }>(
    '/tracks/:id',
    {
      config: { permission: 'tracks:read' },
      schema: {
        tags: ['tracks'],
        summary: 'One track',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: trackSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { rows } = await db.query(`SELECT ${TRACK_SELECT} FROM tracks WHERE id = $1`, [
        request.params.id,
      ])
      if (!rows[0]) throw new ApiError(404, 'ERR_UNKNOWN_TRACK', 'No track has this id')
      return trackFromRow(rows[0])
    },
  )

  app.post<{ Body: Track }>(
    '/tracks',
    {
      config: { permission: 'tracks:write' },
      schema: {
        tags: ['tracks'],
        summary: 'Add a track (curators)',
        security: [{ bearer: [] }],
        body: newTrackSchema,
        response: { 201: trackSchema, ...problemResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const track = request.body
      const placeholders = TRACK_COLUMNS.map((_, index) => `$${index + 1}`).join(', ')
      const created = await db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `INSERT INTO tracks (${TRACK_COLUMNS.join(', ')}) VALUES (${placeholders})
           ON CONFLICT (id) DO NOTHING RETURNING ${TRACK_SELECT}`,
          trackParams(track),
        )
        if (!rows[0])
          throw new ApiError(409, 'ERR_TRACK_EXISTS', 'A track with this id already exists')
        await catalog.bump(tx)
        return trackFromRow(rows[0])
      })
      catalog.invalidate()
      return reply.code(201).header('location', `/api/v1/tracks/${created.id}`).send(created)
    },
  )

  app.put<{ Params: { id: string }; Body: TrackInput }>(
    '/tracks/:id',
    {
      config: { permission: 'tracks:write' },
      schema: {
        tags: ['tracks'],
        summary: 'Replace a track (curators)',
        security: [{ bearer: [] }],
        params: idParams,
        body: trackInputSchema,
        response: { 200: trackSchema, ...problemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) => {
      const track: Track = { ...request.body, id: request.params.id }
      const assignments = TRACK_COLUMNS.slice(1)
        .map((column, index) => `${column} = $${index + 2}`)
        .join(', ')
      const updated = await db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `UPDATE tracks SET ${assignments}, updated_at = now() WHERE id = $1 RETURNING ${TRACK_SELECT}`,
          trackParams(track),
        )
        if (!rows[0]) throw new ApiError(404, 'ERR_UNKNOWN_TRACK', 'No track has this id')
        await catalog.bump(tx)
        return trackFromRow(rows[0])
      })
      catalog.invalidate()
      return updated
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/tracks/:id',
    {
      config: { permission: 'tracks:write' },
      schema: {
        tags: ['tracks'],
        summary: 'Remove a track (curators); feedback about it stays in listeners\u2019 history',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 204: { type: 'null' }, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await db.transaction(async (tx) => {
        const { rowCount } = await tx.query('DELETE FROM tracks WHERE id = $1', [request.params.id])
        if (rowCount === 0) throw new ApiError(404, 'ERR_UNKNOWN_TRACK', 'No track has this id')
        await catalog.bump(tx)
      })
      catalog.invalidate()
      return reply.code(204).send()
    },
  )

  app.post<{ Body: string }>(
    '/tracks/import',
    {
      bodyLimit: CSV_BODY_LIMIT,
      config: { permission: 'tracks:write', accepts: ['text/csv'] },
      schema: {
        tags: ['tracks'],
        summary:
          'Import a Spotify-style CSV (text/csv, up to 10 MiB); rows are upserted by track_id',
        description:
          'Columns as in the TidyTuesday spotify_songs.csv: track_id, track_name, track_artist, track_popularity, track_album_name, track_album_release_date, playlist_genre, playlist_subgenre, the eleven audio features and duration_ms. Bad rows are reported and skipped; the good ones are stored in one transaction.',
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'object',
            required: ['rows', 'inserted', 'updated', 'duplicates', 'errors'],
            properties: {
              rows: { type: 'integer' },
              inserted: { type: 'integer' },
              updated: { type: 'integer' },
              duplicates: { type: 'integer' },
              errors: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['line', 'reason'],
                  properties: { line: { type: 'integer' }, reason: { type: 'string' } },
                },
              },
            },
          },
          ...problemResponses(400, 401, 403, 413, 415, 422),
        },
      },
    },
    async (request) => {
      if (typeof request.body !== 'string' || request.body.trim() === '') {
        throw new ApiError(422, 'ERR_CSV_INVALID', 'The CSV is empty')
      }
      try {
        const result = await catalog.importCsv(request.body)
        return { ...result, errors: result.errors.slice(0, 1000) }
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_INVALID_CSV') {
          throw new ApiError(422, 'ERR_CSV_INVALID', (error as Error).message)
        }
        throw error
      }
    },
  )
}
