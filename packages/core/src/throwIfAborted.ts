import { MoodlensError } from './MoodlensError.ts'

/**
 * The typed error for a cancelled operation; `cause` keeps the signal's reason.
 *
 * @example
 * ```ts
 * if (signal.aborted) throw abortedError(signal)
 * ```
 */
export function abortedError(signal: AbortSignal): MoodlensError {
  return new MoodlensError('ERR_ABORTED', 'Loading the emotion model was aborted', {
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
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal)
}
