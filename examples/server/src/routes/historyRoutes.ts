import type { FastifyInstance } from 'fastify'
import { openMood } from '../personalData.ts'
import { problemResponses } from '../schemas.ts'
import { feedbackEntrySchema } from './feedbackRoutes.ts'
import { moodEntrySchema } from './moodRoutes.ts'

interface HistoryQuery {
  readonly since?: string
  readonly until?: string
  readonly limit: number
}

/** `GET /history`: the user's moods (decrypted) and feedback over time, newest first. */
export async function historyRoutes(app: FastifyInstance): Promise<void> {
  const { db, keyring } = app.moodlens
  app.get<{ Querystring: HistoryQuery }>(
    '/history',
    {
      config: { permission: 'history:read' },
      schema: {
        tags: ['history'],
        summary: 'Your moods and feedback over time, newest first',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            since: { type: 'string', format: 'date-time' },
            until: { type: 'string', format: 'date-time' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['moods', 'feedback'],
            properties: {
              moods: { type: 'array', items: moodEntrySchema },
              feedback: {
                type: 'array',
                items: {
                  ...feedbackEntrySchema,
                  properties: {
                    ...feedbackEntrySchema.properties,
                    track: {
                      type: 'object',
                      nullable: true,
                      description: 'null when the track has since left the catalogue.',
                      properties: { name: { type: 'string' }, artist: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const userId = request.auth!.id
      const { since, until, limit } = request.query
      const range = [userId, since ?? null, until ?? null, limit]
      const [moods, feedback] = await Promise.all([
        db.query<{
          id: string
          user_id: string
          key_id: string
          payload: string
          source: string
          created_at: Date
        }>(
          `SELECT id, user_id, key_id, payload, source, created_at FROM moods
           WHERE user_id = $1 AND ($2::timestamptz IS NULL OR created_at >= $2)
             AND ($3::timestamptz IS NULL OR created_at <= $3)
           ORDER BY created_at DESC, id LIMIT $4`,
          range,
        ),
        db.query<{
          id: string
          track_id: string
          signal: string
          rating: number | null
          created_at: Date
          name: string | null
          artist: string | null
        }>(
          `SELECT f.id, f.track_id, f.signal, f.rating, f.created_at, t.name, t.artist
           FROM feedback f LEFT JOIN tracks t ON t.id = f.track_id
           WHERE f.user_id = $1 AND ($2::timestamptz IS NULL OR f.created_at >= $2)
             AND ($3::timestamptz IS NULL OR f.created_at <= $3)
           ORDER BY f.created_at DESC, f.id LIMIT $4`,
          range,
        ),
      ])
      return {
        moods: await Promise.all(
          moods.rows.map(async (row) => ({
            id: row.id,
            createdAt: new Date(row.created_at).toISOString(),
            source: row.source,
            ...(await openMood(keyring, row)),
          })),
        ),
        feedback: feedback.rows.map((row) => ({
          id: row.id,
          createdAt: new Date(row.created_at).toISOString(),
          trackId: row.track_id,
          signal: row.signal,
          ...(row.rating !== null && { rating: row.rating }),
          track: row.name === null ? null : { name: row.name, artist: row.artist },
        })),
      }
    },
  )
}
