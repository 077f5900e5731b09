import { encrypt, type EncryptOptions } from './encrypt.ts'

/**
 * Serialises `value` with `JSON.stringify` and encrypts it with {@link encrypt}. Read it back with
 * {@link decryptJson}.
 *
 * @throws `TypeError` when `value` is not JSON-serialisable (`undefined`, a function, a BigInt, a
 * cycle); {@link InvalidKeyError} for an unusable key.
 *
 * @example
 * ```ts
 * import { decryptJson, encryptJson } from '@moodlens/crypto'
 *
 * const envelope = await encryptJson(key, { mood: 'happy', confidence: 0.92 }, { aad: 'user:42' })
 * const profile = await decryptJson(key, envelope, { aad: 'user:42' })
 * ```
 */
export async function encryptJson(
  key: CryptoKey,
  value: unknown,
  options?: EncryptOptions,
): Promise<string> {
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch (cause) {
    throw new TypeError('value must be JSON-serialisable', { cause })
  }
  if (json === undefined) throw new TypeError('value must be JSON-serialisable')
  return encrypt(key, json, options)
}
