import { AES_KEY_ALGORITHM, AES_KEY_USAGES } from './aesKeyAlgorithm.ts'
import { assertOptionalBoolean, assertOptions } from './assertOptions.ts'
import { tryDecodeBase64url } from './base64url.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'

/**
 * Options of {@link importKey}.
 *
 * @example
 * ```ts
 * import { importKey, type ImportKeyOptions } from '@moodlens/crypto'
 *
 * const options: ImportKeyOptions = { extractable: false }
 * const key = await importKey(rawBytes, options)
 * ```
 */
export interface ImportKeyOptions {
  /** Whether {@link exportKey} may read the key back. Default `false`. */
  readonly extractable?: boolean
}

/**
 * The defaults of {@link importKey}: imported keys are not extractable again.
 *
 * @example
 * ```ts
 * import { DEFAULT_IMPORT_KEY_OPTIONS } from '@moodlens/crypto'
 *
 * DEFAULT_IMPORT_KEY_OPTIONS.extractable // false
 * ```
 */
export const DEFAULT_IMPORT_KEY_OPTIONS: Readonly<Required<ImportKeyOptions>> = Object.freeze({
  extractable: false,
})

const KEY_LENGTH = 32

/**
 * Imports an AES-256-GCM key from its 32 raw bytes or from a JWK (`kty: 'oct'`, a 32-byte `k`,
 * `alg: 'A256GCM'` when present). The JWK's `ext` and `key_ops` are honoured.
 *
 * @throws {@link InvalidKeyError} (`ERR_INVALID_KEY`) for any other length, key type or a JWK
 * that WebCrypto refuses; `TypeError` when an option has the wrong type.
 *
 * @example
 * ```ts
 * import { decodeBase64url, importKey } from '@moodlens/crypto'
 *
 * const key = await importKey(decodeBase64url(process.env.DATA_KEY!))
 * const same = await importKey({ kty: 'oct', alg: 'A256GCM', k: process.env.DATA_KEY! })
 * ```
 */
export async function importKey(
  raw: Uint8Array | JsonWebKey,
  options?: ImportKeyOptions,
): Promise<CryptoKey> {
  assertOptions(options)
  const extractable = options?.extractable ?? DEFAULT_IMPORT_KEY_OPTIONS.extractable
  assertOptionalBoolean(extractable, 'options.extractable')
  const usages = [...AES_KEY_USAGES]
  if (raw instanceof Uint8Array) {
    if (raw.length !== KEY_LENGTH) {
      throw new InvalidKeyError(`An AES-256 key needs ${KEY_LENGTH} bytes, got ${raw.length}`)
    }
    // Copied: WebCrypto refuses views on shared memory, and the caller may reuse its buffer.
    return crypto.subtle.importKey(
      'raw',
      new Uint8Array(raw),
      AES_KEY_ALGORITHM,
      extractable,
      usages,
    )
  }
  if (typeof raw !== 'object' || raw === null) {
    throw new InvalidKeyError('key must be 32 raw bytes (Uint8Array) or a JWK')
  }
  const { kty, k, alg, use } = raw
  if (kty !== 'oct' || typeof k !== 'string') {
    throw new InvalidKeyError('An AES key JWK needs kty "oct" and a base64url "k"')
  }
  if (alg !== undefined && alg !== 'A256GCM') {
    throw new InvalidKeyError(`An AES-256-GCM key JWK must have alg "A256GCM", got "${alg}"`)
  }
  if (use !== undefined && use !== 'enc') {
    throw new InvalidKeyError(`An encryption key JWK must have use "enc", got "${use}"`)
  }
  const bytes = tryDecodeBase64url(k)
  if (!bytes || bytes.length !== KEY_LENGTH) {
    throw new InvalidKeyError(
      `An AES-256 key needs ${KEY_LENGTH} bytes, the JWK's "k" ${bytes ? `has ${bytes.length}` : 'is not base64url'}`,
    )
  }
  try {
    return await crypto.subtle.importKey('jwk', raw, AES_KEY_ALGORITHM, extractable, usages)
  } catch (cause) {
    throw new InvalidKeyError('WebCrypto refused the JWK (check its "ext" and "key_ops")', {
      cause,
    })
  }
}
