import { MoodlensCryptoError } from './MoodlensCryptoError.ts'

/**
 * A token's signature is good but its `exp` has passed (beyond the clock tolerance). Code
 * `ERR_TOKEN_EXPIRED`: the client should refresh and retry.
 *
 * @example
 * ```ts
 * import { TokenExpiredError } from '@moodlens/crypto/jwt'
 *
 * try {
 *   await tokens.verify(token)
 * } catch (error) {
 *   if (error instanceof TokenExpiredError) return refreshAndRetry()
 *   throw error
 * }
 * ```
 */
export class TokenExpiredError extends MoodlensCryptoError {
  declare readonly code: 'ERR_TOKEN_EXPIRED'

  constructor(message: string, options?: ErrorOptions) {
    super('ERR_TOKEN_EXPIRED', message, options)
  }
}
