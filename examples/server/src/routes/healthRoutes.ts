import type { FastifyInstance } from 'fastify'

const healthSchema = {
  type: 'object',
  required: ['status', 'database', 'tracks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    database: { type: 'string', enum: ['pglite', 'postgres'] },
    tracks: { type: 'integer', description: 'Tracks in the catalogue.' },
  },
} as const

/** `GET /api/health`: whether the database answers, for load balancers and orchestrators. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.moodlens
  app.get(
    '/api/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Liveness and readiness: 200 when the database answers, else 503',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      try {
        const { rows } = await db.query<{ tracks: number }>(
          'SELECT count(*)::integer AS tracks FROM tracks',
        )
        return { status: 'ok', database: db.kind, tracks: rows[0]?.tracks ?? 0 }
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: db.kind, tracks: 0 })
      }
    },
  )
}
