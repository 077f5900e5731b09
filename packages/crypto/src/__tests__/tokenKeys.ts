import type { TokenAlgorithm } from '../normalizeTokenKey.ts'
import { omit } from './omit.ts'

/** Test helper: fresh extractable keys for an algorithm, as CryptoKeys and as JWKs. */
export interface TestKeys {
  readonly signing: CryptoKey | Uint8Array
  readonly verification: CryptoKey | Uint8Array
  readonly privateJwk: JsonWebKey
  readonly publicJwk: JsonWebKey
}

export async function generateTestKeys(alg: TokenAlgorithm): Promise<TestKeys> {
  if (alg === 'HS256') {
    const secret = crypto.getRandomValues(new Uint8Array(32))
    const k = await crypto.subtle.importKey(
      'raw',
      secret,
      { name: 'HMAC', hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )
    const jwk = await crypto.subtle.exportKey('jwk', k)
    return { signing: secret, verification: secret, privateJwk: jwk, publicJwk: jwk }
  }
  const params = alg === 'ES256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'Ed25519' }
  const pair = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair
  const privateJwk = omit(await crypto.subtle.exportKey('jwk', pair.privateKey), 'key_ops', 'ext')
  const publicJwk = omit(await crypto.subtle.exportKey('jwk', pair.publicKey), 'key_ops', 'ext')
  return { signing: pair.privateKey, verification: pair.publicKey, privateJwk, publicJwk }
}

/** A mutable clock for token services under test. */
export function testClock(start: string): { now: () => Date; set: (seconds: number) => void } {
  let current = new Date(start).getTime()
  return {
    now: () => new Date(current),
    set: (seconds) => {
      current = seconds * 1000
    },
  }
}
