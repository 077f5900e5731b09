import { EMOTIONS, isEmotion, type Emotion, type EmotionProbabilities } from './emotions.ts'
import { describe } from './InvalidOptionError.ts'
import { RecommenderError } from './RecommenderError.ts'

/**
 * A mood as the recommender accepts it: one emotion's name (certainty), or probabilities over the
 * seven {@link EMOTIONS}. Emotions left out of a record count as 0.
 *
 * @example
 * ```ts
 * import type { MoodInput } from '@moodlens/recommender'
 *
 * const certain: MoodInput = 'sad'
 * const mixed: MoodInput = { sad: 0.6, neutral: 0.4 }
 * ```
 */
export type MoodInput = Emotion | Readonly<Partial<EmotionProbabilities>>

/**
 * How far from 1 the probabilities may sum before {@link toEmotionProbabilities} rejects them. A
 * softmax in float32 is off by about 1e-7; probabilities rounded to two decimals by hand may be off
 * by a few hundredths, which is still accepted. Logits or percentages are not.
 */
const SUM_TOLERANCE = 0.02

/**
 * Validates a mood and returns the full distribution over the seven emotions, rescaled to sum to
 * exactly 1. A name becomes certainty (probability 1).
 *
 * The recommender rejects rather than silently normalises anything that is not already a
 * probability distribution (within 0.02 of summing to 1), so that logits, percentages or a
 * truncated record fail loudly instead of producing plausible-looking recommendations.
 *
 * @throws {@link RecommenderError} `ERR_UNKNOWN_EMOTION` for a name or key that is not an emotion,
 * `ERR_INVALID_DISTRIBUTION` for a negative or non-finite probability or a sum not close to 1.
 *
 * @example
 * ```ts
 * import { toEmotionProbabilities } from '@moodlens/recommender'
 *
 * toEmotionProbabilities('happy').happy // 1
 * toEmotionProbabilities({ happy: 0.5, neutral: 0.49 }).happy // 0.5050…
 * ```
 */
export function toEmotionProbabilities(input: MoodInput): EmotionProbabilities {
  const probabilities: EmotionProbabilities = {
    angry: 0,
    disgust: 0,
    fear: 0,
    happy: 0,
    sad: 0,
    surprise: 0,
    neutral: 0,
  }
  if (typeof input === 'string') {
    if (!isEmotion(input)) {
      throw new RecommenderError(
        'ERR_UNKNOWN_EMOTION',
        `${describe(input)} is not an emotion; expected one of ${EMOTIONS.join(', ')}`,
      )
    }
    probabilities[input] = 1
    return Object.freeze(probabilities)
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RecommenderError(
      'ERR_INVALID_DISTRIBUTION',
      `A mood must be an emotion name or a record of probabilities, got ${describe(input)}`,
    )
  }
  let sum = 0
  for (const [key, value] of Object.entries(input)) {
    if (!isEmotion(key)) {
      throw new RecommenderError(
        'ERR_UNKNOWN_EMOTION',
        `${describe(key)} is not an emotion; expected keys among ${EMOTIONS.join(', ')}`,
      )
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RecommenderError(
        'ERR_INVALID_DISTRIBUTION',
        `The probability of "${key}" must be a finite number >= 0, got ${describe(value)}`,
      )
    }
    probabilities[key] = value
    sum += value
  }
  if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
    throw new RecommenderError(
      'ERR_INVALID_DISTRIBUTION',
      `Emotion probabilities must sum to 1 (within ${SUM_TOLERANCE}), got ${sum}`,
    )
  }
  for (const emotion of EMOTIONS) probabilities[emotion] /= sum
  return Object.freeze(probabilities)
}
