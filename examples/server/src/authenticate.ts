import { ForbiddenError } from '@moodlens/crypto'
import { TokenExpiredError, type TokenService } from '@moodlens/crypto/jwt'
import type { FastifyRequest } from 'fastify'
import { ApiError } from './ApiError.ts'
import type { Queryable } from './openDatabase.ts'
import { policy, type Permission, type Role } from './policy.ts'

/** The signed-in user of a request, as the database knows them now. */
export interface AuthUser {
  readonly id: string
  readonly email: string
  readonly roles: readonly Role[]
}

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/

/**
 * Checks the request's access token and the user's current roles against the route's permission.
 * Roles come from the database, not from the token, so that an admin's change (or disabling an
 * account) takes effect at once rather than when the token expires.
 */
export async function authenticate(
  request: FastifyRequest,
  permission: Permission,
  tokens: TokenService,
  db: Queryable,
): Promise<AuthUser> {
  const header = request.headers.authorization
  if (header === undefined || header === '') {
    throw new ApiError(
      401,
      'ERR_UNAUTHENTICATED',
      'This route needs an access token (Authorization: Bearer)',
      {
        headers: { 'www-authenticate': 'Bearer' },
      },
    )
  }
  const match = BEARER.exec(header)
  if (!match) {
    throw new ApiError(
      401,
      'ERR_TOKEN_INVALID',
      'The Authorization header is not "Bearer <token>"',
      {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      },
    )
  }
  let subject: string | undefined
  try {
    const claims = await tokens.verify(match[1]!)
    subject = claims.sub
  } catch (error) {
    if (error instanceof TokenExpiredError) {
      throw new ApiError(401, 'ERR_TOKEN_EXPIRED', 'The access token has expired: refresh it', {
        headers: {
          'www-authenticate': 'Bearer error="invalid_token", error_description="expired"',
        },
      })
    }
    throw new ApiError(401, 'ERR_TOKEN_INVALID', 'The access token is not valid', {
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
    })
  }
  if (subject === undefined || !/^[0-9a-f-]{36}$/.test(subject)) {
    throw new ApiError(401, 'ERR_TOKEN_INVALID', 'The access token names no user')
  }
  const { rows } = await db.query<{ id: string; email: string; roles: Role[]; disabled: boolean }>(
    'SELECT id, email, roles, disabled FROM users WHERE id = $1',
    [subject],
  )
  const user = rows[0]
  if (!user) throw new ApiError(401, 'ERR_TOKEN_INVALID', 'The access token names no user')
  if (user.disabled) throw new ApiError(401, 'ERR_ACCOUNT_DISABLED', 'This account is disabled')
  try {
    policy.assert(user.roles, permission)
  } catch (error) {
    if (error instanceof ForbiddenError) {
      throw new ApiError(403, 'ERR_FORBIDDEN', `Your roles do not grant ${permission}`)
    }
    throw error
  }
  return { id: user.id, email: user.email, roles: user.roles }
}
