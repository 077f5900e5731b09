import { decodeBase64url, InvalidKeyError } from '@moodlens/crypto'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import { problemResponses } from '../schemas.ts'

const publicJwkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kty', 'crv', 'x', 'y'],
  properties: {
    kty: { type: 'string', enum: ['EC'] },
    crv: { type: 'string', enum: ['P-256'] },
    x: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    y: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
  },
} as const

interface SessionBody {
  readonly publicJwk: JsonWebKey
  readonly salt: string
}

/**
 * `POST /session`: ECDH P-256 key agreement. The client sends its public key and a random salt;
 * both sides derive the same AES-256-GCM key (HKDF-SHA-256, info "moodlens session v1"), with
 * which later bodies travel as `application/moodlens-envelope`.
 */
export async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const { sessions } = app.moodlens
  app.post<{ Body: SessionBody }>(
    '/session',
    {
      config: { permission: 'session:create' },
      schema: {
        tags: ['session'],
        summary: 'Agree on a session key for sealed bodies (ECDH P-256 + HKDF-SHA-256)',
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['publicJwk', 'salt'],
          properties: {
            publicJwk: publicJwkSchema,
            salt: {
              type: 'string',
              pattern: '^[A-Za-z0-9_-]{22,86}$',
              description: '16 to 64 random bytes, base64url.',
            },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['sessionId', 'publicJwk', 'expiresAt', 'info'],
            properties: {
              sessionId: { type: 'string', format: 'uuid' },
              publicJwk: {
                type: 'object',
                required: ['kty', 'crv', 'x', 'y'],
                properties: {
                  kty: { type: 'string' },
                  crv: { type: 'string' },
                  x: { type: 'string' },
                  y: { type: 'string' },
                },
              },
              expiresAt: { type: 'integer', description: 'Milliseconds since the epoch.' },
              info: { type: 'string' },
            },
          },
          ...problemResponses(400, 401, 403, 413, 415),
        },
      },
    },
    async (request, reply) => {
      let salt: Uint8Array
      try {
        salt = decodeBase64url(request.body.salt)
      } catch {
        throw new ApiError(400, 'ERR_VALIDATION', 'salt is not canonical base64url', {
          invalidParams: [{ name: 'body/salt', reason: 'is not canonical base64url' }],
        })
      }
      if (salt.length < 16 || salt.length > 64) {
        throw new ApiError(400, 'ERR_VALIDATION', 'salt must be 16 to 64 bytes', {
          invalidParams: [{ name: 'body/salt', reason: 'must be 16 to 64 bytes' }],
        })
      }
      try {
        const created = await sessions.create(request.auth!.id, request.body.publicJwk, salt)
        return reply.code(201).send(created)
      } catch (error) {
        if (error instanceof InvalidKeyError) {
          throw new ApiError(400, 'ERR_VALIDATION', 'publicJwk is not a valid P-256 public key', {
            invalidParams: [{ name: 'body/publicJwk', reason: 'is not a point on P-256' }],
          })
        }
        throw error
      }
    },
  )
}
