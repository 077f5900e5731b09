import { MoodlensCryptoError } from './MoodlensCryptoError.ts'

/**
 * None of the given roles grants the permission asked for. Thrown by `policy.assert`. Code
 * `ERR_FORBIDDEN`; `permission` names what was missing.
 *
 * @example
 * ```ts
 * import { ForbiddenError } from '@moodlens/crypto'
 *
 * try {
 *   policy.assert(claims.roles, 'playlists:delete')
 * } catch (error) {
 *   if (error instanceof ForbiddenError) return new Response(null, { status: 403 })
 *   throw error
 * }
 * ```
 */
export class ForbiddenError extends MoodlensCryptoError {
  declare readonly code: 'ERR_FORBIDDEN'
  /** The permission none of the roles grants. */
  readonly permission: string

  constructor(permission: string) {
    super('ERR_FORBIDDEN', `Forbidden: no role grants "${permission}"`)
    this.permission = permission
  }
}
