import { errors } from 'jose'
import type { MoodlensCryptoError } from './MoodlensCryptoError.ts'
import { TokenClaimError } from './TokenClaimError.ts'
import { TokenExpiredError } from './TokenExpiredError.ts'
import { TokenInvalidError } from './TokenInvalidError.ts'

/**
 * Maps what jose throws while verifying to this package's token errors: an expired `exp` to
 * `ERR_TOKEN_EXPIRED`, any other claim check to `ERR_TOKEN_CLAIM` (naming the claim), and
 * everything else (malformed token, disallowed algorithm, bad signature) to `ERR_TOKEN_INVALID`.
 * jose's error is kept as `cause`.
 */
export function toTokenError(error: unknown): MoodlensCryptoError {
  if (error instanceof errors.JWTExpired) {
    return new TokenExpiredError('The token has expired', { cause: error })
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const problem = error.reason === 'missing' ? 'is missing' : 'does not match'
    return new TokenClaimError(error.claim, `The token's "${error.claim}" claim ${problem}`, {
      cause: error,
    })
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenInvalidError('The token signature does not verify', { cause: error })
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TokenInvalidError('The token uses an algorithm this service does not accept', {
      cause: error,
    })
  }
  return new TokenInvalidError('The token is malformed', { cause: error })
}
