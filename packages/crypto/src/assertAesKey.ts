import { InvalidKeyError } from './InvalidKeyError.ts'
import { isCryptoKey } from './isCryptoKey.ts'

/**
 * Throws {@link InvalidKeyError} unless `key` is an AES-256-GCM `CryptoKey` (allowed to `usage`,
 * when one is given). Misuse is reported plainly: it reveals nothing about any ciphertext. Only
 * failures that depend on the data are opaque.
 */
export function assertAesKey(
  key: unknown,
  usage?: 'encrypt' | 'decrypt',
): asserts key is CryptoKey {
  if (!isCryptoKey(key)) throw new InvalidKeyError('key must be a CryptoKey')
  const { name, length } = key.algorithm as Partial<AesKeyAlgorithm>
  if (name !== 'AES-GCM' || length !== 256) {
    const described = length === undefined ? String(name) : `${String(name)} (${length} bits)`
    throw new InvalidKeyError(`key must be an AES-256-GCM key, got ${described}`)
  }
  if (usage !== undefined && !key.usages.includes(usage)) {
    throw new InvalidKeyError(`key is not allowed to ${usage} (usages: ${key.usages.join(', ')})`)
  }
}
