import { tryDecodeBase64url } from './base64url.ts'

/** The first part of every envelope; bumped if the format or algorithm ever changes. */
export const ENVELOPE_VERSION = 'v1'
/** AES-GCM's 96-bit IV, the length NIST SP 800-38D recommends for random IVs. */
export const IV_LENGTH = 12
/** The full 128-bit GCM tag; shorter tags weaken forgery resistance. */
export const TAG_LENGTH = 16

/** An envelope's parts, decoded. */
export interface ParsedEnvelope {
  readonly iv: Uint8Array<ArrayBuffer>
  /** Ciphertext followed by the 16-byte tag, as WebCrypto takes it. */
  readonly sealed: Uint8Array<ArrayBuffer>
}

/**
 * Splits `v1.<base64url IV>.<base64url ciphertext||tag>` into its bytes, or `undefined` for
 * anything else: another version, more or fewer parts, non-strict base64url, an IV that is not
 * 12 bytes, or fewer than 16 bytes where the tag belongs.
 */
export function parseEnvelope(envelope: unknown): ParsedEnvelope | undefined {
  if (typeof envelope !== 'string') return undefined
  const parts = envelope.split('.')
  if (parts.length !== 3 || parts[0] !== ENVELOPE_VERSION) return undefined
  const iv = tryDecodeBase64url(parts[1]!)
  const sealed = tryDecodeBase64url(parts[2]!)
  if (!iv || iv.length !== IV_LENGTH || !sealed || sealed.length < TAG_LENGTH) return undefined
  return { iv, sealed }
}
