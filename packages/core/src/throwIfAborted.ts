import { MoodlensError } from './MoodlensError.ts'

/**
 * The typed error for a cancelled operation; `cause` keeps the signal's reason.
 *
 * @example
 * ```ts
 * if (signal.aborted) throw abortedError(signal)
 * ```
 */
export function abortedError(
  signal: AbortSignal,
  operation: string = 'Loading the emotion model',
): MoodlensError {
  return new MoodlensError('ERR_ABORTED', `${operation} was aborted`, {
    cause: signal.reason,
  })
}

/**
 * Throws {@link MoodlensError} `ERR_ABORTED` when `signal` has fired; does nothing without one.
 *
 * @example
 * ```ts
 * throwIfAborted(options.signal)
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined, operation?: string): void {
  if (signal?.aborted) throw abortedError(signal, operation)
}
