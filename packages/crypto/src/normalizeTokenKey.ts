import { tryDecodeBase64url } from './base64url.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'
import { isCryptoKey } from './isCryptoKey.ts'

/**
 * The JWS algorithms a token service can use: HMAC-SHA-256 with a shared secret, ECDSA on P-256
 * with SHA-256, and Ed25519.
 *
 * @example
 * ```ts
 * import type { TokenAlgorithm } from '@moodlens/crypto/jwt'
 *
 * const alg: TokenAlgorithm = 'ES256'
 * ```
 */
export type TokenAlgorithm = 'HS256' | 'ES256' | 'EdDSA'

/**
 * A signing or verification key, with the key id that names it in token headers.
 *
 * - `HS256`: the shared secret, at least 32 bytes: a Uint8Array, an HMAC SHA-256 CryptoKey or an
 *   `oct` JWK.
 * - `ES256`: a P-256 ECDSA CryptoKey or `EC` JWK.
 * - `EdDSA`: an Ed25519 CryptoKey or `OKP` JWK.
 *
 * Signing keys are private, verification keys public (for `HS256` the secret serves both).
 *
 * @example
 * ```ts
 * import type { TokenKey } from '@moodlens/crypto/jwt'
 *
 * const current: TokenKey = { kid: '2025-06', key: JSON.parse(process.env.JWT_PRIVATE_JWK!) }
 * ```
 */
export interface TokenKey {
  /**
   * Key id. `sign` writes it to the token header; `verify` uses it to pick among several
   * verification keys (key rotation). A key without `kid` is tried for every token.
   */
  readonly kid?: string
  /** The key itself. */
  readonly key: CryptoKey | JsonWebKey | Uint8Array
}

/** A {@link TokenKey} checked against the algorithm and copied, as jose is given it. */
export interface NormalizedTokenKey {
  readonly kid: string | undefined
  readonly key: CryptoKey | JsonWebKey | Uint8Array
}

/**
 * The shortest HS256 secret a token service accepts, in bytes: RFC 7518 section 3.2 asks for at
 * least the hash size (256 bits).
 *
 * @example
 * ```ts
 * import { MIN_HMAC_KEY_LENGTH } from '@moodlens/crypto/jwt'
 *
 * const secret = crypto.getRandomValues(new Uint8Array(MIN_HMAC_KEY_LENGTH))
 * ```
 */
export const MIN_HMAC_KEY_LENGTH = 32

const JWK_TYPES: Record<TokenAlgorithm, { kty: string; crv?: string; algs: readonly string[] }> = {
  HS256: { kty: 'oct', algs: ['HS256'] },
  ES256: { kty: 'EC', crv: 'P-256', algs: ['ES256'] },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', algs: ['EdDSA', 'Ed25519'] },
}

/**
 * Checks that `tokenKey` suits `alg` for `use` and returns a private copy (so later changes to
 * the caller's objects do not reach the service, and jose's freezing of JWKs does not reach the
 * caller). Throws `TypeError` for a malformed wrapper and {@link InvalidKeyError} for an
 * unsuitable key, both naming `path`.
 */
export function normalizeTokenKey(
  tokenKey: unknown,
  alg: TokenAlgorithm,
  use: 'sign' | 'verify',
  path: string,
): NormalizedTokenKey {
  if (typeof tokenKey !== 'object' || tokenKey === null || !('key' in tokenKey)) {
    throw new TypeError(`${path} must be an object { kid?, key }`)
  }
  const { kid, key } = tokenKey as { kid?: unknown; key: unknown }
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) {
    throw new TypeError(`${path}.kid must be a non-empty string`)
  }
  return { kid, key: normalizeKey(key, alg, use, `${path}.key`) }
}

function normalizeKey(
  key: unknown,
  alg: TokenAlgorithm,
  use: 'sign' | 'verify',
  path: string,
): CryptoKey | JsonWebKey | Uint8Array {
  if (key instanceof Uint8Array) {
    if (alg !== 'HS256') throw new InvalidKeyError(`${path}: raw bytes are only an HS256 secret`)
    assertSecretLength(key.length, path)
    return new Uint8Array(key)
  }
  if (isCryptoKey(key)) {
    assertCryptoKey(key, alg, use, path)
    return key
  }
  if (typeof key === 'object' && key !== null)
    return normalizeJwk(key as JsonWebKey, alg, use, path)
  throw new InvalidKeyError(`${path} must be a CryptoKey, a JWK or (HS256) a Uint8Array`)
}

function assertSecretLength(length: number, path: string): void {
  if (length < MIN_HMAC_KEY_LENGTH) {
    throw new InvalidKeyError(
      `${path}: an HS256 secret needs at least ${MIN_HMAC_KEY_LENGTH} bytes, got ${length}`,
    )
  }
}

function assertCryptoKey(
  key: CryptoKey,
  alg: TokenAlgorithm,
  use: 'sign' | 'verify',
  path: string,
): void {
  const algorithm = key.algorithm as Partial<HmacKeyAlgorithm & EcKeyAlgorithm>
  if (alg === 'HS256') {
    if (algorithm.name !== 'HMAC' || algorithm.hash?.name !== 'SHA-256') {
      throw new InvalidKeyError(`${path}: HS256 needs an HMAC SHA-256 CryptoKey`)
    }
    assertSecretLength((algorithm.length ?? 0) / 8, path)
  } else {
    const expected = alg === 'ES256' ? 'ECDSA' : 'Ed25519'
    if (algorithm.name !== expected || (alg === 'ES256' && algorithm.namedCurve !== 'P-256')) {
      throw new InvalidKeyError(
        `${path}: ${alg} needs ${alg === 'ES256' ? 'a P-256 ECDSA' : 'an Ed25519'} CryptoKey`,
      )
    }
    const type = use === 'sign' ? 'private' : 'public'
    if (key.type !== type) throw new InvalidKeyError(`${path}: ${alg} ${use} needs a ${type} key`)
  }
  if (!key.usages.includes(use)) throw new InvalidKeyError(`${path} is not allowed to ${use}`)
}

function normalizeJwk(
  jwk: JsonWebKey,
  alg: TokenAlgorithm,
  use: 'sign' | 'verify',
  path: string,
): JsonWebKey {
  const expected = JWK_TYPES[alg]
  if (jwk.kty !== expected.kty || (expected.crv !== undefined && jwk.crv !== expected.crv)) {
    const shape = expected.crv === undefined ? expected.kty : `${expected.kty} ${expected.crv}`
    throw new InvalidKeyError(`${path}: ${alg} needs a JWK with kty ${shape}`)
  }
  if (jwk.alg !== undefined && !expected.algs.includes(jwk.alg)) {
    throw new InvalidKeyError(`${path}: the JWK is for ${jwk.alg}, not ${alg}`)
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new InvalidKeyError(`${path}: the JWK's use is "${jwk.use}", not "sig"`)
  }
  if (alg === 'HS256') {
    const secret = typeof jwk.k === 'string' ? tryDecodeBase64url(jwk.k) : undefined
    if (!secret) throw new InvalidKeyError(`${path}: an oct JWK needs a base64url "k"`)
    assertSecretLength(secret.length, path)
  } else {
    if (typeof jwk.x !== 'string' || (alg === 'ES256' && typeof jwk.y !== 'string')) {
      throw new InvalidKeyError(`${path}: the JWK lacks its public coordinates`)
    }
    if (use === 'sign' && typeof jwk.d !== 'string') {
      throw new InvalidKeyError(`${path}: signing needs a private JWK (with "d")`)
    }
    if (use === 'verify' && jwk.d !== undefined) {
      throw new InvalidKeyError(`${path}: a verification key must be public: remove "d"`)
    }
  }
  // `alg` has been checked; dropping it lets jose accept an Ed25519 JWK labelled with the newer
  // fully-specified "Ed25519" (as WebCrypto exports it) under the "EdDSA" header.
  const copy: JsonWebKey = { ...jwk, ...(jwk.key_ops && { key_ops: [...jwk.key_ops] }) }
  delete copy.alg
  return copy
}
