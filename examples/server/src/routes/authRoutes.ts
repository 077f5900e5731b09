import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../ApiError.ts'
import type { AppContext } from '../buildServer.ts'
import type { Queryable } from '../openDatabase.ts'
import { hashPassword, verifyPassword } from '../passwords.ts'
import type { Role } from '../policy.ts'
import {
  emailSchema,
  passwordSchema,
  problemResponses,
  tokenPairSchema,
  userSchema,
} from '../schemas.ts'

/** A user as the API returns it. */
export interface UserView {
  readonly id: string
  readonly email: string
  readonly roles: readonly Role[]
  readonly disabled: boolean
  readonly createdAt: string
}

/** A users row. */
export interface UserRow {
  readonly id: string
  readonly email: string
  readonly roles: Role[]
  readonly disabled: boolean
  readonly created_at: Date
}

/** Reads a users row into the API's shape. */
export function userView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    roles: row.roles,
    disabled: row.disabled,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

const credentialsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email: emailSchema, password: passwordSchema },
} as const

const refreshSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['refreshToken'],
  properties: { refreshToken: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
} as const

interface Credentials {
  readonly email: string
  readonly password: string
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url')

/** Signs an access token and stores a new refresh token in the family (a new family by default). */
async function issueTokens(
  context: AppContext,
  tx: Queryable,
  user: UserRow,
  familyId: string = randomUUID(),
): Promise<Record<string, unknown>> {
  const refreshToken = randomBytes(32).toString('base64url')
  // Expired tokens can no longer be presented, so reuse detection no longer needs them.
  await tx.query('DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < now()', [user.id])
  await tx.query(
    `INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [hashToken(refreshToken), familyId, user.id, context.settings.refreshTokenTtl],
  )
  const accessToken = await context.tokens.sign({
    sub: user.id,
    roles: user.roles,
    jti: randomUUID(),
  })
  return {
    tokenType: 'Bearer',
    accessToken,
    expiresIn: context.settings.accessTokenTtl,
    refreshToken,
    refreshExpiresIn: context.settings.refreshTokenTtl,
    user: userView(user),
  }
}

const USER_COLUMNS = 'id, email, roles, disabled, created_at'

/**
 * `/auth/*`: registration, login, refresh-token rotation with reuse detection, logout; and
 * `GET /me`.
 */
export async function authRoutes(app: FastifyInstance): Promise<void> {
  const context = app.moodlens
  const { loginLimits } = context.settings
  const perIp = { max: loginLimits.perIp, timeWindow: loginLimits.windowMs }
  const registrations = {
    max: loginLimits.registrationsPerIp,
    timeWindow: loginLimits.registrationWindowMs,
  }
  // A constant-time answer for unknown accounts: verify against a real hash all the same, so
  // response times do not tell which emails are registered.
  const decoyHash = await hashPassword(
    randomBytes(16).toString('base64url'),
    context.settings.scryptLogN,
  )

  app.post<{ Body: Credentials }>(
    '/auth/register',
    {
      config: { permission: 'public', rateLimit: registrations },
      schema: {
        tags: ['auth'],
        summary: 'Create a listener account and sign in',
        description: `At most ${loginLimits.registrationsPerIp} registrations per IP address in ${loginLimits.registrationWindowMs / 60_000} minutes; then 429.`,
        body: credentialsSchema,
        response: { 201: tokenPairSchema, ...problemResponses(400, 409, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim().toLowerCase()
      const passwordHash = await hashPassword(request.body.password, context.settings.scryptLogN)
      const pair = await context.db.transaction(async (tx) => {
        const { rows } = await tx.query<UserRow>(
          `INSERT INTO users (id, email, password_hash, roles) VALUES ($1, $2, $3, $4)
           ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
          [randomUUID(), email, passwordHash, ['listener']],
        )
        const user = rows[0]
        if (!user)
          throw new ApiError(409, 'ERR_EMAIL_TAKEN', 'An account with this email already exists')
        return issueTokens(context, tx, user)
      })
      return reply.code(201).send(pair)
    },
  )

  app.post<{ Body: Credentials }>(
    '/auth/login',
    {
      config: { permission: 'public', rateLimit: perIp },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: an access token and a refresh token',
        description: `At most ${loginLimits.perAccount} failed attempts per account and ${loginLimits.perIp} attempts per IP address in ${loginLimits.windowMs / 60_000} minutes; then 429.`,
        body: credentialsSchema,
        response: { 200: tokenPairSchema, ...problemResponses(400, 401, 413, 415, 429) },
      },
    },
    async (request) => {
      const email = request.body.email.trim().toLowerCase()
      const windowSeconds = loginLimits.windowMs / 1000
      const { rows: failures } = await context.db.query<{ count: number; oldest: Date | null }>(
        `SELECT count(*)::integer AS count, min(failed_at) AS oldest FROM login_failures
         WHERE email = $1 AND failed_at > now() - make_interval(secs => $2)`,
        [email, windowSeconds],
      )
      const failed = failures[0]
      if (failed && failed.count >= loginLimits.perAccount) {
        const retryAfter = Math.max(
          1,
          Math.ceil(
            (new Date(failed.oldest!).getTime() + loginLimits.windowMs - Date.now()) / 1000,
          ),
        )
        throw new ApiError(
          429,
          'ERR_RATE_LIMITED',
          'Too many failed sign-ins for this account: try again later',
          {
            headers: { 'retry-after': String(retryAfter) },
          },
        )
      }
      const { rows } = await context.db.query<UserRow & { password_hash: string }>(
        `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE email = $1`,
        [email],
      )
      const user = rows[0]
      const valid = await verifyPassword(request.body.password, user?.password_hash ?? decoyHash)
      if (!user || !valid) {
        await context.db.query(
          `WITH expired AS (DELETE FROM login_failures WHERE email = $1 AND failed_at <= now() - make_interval(secs => $2))
           INSERT INTO login_failures (email) VALUES ($1)`,
          [email, windowSeconds],
        )
        throw new ApiError(401, 'ERR_INVALID_CREDENTIALS', 'Wrong email or password')
      }
      if (user.disabled) throw new ApiError(401, 'ERR_ACCOUNT_DISABLED', 'This account is disabled')
      return context.db.transaction(async (tx) => {
        await tx.query('DELETE FROM login_failures WHERE email = $1', [email])
        return issueTokens(context, tx, user)
      })
    },
  )

  app.post<{ Body: { refreshToken: string } }>(
    '/auth/refresh',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair',
        description:
          'Each refresh token works once. Presenting one that was already used revokes every token descended from the same sign-in (ERR_REFRESH_TOKEN_REUSED).',
        body: refreshSchema,
        response: { 200: tokenPairSchema, ...problemResponses(400, 401, 413, 415) },
      },
    },
    async (request) => {
      const tokenHash = hashToken(request.body.refreshToken)
      const outcome = await context.db.transaction(async (tx) => {
        const { rows } = await tx.query<{
          family_id: string
          user_id: string
          expired: boolean
          rotated_at: Date | null
          revoked_at: Date | null
        }>(
          `SELECT family_id, user_id, expires_at <= now() AS expired, rotated_at, revoked_at
           FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
          [tokenHash],
        )
        const token = rows[0]
        if (!token) return { error: 'ERR_REFRESH_TOKEN_INVALID' } as const
        if (token.rotated_at !== null || token.revoked_at !== null) {
          // A used token coming back means two parties hold it: revoke the whole family.
          await tx.query(
            'UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL',
            [token.family_id],
          )
          return {
            error:
              token.revoked_at === null ? 'ERR_REFRESH_TOKEN_REUSED' : 'ERR_REFRESH_TOKEN_INVALID',
          } as const
        }
        if (token.expired) return { error: 'ERR_REFRESH_TOKEN_INVALID' } as const
        const { rows: users } = await tx.query<UserRow>(
          `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
          [token.user_id],
        )
        const user = users[0]
        if (!user || user.disabled) return { error: 'ERR_REFRESH_TOKEN_INVALID' } as const
        await tx.query('UPDATE refresh_tokens SET rotated_at = now() WHERE token_hash = $1', [
          tokenHash,
        ])
        return { pair: await issueTokens(context, tx, user, token.family_id) }
      })
      if ('error' in outcome) {
        throw new ApiError(
          401,
          outcome.error,
          outcome.error === 'ERR_REFRESH_TOKEN_REUSED'
            ? 'This refresh token was already used: every session from that sign-in is now revoked'
            : 'The refresh token is not valid: sign in again',
        )
      }
      return outcome.pair
    },
  )

  app.post<{ Body: { refreshToken: string } }>(
    '/auth/logout',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke a refresh token and every token of its sign-in',
        description: 'Answers 204 whether or not the token was known.',
        body: refreshSchema,
        response: { 204: { type: 'null' }, ...problemResponses(400, 413, 415) },
      },
    },
    async (request, reply) => {
      await context.db.query(
        `UPDATE refresh_tokens SET revoked_at = now()
         WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
        [hashToken(request.body.refreshToken)],
      )
      return reply.code(204).send()
    },
  )

  app.get(
    '/me',
    {
      config: { permission: 'profile:read' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        security: [{ bearer: [] }],
        response: { 200: userSchema, ...problemResponses(401, 403) },
      },
    },
    async (request) => {
      const { rows } = await context.db.query<UserRow>(
        `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
        [request.auth!.id],
      )
      return userView(rows[0]!)
    },
  )
}
