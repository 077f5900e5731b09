import { AES_KEY_ALGORITHM, AES_KEY_USAGES } from './aesKeyAlgorithm.ts'
import { assertOptionalBoolean, assertOptions } from './assertOptions.ts'

/**
 * PBKDF2-HMAC-SHA-256 iterations {@link deriveKey} uses by default: 600,000, OWASP's 2023
 * recommendation. About a quarter to half a second on a laptop, which is the point.
 *
 * @example
 * ```ts
 * import { DEFAULT_PBKDF2_ITERATIONS } from '@moodlens/crypto'
 *
 * DEFAULT_PBKDF2_ITERATIONS // 600_000
 * ```
 */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000

/**
 * The fewest iterations {@link deriveKey} accepts: 100,000. Lower counts make offline guessing of
 * passphrases cheap, so there is no way around it (tests use this value to stay fast).
 *
 * @example
 * ```ts
 * import { MIN_PBKDF2_ITERATIONS, deriveKey } from '@moodlens/crypto'
 *
 * // The fastest derivation allowed, for tests:
 * await deriveKey('passphrase', salt, { iterations: MIN_PBKDF2_ITERATIONS })
 * ```
 */
export const MIN_PBKDF2_ITERATIONS = 100_000

/**
 * The shortest salt {@link deriveKey} accepts, in bytes (128 bits, NIST SP 800-132).
 *
 * @example
 * ```ts
 * import { MIN_SALT_LENGTH } from '@moodlens/crypto'
 *
 * const salt = crypto.getRandomValues(new Uint8Array(MIN_SALT_LENGTH))
 * ```
 */
export const MIN_SALT_LENGTH = 16

/**
 * Options of {@link deriveKey}.
 *
 * @example
 * ```ts
 * import { deriveKey, type DeriveKeyOptions } from '@moodlens/crypto'
 *
 * const options: DeriveKeyOptions = { iterations: 1_000_000 }
 * const key = await deriveKey(passphrase, salt, options)
 * ```
 */
export interface DeriveKeyOptions {
  /**
   * PBKDF2 iterations, an integer of at least {@link MIN_PBKDF2_ITERATIONS}. Default
   * {@link DEFAULT_PBKDF2_ITERATIONS}. Store it with the salt: a different count derives a
   * different key.
   */
  readonly iterations?: number
  /** Whether {@link exportKey} may read the derived key. Default `false`. */
  readonly extractable?: boolean
}

/**
 * The defaults of {@link deriveKey}.
 *
 * @example
 * ```ts
 * import { DEFAULT_DERIVE_KEY_OPTIONS } from '@moodlens/crypto'
 *
 * DEFAULT_DERIVE_KEY_OPTIONS.iterations // 600_000
 * ```
 */
export const DEFAULT_DERIVE_KEY_OPTIONS: Readonly<Required<DeriveKeyOptions>> = Object.freeze({
  iterations: DEFAULT_PBKDF2_ITERATIONS,
  extractable: false,
})

/**
 * Derives an AES-256-GCM key from a passphrase with PBKDF2-HMAC-SHA-256. The same passphrase,
 * salt and iteration count always give the same key, so keep the salt (it is not secret) next to
 * what the key encrypts. String passphrases are Unicode-normalised (NFC) and UTF-8 encoded, so a
 * passphrase typed on different keyboards derives the same key.
 *
 * @throws `TypeError` when the passphrase is empty or not a string or Uint8Array, the salt is not
 * a Uint8Array of at least {@link MIN_SALT_LENGTH} bytes, or `iterations` is not an integer of at
 * least {@link MIN_PBKDF2_ITERATIONS}.
 *
 * @example
 * ```ts
 * import { deriveKey, encodeBase64url, encrypt } from '@moodlens/crypto'
 *
 * const salt = crypto.getRandomValues(new Uint8Array(16))
 * const key = await deriveKey('correct horse battery staple', salt)
 * const backup = { salt: encodeBase64url(salt), data: await encrypt(key, diaryJson) }
 * ```
 */
export async function deriveKey(
  passphrase: string | Uint8Array,
  salt: Uint8Array,
  options?: DeriveKeyOptions,
): Promise<CryptoKey> {
  assertOptions(options)
  const iterations = options?.iterations ?? DEFAULT_DERIVE_KEY_OPTIONS.iterations
  const extractable = options?.extractable ?? DEFAULT_DERIVE_KEY_OPTIONS.extractable
  let secret: Uint8Array<ArrayBuffer>
  if (typeof passphrase === 'string') {
    secret = new TextEncoder().encode(passphrase.normalize('NFC'))
  } else if (passphrase instanceof Uint8Array) {
    secret = new Uint8Array(passphrase)
  } else {
    throw new TypeError('passphrase must be a string or a Uint8Array')
  }
  if (secret.length === 0) throw new TypeError('passphrase must not be empty')
  if (!(salt instanceof Uint8Array) || salt.length < MIN_SALT_LENGTH) {
    throw new TypeError(`salt must be a Uint8Array of at least ${MIN_SALT_LENGTH} random bytes`)
  }
  if (!Number.isSafeInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS) {
    throw new TypeError(
      `options.iterations must be an integer of at least ${MIN_PBKDF2_ITERATIONS}, got ${String(iterations)}`,
    )
  }
  assertOptionalBoolean(extractable, 'options.extractable')
  const baseKey = await crypto.subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    baseKey,
    AES_KEY_ALGORITHM,
    extractable,
    [...AES_KEY_USAGES],
  )
}
