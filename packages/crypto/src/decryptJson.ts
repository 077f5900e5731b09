import { decryptText } from './decryptText.ts'
import { DecryptionFailedError } from './DecryptionFailedError.ts'
import type { EncryptOptions } from './encrypt.ts'

/**
 * Decrypts an envelope made by {@link encryptJson} and parses it. The result is `unknown`: it is
 * authentic (only a holder of the key could have made it) but check its shape before trusting
 * its type.
 *
 * @throws {@link DecryptionFailedError} (`ERR_DECRYPTION_FAILED`) in every case {@link decrypt}
 * does, and when the plaintext is not JSON (without `JSON.parse`'s message, which would quote
 * plaintext into logs). {@link InvalidKeyError} for an unusable key.
 *
 * @example
 * ```ts
 * import { decryptJson } from '@moodlens/crypto'
 *
 * const value = await decryptJson(key, envelope)
 * if (typeof value === 'object' && value !== null && 'mood' in value) console.log(value.mood)
 * ```
 */
export async function decryptJson(
  key: CryptoKey,
  envelope: string,
  options?: EncryptOptions,
): Promise<unknown> {
  const text = await decryptText(key, envelope, options)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new DecryptionFailedError()
  }
}
