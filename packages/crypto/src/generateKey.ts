import { AES_KEY_ALGORITHM, AES_KEY_USAGES } from './aesKeyAlgorithm.ts'
import { assertOptionalBoolean, assertOptions } from './assertOptions.ts'

/**
 * Options of {@link generateKey}.
 *
 * @example
 * ```ts
 * import { generateKey, type GenerateKeyOptions } from '@moodlens/crypto'
 *
 * const options: GenerateKeyOptions = { extractable: true }
 * const key = await generateKey(options)
 * ```
 */
export interface GenerateKeyOptions {
  /**
   * Whether {@link exportKey} may read the key's bytes back. Default `false`: the key can encrypt
   * and decrypt but its bytes never leave WebCrypto (a script injected into the page can still
   * use it, but cannot copy it elsewhere).
   */
  readonly extractable?: boolean
}

/**
 * The defaults of {@link generateKey}: non-extractable keys.
 *
 * @example
 * ```ts
 * import { DEFAULT_GENERATE_KEY_OPTIONS } from '@moodlens/crypto'
 *
 * DEFAULT_GENERATE_KEY_OPTIONS.extractable // false
 * ```
 */
export const DEFAULT_GENERATE_KEY_OPTIONS: Readonly<Required<GenerateKeyOptions>> = Object.freeze({
  extractable: false,
})

/**
 * Generates a fresh random AES-256-GCM key for {@link encrypt} and {@link decrypt}.
 *
 * @throws `TypeError` when an option has the wrong type.
 *
 * @example
 * ```ts
 * import { encrypt, generateKey } from '@moodlens/crypto'
 *
 * const key = await generateKey()
 * const envelope = await encrypt(key, 'hello') // 'v1.<iv>.<ciphertext>'
 * ```
 */
export async function generateKey(options?: GenerateKeyOptions): Promise<CryptoKey> {
  assertOptions(options)
  const extractable = options?.extractable ?? DEFAULT_GENERATE_KEY_OPTIONS.extractable
  assertOptionalBoolean(extractable, 'options.extractable')
  return crypto.subtle.generateKey(AES_KEY_ALGORITHM, extractable, [...AES_KEY_USAGES])
}
