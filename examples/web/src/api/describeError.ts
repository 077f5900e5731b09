import { ApiError } from './ApiError.ts'

// What a person can do about each failure, in their words rather than the server's.
const BY_CODE: Readonly<Record<string, string>> = {
  ERR_NETWORK:
    'The moodlens server cannot be reached. Check your connection (or that the server is running) and try again.',
  ERR_INVALID_CREDENTIALS: 'That email and password do not match an account.',
  ERR_EMAIL_TAKEN: 'An account with this email already exists. Sign in instead.',
  ERR_RATE_LIMITED: 'Too many attempts. Wait a minute, then try again.',
  ERR_ACCOUNT_DISABLED: 'This account has been disabled. Ask an admin to enable it again.',
  ERR_UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  ERR_TOKEN_INVALID: 'Your session has ended. Please sign in again.',
  ERR_TOKEN_EXPIRED: 'Your session has ended. Please sign in again.',
  ERR_REFRESH_TOKEN_INVALID: 'Your session has ended. Please sign in again.',
  ERR_REFRESH_TOKEN_REUSED:
    'For your safety you were signed out everywhere (an old sign-in was used again). Please sign in again.',
  ERR_FORBIDDEN: 'Your account is not allowed to do this.',
  ERR_BODY_TOO_LARGE: 'That is too large for the server. Try a smaller file.',
  ERR_CATALOG_EMPTY: 'The music catalogue is empty. A curator can import one on the Curator page.',
  ERR_UNAVAILABLE: 'The server is busy or starting up. Try again in a moment.',
  ERR_SESSION_UNKNOWN: 'The secure connection expired. Try again.',
  ERR_ENVELOPE_STALE: 'The secure connection expired. Try again.',
}

const BY_STATUS: Readonly<Record<number, string>> = {
  401: 'Your session has ended. Please sign in again.',
  403: 'Your account is not allowed to do this.',
  404: 'The server does not know this request. Is it the moodlens server?',
  413: 'That is too large for the server.',
  429: 'Too many attempts. Wait a minute, then try again.',
}

/** A sentence a user understands for any thrown value, API errors first. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const known = BY_CODE[error.code]
    if (known !== undefined) return known
    // Validation problems (400, 409, 422) carry a detail meant for the person who typed the input.
    if (error.status >= 400 && error.status < 500 && error.detail !== undefined) {
      return error.detail
    }
    return (
      BY_STATUS[error.status] ??
      (error.status >= 500
        ? 'The server had a problem. Try again in a moment.'
        : 'The server refused this request.')
    )
  }
  if (error instanceof DOMException && error.name === 'AbortError') return 'Cancelled.'
  return 'Something went wrong. Reload the page and try again.'
}
