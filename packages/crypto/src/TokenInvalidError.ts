import { MoodlensCryptoError } from './MoodlensCryptoError.ts'

/**
 * A token is not a well-formed JWS, uses an algorithm other than the service's, names an unknown
 * key, or its signature does not verify. Code `ERR_TOKEN_INVALID`; `cause` keeps jose's error.
 *
 * @example
 * ```ts
 * import { TokenInvalidError } from '@moodlens/crypto/jwt'
 *
 * try {
 *   await tokens.verify(token)
 * } catch (error) {
 *   if (error instanceof TokenInvalidError) return new Response(null, { status: 401 })
 *   throw error
 * }
 * ```
 */
export class TokenInvalidError extends MoodlensCryptoError {
  declare readonly code: 'ERR_TOKEN_INVALID'

  constructor(message: string, options?: ErrorOptions) {
    super('ERR_TOKEN_INVALID', message, options)
  }
}
