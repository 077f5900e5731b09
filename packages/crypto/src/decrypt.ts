import { assertAesKey } from './assertAesKey.ts'
import { assertOptions } from './assertOptions.ts'
import { DecryptionFailedError } from './DecryptionFailedError.ts'
import type { EncryptOptions } from './encrypt.ts'
import { parseEnvelope, TAG_LENGTH } from './parseEnvelope.ts'
import { toBytes } from './toBytes.ts'

/**
 * Decrypts an envelope made by {@link encrypt} and returns the plaintext bytes. The tag is checked
 * before anything is returned: no partial or unauthenticated plaintext ever comes out.
 *
 * @throws {@link DecryptionFailedError} (`ERR_DECRYPTION_FAILED`, and nothing else revealed) when
 * the envelope is malformed (wrong version, bad base64url, IV not 12 bytes, missing tag, extra
 * parts, not a string), was tampered with or truncated, or the key or `aad` differ.
 * {@link InvalidKeyError} when `key` is not an AES-256-GCM key that may decrypt; `TypeError` when
 * `options.aad` is not a Uint8Array or a string.
 *
 * @example
 * ```ts
 * import { decrypt } from '@moodlens/crypto'
 *
 * const bytes = await decrypt(key, envelope, { aad: 'user:42' })
 * ```
 */
export async function decrypt(
  key: CryptoKey,
  envelope: string,
  options?: EncryptOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  assertAesKey(key, 'decrypt')
  assertOptions(options)
  const aad = options?.aad === undefined ? undefined : toBytes(options.aad, 'options.aad')
  const parsed = parseEnvelope(envelope)
  if (!parsed) throw new DecryptionFailedError()
  const params: AesGcmParams = { name: 'AES-GCM', iv: parsed.iv, tagLength: TAG_LENGTH * 8 }
  if (aad) params.additionalData = aad
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, parsed.sealed))
  } catch {
    // WebCrypto's OperationError says as little; dropping it keeps the error the same however
    // the envelope was damaged.
    throw new DecryptionFailedError()
  }
}
