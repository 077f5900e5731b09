import { MoodlensCryptoError } from './MoodlensCryptoError.ts'

/**
 * An envelope did not decrypt: malformed, wrong version, truncated, tampered with, encrypted under
 * another key or with other additional data. Code `ERR_DECRYPTION_FAILED`. The message is always
 * the same and there is no `cause`, so the error tells an attacker nothing about which check
 * failed.
 *
 * @example
 * ```ts
 * import { DecryptionFailedError, decrypt } from '@moodlens/crypto'
 *
 * try {
 *   await decrypt(key, envelope)
 * } catch (error) {
 *   if (error instanceof DecryptionFailedError) return new Response(null, { status: 400 })
 *   throw error
 * }
 * ```
 */
export class DecryptionFailedError extends MoodlensCryptoError {
  declare readonly code: 'ERR_DECRYPTION_FAILED'

  constructor() {
    super('ERR_DECRYPTION_FAILED', 'Decryption failed')
  }
}
