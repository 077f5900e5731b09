import { randomUUID } from 'node:crypto'
import type { FeedbackSignal, MoodInput } from '@moodlens/recommender'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import { loadTaste, openMood, saveTaste } from '../personalData.ts'
import { withRecommenderErrors } from '../recommenderErrors.ts'
import { type JsonSchema, moodSchema, problemResponses, trackIdSchema } from '../schemas.ts'
import { parseProbabilities } from './moodRoutes.ts'

interface FeedbackBody {
  readonly trackId: string
  readonly signal: 'like' | 'skip' | 'dislike' | 'rating'
  readonly rating?: number
  readonly mood?: MoodInput
}

/** A rating of 1 to 5 stars as a taste signal from -1 to 1 (3 stars: no change). */
export const ratingSignal = (rating: number): number => (rating - 3) / 2

/** How recent a stored mood must be to stand for the mood a feedback was given in. */
const LATEST_MOOD_WINDOW = '1 hour'

export const feedbackEntrySchema: JsonSchema & { properties: Record<string, unknown> } = {
  type: 'object',
  required: ['id', 'createdAt', 'trackId', 'signal'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    trackId: { type: 'string' },
    signal: { type: 'string', enum: ['like', 'skip', 'dislike', 'rating'] },
    rating: { type: 'integer', minimum: 1, maximum: 5 },
  },
} as const

/**
 * `POST /feedback`: like, skip, dislike or a 1-5 rating of a track. Teaches the user's taste
 * profile (for the mood given, else the latest mood of the last hour, else neutral) and marks
 * the track as recently played.
 */
export async function feedbackRoutes(app: FastifyInstance): Promise<void> {
  const { db, keyring, catalog: catalogs } = app.moodlens
  app.post<{ Body: FeedbackBody }>(
    '/feedback',
    {
      config: { permission: 'feedback:write' },
      schema: {
        tags: ['feedback'],
        summary: 'Like, skip, dislike or rate a track; teaches your taste profile',
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['trackId', 'signal'],
          properties: {
            trackId: trackIdSchema,
            signal: { type: 'string', enum: ['like', 'skip', 'dislike', 'rating'] },
            rating: {
              type: 'integer',
              minimum: 1,
              maximum: 5,
              description: "Required when signal is 'rating'.",
            },
            mood: {
              ...moodSchema,
              description: 'The mood the track was heard in; default: your latest mood.',
            },
          },
        },
        response: {
          201: feedbackEntrySchema,
          ...problemResponses(400, 401, 403, 404, 413, 415, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const body = request.body
      // Checked here rather than with if/then in the schema, which OpenAPI 3.0 cannot express.
      if ((body.signal === 'rating') !== (body.rating !== undefined)) {
        throw new ApiError(
          400,
          'ERR_VALIDATION',
          'rating is required with signal "rating", and only then',
          {
            invalidParams: [
              { name: 'body/rating', reason: 'is required with signal "rating", and only then' },
            ],
          },
        )
      }
      const userId = request.auth!.id
      const catalog = await catalogs.current()
      if (!catalog || catalog.indexOf(body.trackId) < 0) {
        throw new ApiError(404, 'ERR_UNKNOWN_TRACK', 'No track in the catalogue has this id')
      }
      const signal: FeedbackSignal =
        body.signal === 'rating' ? ratingSignal(body.rating!) : body.signal
      const explicit =
        body.mood === undefined
          ? undefined
          : typeof body.mood === 'string'
            ? body.mood
            : parseProbabilities(body.mood, 'body/mood')
      const entry = await db.transaction(async (tx) => {
        let mood: MoodInput = explicit ?? 'neutral'
        if (explicit === undefined) {
          const { rows } = await tx.query<{
            id: string
            user_id: string
            key_id: string
            payload: string
          }>(
            `SELECT id, user_id, key_id, payload FROM moods
             WHERE user_id = $1 AND created_at > now() - interval '${LATEST_MOOD_WINDOW}'
             ORDER BY created_at DESC LIMIT 1`,
            [userId],
          )
          if (rows[0]) mood = (await openMood(keyring, rows[0])).probabilities
        }
        const taste = await loadTaste(tx, keyring, userId, true)
        withRecommenderErrors(() => taste.learn(catalog, { trackId: body.trackId, signal, mood }))
        await saveTaste(tx, keyring, userId, taste)
        const id = randomUUID()
        const { rows } = await tx.query<{ created_at: Date }>(
          'INSERT INTO feedback (id, user_id, track_id, signal, rating) VALUES ($1, $2, $3, $4, $5) RETURNING created_at',
          [id, userId, body.trackId, body.signal, body.rating ?? null],
        )
        return {
          id,
          createdAt: new Date(rows[0]!.created_at).toISOString(),
          trackId: body.trackId,
          signal: body.signal,
          ...(body.rating !== undefined && { rating: body.rating }),
        }
      })
      return reply.code(201).send(entry)
    },
  )
}
