import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import type { Role } from '../policy.ts'
import {
  likePattern,
  MAX_TEXT_LENGTH,
  pageSchema,
  pagingProperties,
  problemResponses,
  roleSchema,
  userSchema,
} from '../schemas.ts'
import { userView, type UserRow } from './authRoutes.ts'

interface UserQuery {
  readonly q?: string
  readonly limit: number
  readonly offset: number
}

interface UserPatch {
  readonly roles?: Role[]
  readonly disabled?: boolean
}

/** `/users`: list accounts and change their roles or disable them (admins). */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { db, sessions } = app.moodlens

  app.get<{ Querystring: UserQuery }>(
    '/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags: ['users'],
        summary: 'List accounts (admins)',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: {
              type: 'string',
              minLength: 1,
              maxLength: MAX_TEXT_LENGTH,
              description: 'Part of the email.',
            },
            ...pagingProperties,
          },
        },
        response: {
          200: pageSchema(userSchema),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { q, limit, offset } = request.query
      const pattern = q === undefined ? null : likePattern(q)
      const [items, count] = await Promise.all([
        db.query<UserRow>(
          `SELECT id, email, roles, disabled, created_at FROM users WHERE ($1::text IS NULL OR email ILIKE $1)
           ORDER BY created_at, id LIMIT $2 OFFSET $3`,
          [pattern, limit, offset],
        ),
        db.query<{ total: number }>(
          'SELECT count(*)::integer AS total FROM users WHERE ($1::text IS NULL OR email ILIKE $1)',
          [pattern],
        ),
      ])
      return { items: items.rows.map(userView), total: count.rows[0]?.total ?? 0, limit, offset }
    },
  )

  app.patch<{ Params: { id: string }; Body: UserPatch }>(
    '/users/:id',
    {
      config: { permission: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Change roles or disable an account (admins)',
        description:
          'Disabling signs the user out everywhere (refresh tokens revoked; access tokens refused at once). The last enabled admin cannot lose the role or be disabled.',
        security: [{ bearer: [] }],
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: { id: { type: 'string', format: 'uuid' } },
        },
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            roles: {
              type: 'array',
              minItems: 1,
              maxItems: 3,
              uniqueItems: true,
              items: roleSchema,
            },
            disabled: { type: 'boolean' },
          },
        },
        response: { 200: userSchema, ...problemResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const { roles, disabled } = request.body
      const user = await db.transaction(async (tx) => {
        // Serialise role changes so that two admins demoting each other cannot leave none.
        await tx.query('SELECT pg_advisory_xact_lock(7310583)')
        const { rows } = await tx.query<UserRow>(
          `UPDATE users SET roles = COALESCE($2, roles), disabled = COALESCE($3, disabled), updated_at = now()
           WHERE id = $1 RETURNING id, email, roles, disabled, created_at`,
          [request.params.id, roles ?? null, disabled ?? null],
        )
        const updated = rows[0]
        if (!updated) throw new ApiError(404, 'ERR_NOT_FOUND', 'No user has this id')
        const { rows: admins } = await tx.query<{ count: number }>(
          `SELECT count(*)::integer AS count FROM users WHERE 'admin' = ANY(roles) AND NOT disabled`,
        )
        if ((admins[0]?.count ?? 0) === 0) {
          throw new ApiError(409, 'ERR_LAST_ADMIN', 'This would leave no enabled admin')
        }
        if (updated.disabled) {
          await tx.query(
            'UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
            [updated.id],
          )
        }
        return updated
      })
      if (user.disabled) sessions.dropUser(user.id)
      return userView(user)
    },
  )
}
