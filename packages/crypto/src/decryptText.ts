import { decrypt } from './decrypt.ts'
import { DecryptionFailedError } from './DecryptionFailedError.ts'
import type { EncryptOptions } from './encrypt.ts'

/**
 * Decrypts an envelope made by {@link encrypt} from a string and returns that string. The
 * plaintext must be valid UTF-8; a byte-order mark is kept as it was.
 *
 * @throws {@link DecryptionFailedError} (`ERR_DECRYPTION_FAILED`) in every case {@link decrypt}
 * does, and when the plaintext is not UTF-8. {@link InvalidKeyError} for an unusable key.
 *
 * @example
 * ```ts
 * import { decryptText, encrypt } from '@moodlens/crypto'
 *
 * const envelope = await encrypt(key, 'calm and focused')
 * await decryptText(key, envelope) // 'calm and focused'
 * ```
 */
export async function decryptText(
  key: CryptoKey,
  envelope: string,
  options?: EncryptOptions,
): Promise<string> {
  const bytes = await decrypt(key, envelope, options)
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    throw new DecryptionFailedError()
  }
}
