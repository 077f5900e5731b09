import {
  EMOTION_COORDINATES,
  validateCoordinates,
  type EmotionCoordinates,
} from './emotionCoordinates.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import { toEmotionProbabilities, type MoodInput } from './toEmotionProbabilities.ts'

/**
 * A point in Russell's circumplex: valence (pleasure) and arousal, each from -1 to 1.
 *
 * @example
 * ```ts
 * import type { ValenceArousal } from '@moodlens/recommender'
 *
 * const point: ValenceArousal = { valence: 0.81, arousal: 0.51 }
 * ```
 */
export interface ValenceArousal {
  readonly valence: number
  readonly arousal: number
}

/**
 * The probability-weighted mean of the emotions' circumplex {@link EMOTION_COORDINATES}: where a
 * mixed facial expression sits in valence-arousal space.
 *
 * The input is validated by {@link toEmotionProbabilities}: probabilities must be finite, >= 0
 * and sum to 1 within 0.02 (they are then rescaled to exactly 1); anything else is a typed error
 * rather than being silently normalised.
 *
 * @param coordinates - Replaces the published table, for example with ratings of your own.
 * @throws {@link RecommenderError} `ERR_UNKNOWN_EMOTION` or `ERR_INVALID_DISTRIBUTION`.
 * @throws {@link InvalidOptionError} for an incomplete `coordinates` table.
 *
 * @example
 * ```ts
 * import { valenceArousal } from '@moodlens/recommender'
 *
 * valenceArousal('happy') // { valence: 0.81, arousal: 0.51 }
 * valenceArousal({ happy: 0.5, sad: 0.5 }) // { valence: 0.09, arousal: 0.12 }
 * ```
 */
export function valenceArousal(
  probabilities: MoodInput,
  coordinates: Readonly<Record<Emotion, EmotionCoordinates>> = EMOTION_COORDINATES,
): ValenceArousal {
  const point = moodCoordinates(probabilities, coordinates)
  return { valence: point.valence, arousal: point.arousal }
}

/**
 * Like {@link valenceArousal}, with the dominance axis as well.
 *
 * @example
 * ```ts
 * import { moodCoordinates } from '@moodlens/recommender'
 *
 * moodCoordinates('fear').dominance // -0.43
 * ```
 */
export function moodCoordinates(
  probabilities: MoodInput,
  coordinates: Readonly<Record<Emotion, EmotionCoordinates>> = EMOTION_COORDINATES,
): EmotionCoordinates {
  const p = toEmotionProbabilities(probabilities)
  if (coordinates !== EMOTION_COORDINATES) validateCoordinates(coordinates)
  let valence = 0
  let arousal = 0
  let dominance = 0
  for (const emotion of EMOTIONS) {
    const weight = p[emotion]
    if (weight === 0) continue
    const point = coordinates[emotion]
    valence += weight * point.valence
    arousal += weight * point.arousal
    dominance += weight * point.dominance
  }
  return { valence, arousal, dominance }
}
