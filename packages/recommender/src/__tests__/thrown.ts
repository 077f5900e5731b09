import { expect } from 'vitest'
import { InvalidOptionError } from '../InvalidOptionError.ts'
import { RecommenderError, type RecommenderErrorCode } from '../RecommenderError.ts'

/** What `run` throws; fails the test if it returns. */
export function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  expect.unreachable('expected an error to be thrown')
}

/** The code of the `RecommenderError` that `run` throws; fails for anything else. */
export function codeOf(run: () => unknown): RecommenderErrorCode {
  const error = thrown(run)
  expect(error).toBeInstanceOf(RecommenderError)
  expect((error as Error).name).toBe('RecommenderError')
  return (error as RecommenderError).code
}

/** The option named by the `InvalidOptionError` that `run` throws; fails for anything else. */
export function optionOf(run: () => unknown): string {
  const error = thrown(run)
  expect(error).toBeInstanceOf(InvalidOptionError)
  expect(error).toBeInstanceOf(TypeError)
  expect((error as InvalidOptionError).code).toBe('ERR_INVALID_OPTION')
  return (error as InvalidOptionError).option
}
