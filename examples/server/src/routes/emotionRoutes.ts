import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from '../ApiError.ts'
import { problemResponses } from '../schemas.ts'
import { recordMood, moodEntrySchema } from './moodRoutes.ts'

/** The largest image upload, in bytes. */
export const IMAGE_BYTE_LIMIT: number = 5 * 1024 * 1024

/** The most pixels an uploaded image may have (checked from its header, before decoding). */
export const IMAGE_PIXEL_LIMIT: number = 4096 * 4096

/** Requests waiting for the detector at most; beyond this the server answers 503 at once. */
const MAX_QUEUED = 16

/** An RGBA image. */
export interface RgbaImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/** One face found in an image. */
export interface DetectedFace {
  readonly box: {
    readonly x: number
    readonly y: number
    readonly width: number
    readonly height: number
  }
  readonly emotion: string
  readonly probabilities: Readonly<Record<string, number>>
  readonly faceScore: number
  readonly valence: number
  readonly arousal: number
}

/** What the route needs from `@moodlens/core`: decoding and detection. */
export interface ServerEmotionDetector {
  /** Decodes JPEG or PNG bytes; throws an error with `code` for anything else. */
  decode(bytes: Uint8Array, maxPixels: number): Promise<RgbaImage>
  detect(image: RgbaImage): Promise<readonly DetectedFace[]>
  dispose(): void
}

/** Loads the detector; called once, on the first upload. */
export type EmotionDetectorFactory = () => Promise<ServerEmotionDetector>

const faceSchema = {
  type: 'object',
  required: ['box', 'emotion', 'probabilities', 'faceScore', 'valence', 'arousal'],
  properties: {
    box: {
      type: 'object',
      required: ['x', 'y', 'width', 'height'],
      properties: {
        x: { type: 'number' },
        y: { type: 'number' },
        width: { type: 'number' },
        height: { type: 'number' },
      },
    },
    emotion: { type: 'string' },
    probabilities: { type: 'object', additionalProperties: { type: 'number' } },
    faceScore: { type: 'number' },
    valence: { type: 'number' },
    arousal: { type: 'number' },
  },
} as const

/** Image decoding and detection errors of `@moodlens/core`, as API problems. */
function toImageError(error: unknown): ApiError | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ERR_IMAGE_TOO_LARGE') {
    return new ApiError(
      413,
      'ERR_IMAGE_TOO_LARGE',
      `Images may have at most ${IMAGE_PIXEL_LIMIT} pixels`,
    )
  }
  if (
    code === 'ERR_UNSUPPORTED_IMAGE' ||
    code === 'ERR_CORRUPT_IMAGE' ||
    code === 'ERR_INVALID_IMAGE'
  ) {
    return new ApiError(422, 'ERR_IMAGE_INVALID', 'The upload is not a readable JPEG or PNG image')
  }
  return undefined
}

async function readUpload(request: FastifyRequest): Promise<Uint8Array> {
  if (!request.isMultipart()) return request.body as Buffer
  const file = await request.file()
  if (!file)
    throw new ApiError(400, 'ERR_VALIDATION', 'The multipart body holds no file (field "image")')
  if (file.fieldname !== 'image') {
    throw new ApiError(400, 'ERR_VALIDATION', 'The image must be in the multipart field "image"', {
      invalidParams: [
        { name: `body/${file.fieldname.slice(0, 50)}`, reason: 'is not a known field' },
      ],
    })
  }
  const bytes = await file.toBuffer()
  if (file.file.truncated)
    throw new ApiError(
      413,
      'ERR_BODY_TOO_LARGE',
      `Images may have at most ${IMAGE_BYTE_LIMIT} bytes`,
    )
  return bytes
}

/**
 * `POST /emotions`: faces and their emotions in an uploaded image (raw `image/jpeg`/`image/png`,
 * or multipart with the file in field `image`), on the server's wasm backend. The web app runs
 * detection on the device instead and only reports probabilities (`POST /moods`); this route is
 * for clients that cannot. With `?record=true` the most confident face's mood is stored in the
 * history.
 */
export async function emotionRoutes(
  app: FastifyInstance,
  options: { readonly detector?: EmotionDetectorFactory | undefined },
): Promise<void> {
  let loading: Promise<ServerEmotionDetector> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let queued = 0
  const detector = (): Promise<ServerEmotionDetector> => {
    if (!options.detector) {
      return Promise.reject(
        new ApiError(503, 'ERR_DETECTOR_UNAVAILABLE', 'This server has no emotion detector'),
      )
    }
    loading ??= options.detector().catch((error: unknown) => {
      loading = undefined
      throw new ApiError(
        503,
        'ERR_DETECTOR_UNAVAILABLE',
        'The emotion detector could not be loaded',
        { cause: error },
      )
    })
    return loading
  }
  app.addHook('onClose', async () => {
    if (loading) (await loading.catch(() => undefined))?.dispose()
  })

  app.post<{ Querystring: { record: boolean } }>(
    '/emotions',
    {
      bodyLimit: IMAGE_BYTE_LIMIT,
      config: {
        permission: 'emotions:detect',
        accepts: ['image/jpeg', 'image/png', 'multipart/form-data'],
      },
      schema: {
        tags: ['emotions'],
        summary:
          'Faces and their emotions in an image (JPEG or PNG, raw or multipart field "image")',
        description: `At most ${IMAGE_BYTE_LIMIT} bytes and ${IMAGE_PIXEL_LIMIT} pixels. An image without a face is 422 ERR_NO_FACE.`,
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            record: {
              type: 'boolean',
              default: false,
              description: 'Store the most confident face in your mood history.',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['width', 'height', 'faces'],
            properties: {
              width: { type: 'integer' },
              height: { type: 'integer' },
              faces: { type: 'array', items: faceSchema },
              mood: moodEntrySchema,
            },
          },
          ...problemResponses(400, 401, 403, 413, 415, 422, 503),
        },
      },
    },
    async (request) => {
      const bytes = await readUpload(request)
      if (queued >= MAX_QUEUED) {
        throw new ApiError(
          503,
          'ERR_DETECTOR_UNAVAILABLE',
          'The emotion detector is busy: try again shortly',
          {
            headers: { 'retry-after': '1' },
          },
        )
      }
      const instance = await detector()
      queued++
      // One image at a time: the wasm backend is single-threaded, and queueing bounds memory.
      const run = queue.then(async () => {
        try {
          const image = await instance.decode(bytes, IMAGE_PIXEL_LIMIT)
          return { image, faces: await instance.detect(image) }
        } catch (error) {
          throw toImageError(error) ?? error
        }
      })
      queue = run
        .catch(() => undefined)
        .finally(() => {
          queued--
        })
      const { image, faces } = await run
      if (faces.length === 0)
        throw new ApiError(422, 'ERR_NO_FACE', 'No face was found in the image')
      const response = {
        width: image.width,
        height: image.height,
        faces: faces.map(({ box, emotion, probabilities, faceScore, valence, arousal }) => ({
          box,
          emotion,
          probabilities,
          faceScore,
          valence,
          arousal,
        })),
      }
      if (!request.query.record) return response
      const best = faces.reduce((a, b) => (b.faceScore > a.faceScore ? b : a))
      const mood = await recordMood(app, request.auth!.id, best.probabilities as never, 'server')
      return { ...response, mood }
    },
  )
}
