/** A row the server rejected, as RFC 9457 problem details extensions list them. */
export interface ProblemItem {
  readonly line?: number
  readonly field?: string
  readonly reason?: string
  readonly message?: string
}

/**
 * A failed API call: the HTTP status and the server's RFC 9457 problem (`code` is its stable
 * machine-readable code), or `ERR_NETWORK` when the server could not be reached at all.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string | undefined
  readonly problem: Readonly<Record<string, unknown>>

  constructor(
    status: number,
    code: string,
    message: string,
    problem: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = new.target.name
    this.status = status
    this.code = code
    this.detail = typeof problem.detail === 'string' ? problem.detail : undefined
    this.problem = problem
  }
}
