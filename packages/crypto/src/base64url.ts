const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

// Character code -> 6-bit value, 64 for characters outside the alphabet. Built on first use so
// that importing the module does no work.
let decodeTable: Uint8Array | undefined

function getDecodeTable(): Uint8Array {
  if (!decodeTable) {
    decodeTable = new Uint8Array(128).fill(64)
    for (let i = 0; i < 64; i++) decodeTable[ALPHABET.charCodeAt(i)] = i
  }
  return decodeTable
}

/**
 * Encodes bytes as unpadded base64url (RFC 4648 section 5), the alphabet JWTs and envelopes use.
 *
 * @example
 * ```ts
 * import { encodeBase64url } from '@moodlens/crypto'
 *
 * encodeBase64url(new TextEncoder().encode('foobar')) // 'Zm9vYmFy'
 * const salt = encodeBase64url(crypto.getRandomValues(new Uint8Array(16)))
 * ```
 */
export function encodeBase64url(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array')
  const chars: string[] = []
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    chars.push(
      ALPHABET[n >>> 18]!,
      ALPHABET[(n >>> 12) & 63]!,
      ALPHABET[(n >>> 6) & 63]!,
      ALPHABET[n & 63]!,
    )
  }
  const rest = bytes.length - i
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0)
    chars.push(ALPHABET[n >>> 18]!, ALPHABET[(n >>> 12) & 63]!)
    if (rest === 2) chars.push(ALPHABET[(n >>> 6) & 63]!)
  }
  return chars.join('')
}

/**
 * Strict base64url decoding for internal callers that must not throw: `undefined` for padding,
 * characters outside the URL-safe alphabet, an impossible length or non-zero trailing bits (so
 * that every byte string has exactly one accepted encoding).
 */
export function tryDecodeBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  const length = text.length
  const rest = length % 4
  if (rest === 1) return undefined
  const table = getDecodeTable()
  const bytes = new Uint8Array(((length - rest) / 4) * 3 + (rest === 0 ? 0 : rest - 1))
  let buffer = 0
  let bits = 0
  let j = 0
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    const value = code < 128 ? table[code]! : 64
    if (value === 64) return undefined
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[j++] = (buffer >>> bits) & 0xff
    }
  }
  // Left-over bits (2 or 4) must be zero: 'Zh' and 'Zg' would otherwise both decode to 'f'.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined
  return bytes
}

/**
 * Decodes unpadded base64url (RFC 4648 section 5), strictly: padding, `+`, `/`, whitespace, an
 * impossible length and non-zero trailing bits are all rejected, as `Uint8Array.fromBase64` does.
 *
 * @throws `TypeError` when `text` is not a string; `SyntaxError` when it is not strict base64url.
 *
 * @example
 * ```ts
 * import { decodeBase64url } from '@moodlens/crypto'
 *
 * new TextDecoder().decode(decodeBase64url('Zm9vYmFy')) // 'foobar'
 * decodeBase64url('Zm9vYg==') // throws SyntaxError: no padding in base64url
 * ```
 */
export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw new TypeError('text must be a string')
  const bytes = tryDecodeBase64url(text)
  if (!bytes) throw new SyntaxError('Invalid base64url: expected unpadded RFC 4648 base64url')
  return bytes
}
