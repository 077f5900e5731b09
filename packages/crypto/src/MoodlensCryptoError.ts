/**
 * Every error code `@moodlens/crypto` throws. Switch on `error.code` rather than on messages,
 * which may change between releases.
 *
 * - `ERR_INVALID_KEY`: a key is unusable here (wrong length, algorithm, curve, type or usages, a
 *   malformed JWK, a point not on the curve).
 * - `ERR_DECRYPTION_FAILED`: an envelope did not decrypt. Deliberately says nothing more.
 * - `ERR_TOKEN_INVALID`: a token is malformed, uses another algorithm or has a bad signature.
 * - `ERR_TOKEN_EXPIRED`: a token's `exp` has passed.
 * - `ERR_TOKEN_CLAIM`: a claim is missing, mistyped or does not match (`iss`, `aud`, `nbf`...).
 * - `ERR_FORBIDDEN`: none of the roles grants the permission.
 *
 * Arguments and options of the wrong type or out of range are programming errors and throw (or
 * reject with) a plain `TypeError` naming the option instead.
 *
 * @example
 * ```ts
 * import type { MoodlensCryptoErrorCode } from '@moodlens/crypto'
 *
 * const code: MoodlensCryptoErrorCode = 'ERR_DECRYPTION_FAILED'
 * ```
 */
export type MoodlensCryptoErrorCode =
  | 'ERR_INVALID_KEY'
  | 'ERR_DECRYPTION_FAILED'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_CLAIM'
  | 'ERR_FORBIDDEN'

/**
 * The base class of every error `@moodlens/crypto` throws on purpose. `name` is the concrete
 * class's name, `code` a stable {@link MoodlensCryptoErrorCode} and `cause` keeps the underlying
 * error where there is one and where showing it reveals nothing (never for decryption).
 *
 * @example
 * ```ts
 * import { MoodlensCryptoError, decryptText } from '@moodlens/crypto'
 *
 * try {
 *   await decryptText(key, envelope)
 * } catch (error) {
 *   if (error instanceof MoodlensCryptoError && error.code === 'ERR_DECRYPTION_FAILED') {
 *     console.warn('tampered, truncated or encrypted under another key')
 *   }
 * }
 * ```
 */
export class MoodlensCryptoError extends Error {
  /** A stable, machine-readable code. */
  readonly code: MoodlensCryptoErrorCode

  constructor(code: MoodlensCryptoErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}
