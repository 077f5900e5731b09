// The JSON schemas shared by the routes. Every object schema sets additionalProperties: false, so
// an unknown field is a 400, never silently dropped; @fastify/swagger turns them into the
// OpenAPI document at /api/openapi.json.
import { EMOTIONS } from '@moodlens/recommender'
import { ROLES } from './policy.ts'

/** A JSON schema, as Fastify and @fastify/swagger take it. */
export type JsonSchema = Readonly<Record<string, unknown>>

/** The longest free-text field (names, search queries) the API accepts. */
export const MAX_TEXT_LENGTH = 200

export const problemSchema: JsonSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'An RFC 9457 problem document; switch on `code`.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string' },
    invalidParams: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'reason'],
        properties: { name: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
} as const

export const emotionSchema: JsonSchema = { type: 'string', enum: [...EMOTIONS] } as const

export const probabilitiesSchema: JsonSchema = {
  type: 'object',
  description:
    'Probabilities over the seven emotions (missing ones count as 0); they must sum to 1 within 0.02.',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries(
    EMOTIONS.map((emotion) => [emotion, { type: 'number', minimum: 0, maximum: 1 }]),
  ),
} as const

/** A mood: an emotion's name or probabilities over the emotions. */
export const moodSchema: JsonSchema = {
  anyOf: [emotionSchema, probabilitiesSchema],
} as const

export const fullProbabilitiesSchema: JsonSchema = {
  type: 'object',
  required: [...EMOTIONS],
  properties: Object.fromEntries(EMOTIONS.map((emotion) => [emotion, { type: 'number' }])),
} as const

export const roleSchema: JsonSchema = { type: 'string', enum: [...ROLES] } as const

export const userSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'email', 'roles', 'disabled', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    roles: { type: 'array', items: roleSchema },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const

export const emailSchema: JsonSchema = {
  type: 'string',
  format: 'email',
  minLength: 3,
  maxLength: 254,
} as const

export const passwordSchema: JsonSchema = {
  type: 'string',
  minLength: 10,
  maxLength: 256,
  description: 'At least 10 characters.',
} as const

export const tokenPairSchema: JsonSchema = {
  type: 'object',
  required: ['tokenType', 'accessToken', 'expiresIn', 'refreshToken', 'refreshExpiresIn', 'user'],
  properties: {
    tokenType: { type: 'string', enum: ['Bearer'] },
    accessToken: { type: 'string', description: 'JWT (HS256); send as `Authorization: Bearer`.' },
    expiresIn: { type: 'integer', description: 'Seconds until the access token expires.' },
    refreshToken: {
      type: 'string',
      description: 'Opaque, single use: each refresh returns a new one.',
    },
    refreshExpiresIn: { type: 'integer' },
    user: userSchema,
  },
} as const

export const trackIdSchema: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]+$',
} as const

export const FEATURE_NAMES: readonly [
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
] = [
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
] as const

/** The Spotify audio features of a track, with Spotify's ranges. */
export const featuresSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...FEATURE_NAMES],
  properties: {
    danceability: { type: 'number', minimum: 0, maximum: 1 },
    energy: { type: 'number', minimum: 0, maximum: 1 },
    key: { type: 'integer', minimum: -1, maximum: 11 },
    loudness: { type: 'number', minimum: -60, maximum: 10 },
    mode: { type: 'integer', enum: [0, 1] },
    speechiness: { type: 'number', minimum: 0, maximum: 1 },
    acousticness: { type: 'number', minimum: 0, maximum: 1 },
    instrumentalness: { type: 'number', minimum: 0, maximum: 1 },
    liveness: { type: 'number', minimum: 0, maximum: 1 },
    valence: { type: 'number', minimum: 0, maximum: 1 },
    tempo: { type: 'number', minimum: 0, maximum: 300 },
  },
} as const

const trackFields = {
  name: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
  artist: { type: 'string', minLength: 1, maxLength: MAX_TEXT_LENGTH },
  album: { type: 'string', maxLength: MAX_TEXT_LENGTH, default: '' },
  releaseDate: {
    type: 'string',
    maxLength: 10,
    pattern: '^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$',
    default: '',
  },
  genre: { type: 'string', maxLength: 50, default: '' },
  subgenre: { type: 'string', maxLength: 50, default: '' },
  popularity: { type: 'integer', minimum: 0, maximum: 100, default: 0 },
  durationMs: { type: 'integer', minimum: 0, maximum: 86_400_000, default: 0 },
  features: featuresSchema,
} as const

/** A track as the API returns it. */
export const trackSchema: JsonSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'artist',
    'album',
    'releaseDate',
    'genre',
    'subgenre',
    'popularity',
    'durationMs',
    'features',
  ],
  properties: {
    id: { type: 'string' },
    ...trackFields,
    features: { ...featuresSchema, additionalProperties: true },
  },
} as const

/** The body of `PUT /tracks/{id}`: every field but the id. */
export const trackInputSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'artist', 'features'],
  properties: trackFields,
} as const

/** The body of `POST /tracks`: a track with its id. */
export const newTrackSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'artist', 'features'],
  properties: { id: trackIdSchema, ...trackFields },
} as const

export const problemResponses = (...statuses: number[]): Record<number, JsonSchema> =>
  Object.fromEntries(statuses.map((status) => [status, { $ref: 'Problem#' }]))

/** `limit` and `offset` of a paged list, for a route's querystring properties. */
export const pagingProperties = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
} as const

/** The answer of a paged list: one page of `items`, the total count and the paging used. */
export function pageSchema(items: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['items', 'total', 'limit', 'offset'],
    properties: {
      items: { type: 'array', items },
      total: { type: 'integer' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
    },
  }
}

/** Escapes LIKE's wildcards so that a search for `100%` finds "100%", not everything. */
export const likePattern = (text: string): string =>
  `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`
