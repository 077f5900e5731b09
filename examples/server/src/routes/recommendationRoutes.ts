import {
  createMoodJourney,
  moodTarget,
  recommend,
  type Emotion,
  type MoodInput,
} from '@moodlens/recommender'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import type { CatalogEntry } from '../createCatalogService.ts'
import { loadTasteAndRecent } from '../personalData.ts'
import { withRecommenderErrors } from '../recommenderErrors.ts'
import {
  emotionSchema,
  MAX_TEXT_LENGTH,
  moodSchema,
  probabilitiesSchema,
  problemResponses,
  trackIdSchema,
  trackSchema,
} from '../schemas.ts'
import { parseProbabilities } from './moodRoutes.ts'

/** How many of the user's latest feedback events count as "recently played". */
export const RECENT_FEEDBACK = 50

interface RecommendationBody {
  readonly emotion?: Emotion
  readonly probabilities?: Record<string, number>
  readonly journey?: { readonly from: MoodInput; readonly to: MoodInput; readonly length: number }
  readonly k: number
  readonly strategy: 'match' | 'uplift'
  readonly goal?: Emotion
  readonly step?: number
  readonly diversity?: number
  readonly genre?: string
  readonly excludeRecent: boolean
  readonly exclude?: readonly string[]
  readonly explain: boolean
}

const recommendationBodySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Exactly one of `emotion`, `probabilities` or `journey`.',
  oneOf: [{ required: ['emotion'] }, { required: ['probabilities'] }, { required: ['journey'] }],
  properties: {
    emotion: emotionSchema,
    probabilities: probabilitiesSchema,
    journey: {
      type: 'object',
      additionalProperties: false,
      required: ['from', 'to', 'length'],
      properties: {
        from: moodSchema,
        to: moodSchema,
        length: { type: 'integer', minimum: 2, maximum: 30 },
      },
    },
    k: {
      type: 'integer',
      minimum: 1,
      maximum: 50,
      default: 10,
      description: 'Tracks to return (not for journeys).',
    },
    strategy: {
      type: 'string',
      enum: ['match', 'uplift'],
      default: 'match',
      description: "'match' the mood, or 'uplift' toward `goal` (not for journeys).",
    },
    goal: emotionSchema,
    step: { type: 'number', minimum: 0, maximum: 1 },
    diversity: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'MMR lambda: 1 is plain relevance, lower values trade relevance for variety.',
    },
    genre: { type: 'string', minLength: 1, maxLength: 50 },
    excludeRecent: {
      type: 'boolean',
      default: true,
      description: `Leave out tracks from your latest ${RECENT_FEEDBACK} feedback events.`,
    },
    exclude: { type: 'array', maxItems: 500, items: trackIdSchema },
    explain: { type: 'boolean', default: false },
  },
} as const

const recommendationListSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['track', 'score'],
        properties: {
          track: trackSchema,
          score: { type: 'number', description: 'Cosine similarity to the target, -1 to 1.' },
          progress: { type: 'number', description: 'Journeys: how far along, 0 to 1.' },
          explanation: {
            type: 'array',
            items: {
              type: 'object',
              required: ['feature', 'value', 'contribution'],
              properties: {
                feature: { type: 'string', maxLength: MAX_TEXT_LENGTH },
                value: { type: 'number' },
                contribution: { type: 'number' },
              },
            },
          },
        },
      },
    },
  },
} as const

/**
 * `POST /recommendations`: tracks for an emotion, a probability distribution or a journey, ranked
 * by `@moodlens/recommender` with the user's taste profile, leaving out what they recently played.
 */
export async function recommendationRoutes(app: FastifyInstance): Promise<void> {
  const { db, keyring, catalog: catalogs } = app.moodlens
  app.post<{ Body: RecommendationBody }>(
    '/recommendations',
    {
      config: { permission: 'recommendations:read' },
      schema: {
        tags: ['recommendations'],
        summary: 'Tracks for a mood, or a journey from one mood to another',
        security: [{ bearer: [] }],
        body: recommendationBodySchema,
        response: {
          200: recommendationListSchema,
          ...problemResponses(400, 401, 403, 413, 415, 422, 503),
        },
      },
    },
    async (request) => {
      const body = request.body
      const userId = request.auth!.id
      const catalog = await catalogs.current()
      if (!catalog) throw new ApiError(503, 'ERR_CATALOG_EMPTY', 'The catalogue has no tracks yet')
      const { profile, recent } = await loadTasteAndRecent(
        db,
        keyring,
        userId,
        body.excludeRecent,
        RECENT_FEEDBACK,
      )
      const exclude = new Set([...(body.exclude ?? []), ...recent])
      const genre = body.genre
      const ranking = {
        profile,
        exclude,
        explain: body.explain,
        ...(genre !== undefined && {
          filter: (entry: CatalogEntry) => entry.track.genre === genre,
        }),
      }
      const items = withRecommenderErrors(() => {
        if (body.journey) {
          return createMoodJourney(catalog, {
            ...ranking,
            from: checkMood(body.journey.from, 'body/journey/from'),
            to: checkMood(body.journey.to, 'body/journey/to'),
            length: body.journey.length,
          }).map((step) => ({ ...step, progress: step.progress }))
        }
        const mood = body.emotion ?? parseProbabilities(body.probabilities, 'body/probabilities')
        const target = moodTarget(mood, {
          strategy: body.strategy,
          ...(body.goal !== undefined && { goal: body.goal }),
          ...(body.step !== undefined && { step: body.step }),
        })
        return recommend(catalog, target, {
          ...ranking,
          k: body.k,
          ...(body.diversity !== undefined && { diversity: { lambda: body.diversity } }),
        })
      })
      return {
        items: items.map((item) => ({
          track: item.track.track,
          score: item.score,
          ...('progress' in item && { progress: item.progress }),
          ...(item.explanation && { explanation: item.explanation }),
        })),
      }
    },
  )
}

function checkMood(mood: MoodInput, name: string): MoodInput {
  return typeof mood === 'string' ? mood : parseProbabilities(mood, name)
}
