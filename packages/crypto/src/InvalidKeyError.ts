import { MoodlensCryptoError } from './MoodlensCryptoError.ts'

/**
 * A key cannot be used for the operation asked of it: raw AES keys that are not 32 bytes, JWKs of
 * the wrong type or curve, CryptoKeys of another algorithm or without the needed usage, private
 * keys where public ones belong, points not on the curve. Code `ERR_INVALID_KEY`.
 *
 * @example
 * ```ts
 * import { InvalidKeyError, importKey } from '@moodlens/crypto'
 *
 * try {
 *   await importKey(new Uint8Array(16))
 * } catch (error) {
 *   if (error instanceof InvalidKeyError) console.error(error.message) // needs 32 bytes
 * }
 * ```
 */
export class InvalidKeyError extends MoodlensCryptoError {
  declare readonly code: 'ERR_INVALID_KEY'

  constructor(message: string, options?: ErrorOptions) {
    super('ERR_INVALID_KEY', message, options)
  }
}
