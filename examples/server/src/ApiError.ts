/**
 * Every stable error code the API answers with, in the `code` member of its RFC 9457 problem
 * documents. Clients switch on these, never on `title` or `detail`.
 */
export type ApiErrorCode =
  | 'ERR_VALIDATION'
  | 'ERR_MALFORMED_JSON'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_UNAUTHENTICATED'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_METHOD_NOT_ALLOWED'
  | 'ERR_EMAIL_TAKEN'
  | 'ERR_INVALID_CREDENTIALS'
  | 'ERR_ACCOUNT_DISABLED'
  | 'ERR_RATE_LIMITED'
  | 'ERR_REFRESH_TOKEN_INVALID'
  | 'ERR_REFRESH_TOKEN_REUSED'
  | 'ERR_SESSION_UNKNOWN'
  | 'ERR_ENVELOPE_INVALID'
  | 'ERR_ENVELOPE_STALE'
  | 'ERR_ENVELOPE_REPLAYED'
  | 'ERR_INVALID_MOOD'
  | 'ERR_UNKNOWN_TRACK'
  | 'ERR_TRACK_EXISTS'
  | 'ERR_CSV_INVALID'
  | 'ERR_CATALOG_EMPTY'
  | 'ERR_IMAGE_INVALID'
  | 'ERR_IMAGE_TOO_LARGE'
  | 'ERR_NO_FACE'
  | 'ERR_LAST_ADMIN'
  | 'ERR_DETECTOR_UNAVAILABLE'
  | 'ERR_UNAVAILABLE'
  | 'ERR_INTERNAL'

/** One failed check of a request, for `ERR_VALIDATION` problems. */
export interface InvalidParam {
  /** Where in the request: `body/email`, `querystring/limit`, `params/id`. */
  readonly name: string
  readonly reason: string
}

/**
 * An error that becomes an `application/problem+json` response with its status and code. Route
 * handlers throw it; the error handler turns everything else into `ERR_INTERNAL` without
 * revealing what went wrong.
 *
 * @example
 * ```ts
 * throw new ApiError(404, 'ERR_UNKNOWN_TRACK', 'No track has this id')
 * ```
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: ApiErrorCode
  readonly invalidParams: readonly InvalidParam[] | undefined
  readonly headers: Readonly<Record<string, string>>

  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    options: {
      readonly invalidParams?: readonly InvalidParam[]
      readonly headers?: Readonly<Record<string, string>>
      readonly cause?: unknown
    } = {},
  ) {
    super(message, options.cause === undefined ? {} : { cause: options.cause })
    this.name = new.target.name
    this.status = status
    this.code = code
    this.invalidParams = options.invalidParams
    this.headers = options.headers ?? {}
  }
}

/** The short, stable title of each status, as RFC 9457 suggests (`title` does not vary). */
export const STATUS_TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
})

/** The `type` URI of a problem: one per code, so that documentation can anchor on it. */
export function problemType(code: ApiErrorCode): string {
  return `urn:moodlens:problem:${code.slice(4).toLowerCase().replaceAll('_', '-')}`
}
