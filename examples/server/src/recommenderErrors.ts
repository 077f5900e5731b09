import { InvalidOptionError, RecommenderError } from '@moodlens/recommender'
import { ApiError } from './ApiError.ts'

/**
 * Runs recommender code, turning its typed errors into API problems: a bad mood is 422
 * `ERR_INVALID_MOOD`, an unknown track 404, an option out of range 400.
 */
export function withRecommenderErrors<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof InvalidOptionError) {
      throw new ApiError(400, 'ERR_VALIDATION', error.message, {
        invalidParams: [
          { name: `body/${error.option.replaceAll('.', '/')}`, reason: error.message },
        ],
      })
    }
    if (error instanceof RecommenderError) {
      if (error.code === 'ERR_UNKNOWN_TRACK')
        throw new ApiError(404, 'ERR_UNKNOWN_TRACK', error.message)
      throw new ApiError(422, 'ERR_INVALID_MOOD', error.message)
    }
    throw error
  }
}
