import { decodeProtectedHeader, jwtVerify, SignJWT, errors, type JWTPayload } from 'jose'
import { tryDecodeBase64url } from './base64url.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'
import { isCryptoKey } from './isCryptoKey.ts'
import {
  normalizeTokenKey,
  type NormalizedTokenKey,
  type TokenAlgorithm,
  type TokenKey,
} from './normalizeTokenKey.ts'
import { TokenClaimError } from './TokenClaimError.ts'
import { toPublicJwk } from './toPublicJwk.ts'
import { TokenInvalidError } from './TokenInvalidError.ts'
import { toTokenError } from './toTokenError.ts'

/**
 * How long tokens from `sign` stay valid by default: 15 minutes, in seconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_TOKEN_TTL_SECONDS } from '@moodlens/crypto/jwt'
 *
 * DEFAULT_TOKEN_TTL_SECONDS // 900
 * ```
 */
export const DEFAULT_TOKEN_TTL_SECONDS = 900

/**
 * The clock skew `verify` forgives by default, in seconds, on `exp` and `nbf`.
 *
 * @example
 * ```ts
 * import { DEFAULT_CLOCK_TOLERANCE_SECONDS } from '@moodlens/crypto/jwt'
 *
 * DEFAULT_CLOCK_TOLERANCE_SECONDS // 5
 * ```
 */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5

/**
 * The largest `clockTolerance` a token service accepts, in seconds. More would let expired
 * tokens live on noticeably; fix the clocks instead.
 *
 * @example
 * ```ts
 * import { MAX_CLOCK_TOLERANCE_SECONDS } from '@moodlens/crypto/jwt'
 *
 * MAX_CLOCK_TOLERANCE_SECONDS // 30
 * ```
 */
export const MAX_CLOCK_TOLERANCE_SECONDS = 30

const TOKEN_ALGORITHMS: readonly TokenAlgorithm[] = ['HS256', 'ES256', 'EdDSA']

/** Claims the service writes itself; `sign` refuses them in its input. */
const SERVICE_CLAIMS = ['iss', 'aud', 'exp', 'iat'] as const

/**
 * Options of {@link createTokenService}.
 *
 * @example
 * ```ts
 * import type { TokenServiceOptions } from '@moodlens/crypto/jwt'
 *
 * const options: TokenServiceOptions = {
 *   alg: 'ES256',
 *   issuer: 'https://auth.moodlens.app',
 *   audience: 'moodlens-api',
 *   signingKey: { kid: '2025-06', key: privateJwk },
 *   ttl: 600,
 * }
 * ```
 */
export interface TokenServiceOptions {
  /** The one algorithm this service signs with and accepts. Tokens using any other are refused. */
  readonly alg: TokenAlgorithm
  /** Written to `iss` by `sign`; `verify` requires exactly this `iss`. */
  readonly issuer: string
  /**
   * Written to `aud` by `sign`; `verify` requires `aud` to name one of these. Leave it out only
   * where no other service could be handed this issuer's tokens.
   */
  readonly audience?: string | readonly string[]
  /** The key `sign` uses (a private key, or the HS256 secret). Leave it out for verify-only. */
  readonly signingKey?: TokenKey
  /**
   * The keys `verify` accepts, chosen by the token's `kid`. Default: the signing key (its public
   * half for ES256 and EdDSA JWKs). To rotate, add the new key here, switch `signingKey` to it,
   * and drop the old key once tokens signed with it have expired. Required when `signingKey` is
   * an asymmetric CryptoKey, whose public half cannot be read from it.
   */
  readonly verificationKeys?: readonly TokenKey[]
  /** Lifetime of signed tokens in seconds. Default {@link DEFAULT_TOKEN_TTL_SECONDS}. */
  readonly ttl?: number
  /**
   * Seconds of clock skew forgiven on `exp` and `nbf`, from 0 to
   * {@link MAX_CLOCK_TOLERANCE_SECONDS}. Default {@link DEFAULT_CLOCK_TOLERANCE_SECONDS}.
   */
  readonly clockTolerance?: number
  /** The clock, for tests and replays. Default `() => new Date()`. */
  readonly now?: () => Date
}

/**
 * Claims `sign` accepts. `iss`, `aud`, `iat` and `exp` come from the service and may not be given.
 *
 * @example
 * ```ts
 * import type { TokenClaimsInput } from '@moodlens/crypto/jwt'
 *
 * const claims: TokenClaimsInput = { sub: 'user-42', roles: ['listener'], plan: 'free' }
 * ```
 */
export interface TokenClaimsInput {
  /** Subject: whom the token is about, usually a user id. */
  readonly sub?: string
  /** Role names, for a policy from `defineRoles` to check permissions against. */
  readonly roles?: readonly string[]
  /** Not before: a NumericDate (seconds) before which the token is not valid. */
  readonly nbf?: number
  /** Token id, e.g. for revocation lists. */
  readonly jti?: string
  /** Any further JSON-serialisable claims. */
  readonly [claim: string]: unknown
}

/**
 * The verified claims `verify` returns: `iss` matched, `exp` present and in the future, `sub` a
 * string when present and `roles` always an array of strings (empty when the token has none).
 *
 * @example
 * ```ts
 * import type { TokenClaims } from '@moodlens/crypto/jwt'
 *
 * function userId(claims: TokenClaims): string | undefined {
 *   return claims.sub
 * }
 * ```
 */
export interface TokenClaims {
  readonly iss: string
  readonly exp: number
  readonly sub?: string
  readonly aud?: string | readonly string[]
  readonly iat?: number
  readonly nbf?: number
  readonly jti?: string
  readonly roles: readonly string[]
  readonly [claim: string]: unknown
}

/**
 * Signs and verifies JWTs for one issuer with one algorithm. Made by {@link createTokenService}.
 *
 * @example
 * ```ts
 * import type { TokenService } from '@moodlens/crypto/jwt'
 *
 * async function whoIs(tokens: TokenService, header: string | null): Promise<string | undefined> {
 *   const claims = await tokens.verify(header?.replace(/^Bearer /, '') ?? '')
 *   return claims.sub
 * }
 * ```
 */
export interface TokenService {
  /** The algorithm the service signs with and accepts. */
  readonly alg: TokenAlgorithm
  /**
   * Signs `claims` into a compact JWT with `iss`, `aud` (when configured), `iat` and `exp = iat +
   * ttl`, and the signing key's `kid` in the header.
   *
   * @throws `TypeError` when the service has no signing key or a claim is malformed;
   * {@link InvalidKeyError} when WebCrypto cannot use the signing key.
   */
  sign(claims?: TokenClaimsInput): Promise<string>
  /**
   * Verifies a compact JWT: only the configured algorithm, a signature from one of the
   * verification keys, `exp` required and not past, `nbf` not future (both with the clock
   * tolerance), `iss` and `aud` as configured.
   *
   * @throws {@link TokenInvalidError} (`ERR_TOKEN_INVALID`), {@link TokenExpiredError}
   * (`ERR_TOKEN_EXPIRED`) or {@link TokenClaimError} (`ERR_TOKEN_CLAIM`) for the token;
   * {@link InvalidKeyError} when a configured verification key proves unusable (a JWK whose
   * point is not on its curve passes the shape checks of {@link createTokenService}).
   */
  verify(token: string): Promise<TokenClaims>
}

/**
 * Creates a JWT service on jose: `sign(claims)` for an auth server, `verify(token)` for an API.
 * Verification accepts only the configured algorithm (never `none`, never HS256 where ES256 is
 * configured), requires `exp`, checks `iss`, `aud` and `nbf` with at most 30 seconds of clock
 * tolerance, and picks the key by `kid` so keys can be rotated. Creating the service does no
 * I/O; options are checked at once.
 *
 * @throws `TypeError` naming the option when an option is missing or malformed;
 * {@link InvalidKeyError} (`ERR_INVALID_KEY`) when a key does not suit `alg` (wrong type or curve,
 * an HS256 secret shorter than 32 bytes, a private key among verification keys...).
 *
 * @example
 * ```ts
 * import { defineRoles } from '@moodlens/crypto'
 * import { createTokenService } from '@moodlens/crypto/jwt'
 *
 * const tokens = createTokenService({
 *   alg: 'EdDSA',
 *   issuer: 'https://auth.moodlens.app',
 *   audience: 'moodlens-api',
 *   signingKey: { kid: '2025-06', key: JSON.parse(process.env.JWT_PRIVATE_JWK!) },
 * })
 * const token = await tokens.sign({ sub: 'user-42', roles: ['listener'] })
 *
 * const policy = defineRoles({ listener: ['tracks:read'], admin: ['*'] })
 * const claims = await tokens.verify(token) // throws TokenExpiredError etc.
 * policy.assert(claims.roles, 'tracks:read')
 * ```
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object')
  }
  const {
    alg,
    issuer,
    audience,
    signingKey,
    verificationKeys,
    ttl = DEFAULT_TOKEN_TTL_SECONDS,
    clockTolerance = DEFAULT_CLOCK_TOLERANCE_SECONDS,
    now = () => new Date(),
  } = options
  if (!TOKEN_ALGORITHMS.includes(alg)) {
    throw new TypeError(`options.alg must be one of ${TOKEN_ALGORITHMS.join(', ')}`)
  }
  if (typeof issuer !== 'string' || issuer === '') {
    throw new TypeError('options.issuer must be a non-empty string')
  }
  const audiences = audience === undefined ? undefined : parseAudience(audience)
  if (!Number.isSafeInteger(ttl) || ttl <= 0) {
    throw new TypeError('options.ttl must be a positive whole number of seconds')
  }
  if (
    typeof clockTolerance !== 'number' ||
    !(clockTolerance >= 0 && clockTolerance <= MAX_CLOCK_TOLERANCE_SECONDS)
  ) {
    throw new TypeError(
      `options.clockTolerance must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS} seconds`,
    )
  }
  if (typeof now !== 'function') throw new TypeError('options.now must be a function')
  if (signingKey === undefined && verificationKeys === undefined) {
    throw new TypeError('options.signingKey or options.verificationKeys is required')
  }

  const signer =
    signingKey === undefined
      ? undefined
      : normalizeTokenKey(signingKey, alg, 'sign', 'options.signingKey')
  const verifiers = normalizeVerificationKeys(alg, signer, verificationKeys)

  const currentDate = (): Date => {
    const date = now()
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new TypeError('options.now must return a valid Date')
    }
    return date
  }

  async function sign(claims: TokenClaimsInput = {}): Promise<string> {
    if (!signer) throw new TypeError('This token service has no signingKey: it can only verify')
    const payload = parseClaimsInput(claims)
    const issuedAt = Math.floor(currentDate().getTime() / 1000)
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg, typ: 'JWT', ...(signer.kid !== undefined && { kid: signer.kid }) })
      .setIssuer(issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
    if (audiences) jwt.setAudience(audiences.length === 1 ? audiences[0]! : [...audiences])
    try {
      return await jwt.sign(signer.key)
    } catch (cause) {
      throw new InvalidKeyError('options.signingKey could not sign', { cause })
    }
  }

  async function verify(token: string): Promise<TokenClaims> {
    if (typeof token !== 'string') throw new TokenInvalidError('The token must be a string')
    // jose decodes with atob or Uint8Array.fromBase64, which forgive whitespace, padding and
    // non-zero trailing bits differently per runtime. Requiring strict base64url first gives every
    // token exactly one accepted spelling everywhere (which denylists and caches rely on).
    const parts = token.split('.')
    if (parts.length !== 3 || parts.some((part) => part === '' || !tryDecodeBase64url(part))) {
      throw new TokenInvalidError('The token is not a compact JWS in strict base64url')
    }
    let kid: unknown
    try {
      const header = decodeProtectedHeader(token)
      if (header.alg !== alg) {
        throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed')
      }
      kid = header.kid
    } catch (error) {
      throw toTokenError(error)
    }
    const candidates =
      typeof kid === 'string'
        ? verifiers.filter((key) => key.kid === kid || key.kid === undefined)
        : verifiers
    if (candidates.length === 0) {
      throw new TokenInvalidError('The token names a key (kid) this service does not know')
    }
    const verifyOptions = {
      algorithms: [alg],
      issuer,
      ...(audiences && { audience: [...audiences] }),
      clockTolerance,
      currentDate: currentDate(),
      requiredClaims: ['exp'],
    }
    let failure: unknown
    for (const { key } of candidates) {
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, key, verifyOptions))
      } catch (error) {
        // jose reports everything about the token as a JOSEError; anything else is WebCrypto or
        // jose refusing one of our keys (a JWK whose point is not on the curve, say).
        if (!(error instanceof errors.JOSEError)) {
          throw new InvalidKeyError('A verification key could not be used', { cause: error })
        }
        // A signature that fails under one candidate may verify under the next (rotation);
        // anything else (claims, format) fails the same way whichever key is tried.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw toTokenError(error)
        failure = error
        continue
      }
      return toTokenClaims(payload)
    }
    throw toTokenError(failure)
  }

  return Object.freeze({ alg, sign, verify })
}

function parseAudience(audience: unknown): readonly string[] {
  const list = typeof audience === 'string' ? [audience] : audience
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((entry) => typeof entry === 'string' && entry !== '')
  ) {
    throw new TypeError('options.audience must be a non-empty string or array of them')
  }
  return Object.freeze([...(list as string[])])
}

function normalizeVerificationKeys(
  alg: TokenAlgorithm,
  signer: NormalizedTokenKey | undefined,
  verificationKeys: readonly TokenKey[] | undefined,
): readonly NormalizedTokenKey[] {
  if (verificationKeys !== undefined) {
    if (!Array.isArray(verificationKeys) || verificationKeys.length === 0) {
      throw new TypeError('options.verificationKeys must be a non-empty array of { kid?, key }')
    }
    return verificationKeys.map((key: unknown, index) =>
      normalizeTokenKey(key, alg, 'verify', `options.verificationKeys[${index}]`),
    )
  }
  // Only reached with a signer: createTokenService requires one of the two.
  const { kid, key } = signer!
  if (alg === 'HS256') {
    return [normalizeTokenKey(signer, alg, 'verify', 'options.signingKey')]
  }
  if (isCryptoKey(key)) {
    throw new TypeError(
      `options.verificationKeys is required: the public half of a ${alg} CryptoKey cannot be read from the private one`,
    )
  }
  // normalizeTokenKey allows raw bytes only for HS256, handled above: this is a private JWK.
  return [{ kid, key: toPublicJwk(key as JsonWebKey) }]
}

function parseClaimsInput(claims: unknown): JWTPayload {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError('claims must be an object')
  }
  const input = claims as Record<string, unknown>
  for (const claim of SERVICE_CLAIMS) {
    if (claim in input) {
      throw new TypeError(`claims.${claim} is set by the token service and cannot be given`)
    }
  }
  const { sub, roles, nbf, jti } = input
  if (sub !== undefined && typeof sub !== 'string')
    throw new TypeError('claims.sub must be a string')
  if (jti !== undefined && typeof jti !== 'string')
    throw new TypeError('claims.jti must be a string')
  if (nbf !== undefined && !Number.isFinite(nbf)) {
    throw new TypeError('claims.nbf must be a NumericDate (seconds since the epoch)')
  }
  if (roles !== undefined && !isStringArray(roles)) {
    throw new TypeError('claims.roles must be an array of strings')
  }
  // A JSON round trip both checks that the claims can be serialised (no BigInt, no cycles) and
  // leaves jose a plain copy the caller can no longer change.
  try {
    return JSON.parse(JSON.stringify(input)) as JWTPayload
  } catch (cause) {
    throw new TypeError('claims must be JSON-serialisable', { cause })
  }
}

function toTokenClaims(payload: JWTPayload): TokenClaims {
  const { sub, roles = [] } = payload as { sub?: unknown; roles?: unknown }
  if (sub !== undefined && typeof sub !== 'string') {
    throw new TokenClaimError('sub', 'The token\'s "sub" claim is not a string')
  }
  if (!isStringArray(roles)) {
    throw new TokenClaimError('roles', 'The token\'s "roles" claim is not an array of strings')
  }
  // jose has checked iss (a string equal to the issuer) and exp (a number, required).
  return { ...payload, roles } as TokenClaims
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string')
}
