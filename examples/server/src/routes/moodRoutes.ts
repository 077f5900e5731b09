import { randomUUID } from 'node:crypto'
import {
  RecommenderError,
  toEmotionProbabilities,
  type EmotionProbabilities,
} from '@moodlens/recommender'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import { moodAad, topEmotion } from '../personalData.ts'
import {
  type JsonSchema,
  emotionSchema,
  fullProbabilitiesSchema,
  probabilitiesSchema,
  problemResponses,
} from '../schemas.ts'

/** A stored mood as the API returns it. */
export const moodEntrySchema: JsonSchema = {
  type: 'object',
  required: ['id', 'createdAt', 'source', 'emotion', 'probabilities'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    source: { type: 'string', enum: ['device', 'server'] },
    emotion: emotionSchema,
    probabilities: fullProbabilitiesSchema,
  },
} as const

/**
 * Checks a probability distribution with the recommender's own rules (finite, at least 0, summing
 * to 1 within 0.02) and returns it rescaled to exactly 1 over all seven emotions.
 */
export function parseProbabilities(value: unknown, name: string): EmotionProbabilities {
  try {
    return toEmotionProbabilities(value as Parameters<typeof toEmotionProbabilities>[0])
  } catch (error) {
    if (error instanceof RecommenderError) {
      throw new ApiError(422, 'ERR_INVALID_MOOD', `${name}: ${error.message}`, {
        invalidParams: [{ name, reason: error.message }],
      })
    }
    throw error
  }
}

/** Stores a mood, sealed, in the user's history. */
export async function recordMood(
  app: FastifyInstance,
  userId: string,
  probabilities: EmotionProbabilities,
  source: 'device' | 'server',
): Promise<{
  id: string
  createdAt: string
  source: string
  emotion: string
  probabilities: EmotionProbabilities
}> {
  const { db, keyring } = app.moodlens
  const id = randomUUID()
  const emotion = topEmotion(probabilities)
  const { keyId, payload } = await keyring.seal({ probabilities, emotion }, moodAad(userId, id))
  const { rows } = await db.query<{ created_at: Date }>(
    'INSERT INTO moods (id, user_id, source, key_id, payload) VALUES ($1, $2, $3, $4, $5) RETURNING created_at',
    [id, userId, source, keyId, payload],
  )
  return {
    id,
    createdAt: new Date(rows[0]!.created_at).toISOString(),
    source,
    emotion,
    probabilities,
  }
}

/**
 * `POST /moods`: the client reports what it detected on the device (probabilities, never the
 * image). The privacy-preserving default path of the web app. Stored encrypted at rest.
 */
export async function moodRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { probabilities: Record<string, number> } }>(
    '/moods',
    {
      config: { permission: 'moods:write' },
      schema: {
        tags: ['moods'],
        summary: 'Record a mood detected on the device (probabilities only)',
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['probabilities'],
          properties: { probabilities: probabilitiesSchema },
        },
        response: { 201: moodEntrySchema, ...problemResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const probabilities = parseProbabilities(request.body.probabilities, 'body/probabilities')
      return reply.code(201).send(await recordMood(app, request.auth!.id, probabilities, 'device'))
    },
  )
}
