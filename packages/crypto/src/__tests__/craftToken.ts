import { encodeBase64url } from '../base64url.ts'

/**
 * Test helper: a compact JWS built by hand, as an attacker would, without jose: any header, any
 * claims, signed with HMAC-SHA-256 under any bytes (or, for `alg: none`, not signed at all).
 */
export async function craftToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  hmacSecret?: Uint8Array,
): Promise<string> {
  const encoder = new TextEncoder()
  const input = `${encodeBase64url(encoder.encode(JSON.stringify(header)))}.${encodeBase64url(
    encoder.encode(JSON.stringify(claims)),
  )}`
  if (!hmacSecret) return `${input}.`
  const key = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(hmacSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const signature = await crypto.subtle.sign('HMAC', key, encoder.encode(input))
  return `${input}.${encodeBase64url(new Uint8Array(signature))}`
}

/** Replaces one part (0 header, 1 payload, 2 signature) of a compact token. */
export function replacePart(token: string, index: 0 | 1 | 2, part: string): string {
  const parts = token.split('.')
  parts[index] = part
  return parts.join('.')
}
