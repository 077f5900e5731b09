import { assertAesKey } from './assertAesKey.ts'
import { assertOptions } from './assertOptions.ts'
import { encodeBase64url } from './base64url.ts'
import { ENVELOPE_VERSION, IV_LENGTH, TAG_LENGTH } from './parseEnvelope.ts'
import { toBytes } from './toBytes.ts'

/**
 * Options of {@link encrypt} and {@link decrypt} (and their text and JSON variants).
 *
 * @example
 * ```ts
 * import { encrypt, type EncryptOptions } from '@moodlens/crypto'
 *
 * // Bind the ciphertext to its owner: decrypting it for another user fails.
 * const options: EncryptOptions = { aad: `user:${userId}` }
 * const envelope = await encrypt(key, moodHistory, options)
 * ```
 */
export interface EncryptOptions {
  /**
   * Additional authenticated data: not encrypted and not stored in the envelope, but bound to it,
   * so decryption fails unless the same bytes are given again. Use it for context the ciphertext
   * belongs to (a user id, a record id, a field name). Strings are UTF-8 encoded.
   */
  readonly aad?: Uint8Array | string
}

/**
 * Encrypts with AES-256-GCM under a fresh random 96-bit IV and returns a compact envelope,
 * `v1.<base64url IV>.<base64url ciphertext||16-byte tag>`, safe in URLs, JSON and headers.
 * Strings are UTF-8 encoded. Encrypting the same plaintext twice gives different envelopes.
 *
 * Random IVs are safe for up to 2^32 encryptions under one key (NIST SP 800-38D); rotate keys
 * well before that.
 *
 * @throws {@link InvalidKeyError} (`ERR_INVALID_KEY`) when `key` is not an AES-256-GCM key that
 * may encrypt; `TypeError` when `plaintext` or `options.aad` is not a Uint8Array or a string.
 *
 * @example
 * ```ts
 * import { decryptText, encrypt, generateKey } from '@moodlens/crypto'
 *
 * const key = await generateKey()
 * const envelope = await encrypt(key, 'feeling: happy', { aad: 'user:42' })
 * await decryptText(key, envelope, { aad: 'user:42' }) // 'feeling: happy'
 * ```
 */
export async function encrypt(
  key: CryptoKey,
  plaintext: Uint8Array | string,
  options?: EncryptOptions,
): Promise<string> {
  assertAesKey(key, 'encrypt')
  assertOptions(options)
  const data = toBytes(plaintext, 'plaintext')
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH))
  const params: AesGcmParams = { name: 'AES-GCM', iv, tagLength: TAG_LENGTH * 8 }
  if (options?.aad !== undefined) params.additionalData = toBytes(options.aad, 'options.aad')
  const sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, data))
  return `${ENVELOPE_VERSION}.${encodeBase64url(iv)}.${encodeBase64url(sealed)}`
}
