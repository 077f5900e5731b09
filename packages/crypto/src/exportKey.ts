import { assertAesKey } from './assertAesKey.ts'
import { assertOptions } from './assertOptions.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'

/**
 * Options of {@link exportKey}.
 *
 * @example
 * ```ts
 * import { exportKey, type ExportKeyOptions } from '@moodlens/crypto'
 *
 * const options: ExportKeyOptions = { format: 'jwk' }
 * const jwk = await exportKey(key, options)
 * ```
 */
export interface ExportKeyOptions {
  /** `'raw'` (default): the 32 key bytes. `'jwk'`: a JSON Web Key with `alg: 'A256GCM'`. */
  readonly format?: 'raw' | 'jwk'
}

/**
 * Reads an extractable AES-256-GCM key back as 32 raw bytes or as a JWK, e.g. to store it in a
 * secrets manager. Keys are non-extractable by default; create or import them with
 * `{ extractable: true }` to export them.
 *
 * @throws {@link InvalidKeyError} (`ERR_INVALID_KEY`) when `key` is not an AES-256-GCM key or is
 * not extractable; `TypeError` for an unknown `format`.
 *
 * @example
 * ```ts
 * import { encodeBase64url, exportKey, generateKey } from '@moodlens/crypto'
 *
 * const key = await generateKey({ extractable: true })
 * const secret = encodeBase64url(await exportKey(key)) // 43 characters
 * const jwk = await exportKey(key, { format: 'jwk' }) // { kty: 'oct', alg: 'A256GCM', k, ... }
 * ```
 */
export function exportKey(
  key: CryptoKey,
  options?: { readonly format?: 'raw' },
): Promise<Uint8Array<ArrayBuffer>>
export function exportKey(key: CryptoKey, options: { readonly format: 'jwk' }): Promise<JsonWebKey>
export function exportKey(
  key: CryptoKey,
  options?: ExportKeyOptions,
): Promise<Uint8Array<ArrayBuffer> | JsonWebKey>
export async function exportKey(
  key: CryptoKey,
  options?: ExportKeyOptions,
): Promise<Uint8Array<ArrayBuffer> | JsonWebKey> {
  assertOptions(options)
  const format = options?.format ?? 'raw'
  if (format !== 'raw' && format !== 'jwk') {
    throw new TypeError(`options.format must be "raw" or "jwk", got ${String(format)}`)
  }
  assertAesKey(key)
  if (!key.extractable) {
    throw new InvalidKeyError('key is not extractable: create it with { extractable: true }')
  }
  if (format === 'jwk') return crypto.subtle.exportKey('jwk', key)
  return new Uint8Array(await crypto.subtle.exportKey('raw', key))
}
