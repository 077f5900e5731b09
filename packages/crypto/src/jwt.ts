export {
  createTokenService,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_TOKEN_TTL_SECONDS,
  MAX_CLOCK_TOLERANCE_SECONDS,
  type TokenClaims,
  type TokenClaimsInput,
  type TokenService,
  type TokenServiceOptions,
} from './createTokenService.ts'
export { MIN_HMAC_KEY_LENGTH, type TokenAlgorithm, type TokenKey } from './normalizeTokenKey.ts'
export { TokenClaimError } from './TokenClaimError.ts'
export { TokenExpiredError } from './TokenExpiredError.ts'
export { TokenInvalidError } from './TokenInvalidError.ts'
