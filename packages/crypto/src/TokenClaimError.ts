import { MoodlensCryptoError } from './MoodlensCryptoError.ts'

/**
 * A token's signature is good but a claim is missing, has the wrong type or does not match the
 * service: `exp` missing, `iss` or `aud` not the expected ones, `nbf` still in the future, `sub`
 * not a string, `roles` not an array of strings. Code `ERR_TOKEN_CLAIM`; `claim` names it.
 *
 * @example
 * ```ts
 * import { TokenClaimError } from '@moodlens/crypto/jwt'
 *
 * try {
 *   await tokens.verify(token)
 * } catch (error) {
 *   if (error instanceof TokenClaimError && error.claim === 'nbf') return retryLater()
 *   throw error
 * }
 * ```
 */
export class TokenClaimError extends MoodlensCryptoError {
  declare readonly code: 'ERR_TOKEN_CLAIM'
  /** The claim that failed, e.g. `'aud'`. */
  readonly claim: string

  constructor(claim: string, message: string, options?: ErrorOptions) {
    super('ERR_TOKEN_CLAIM', message, options)
    this.claim = claim
  }
}
