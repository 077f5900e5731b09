import { EMOTIONS, type Emotion } from './emotions.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'

/**
 * A point in the pleasure-arousal-dominance (PAD) space, each axis from -1 to 1. `valence` is
 * Russell's name for the pleasure axis of his circumplex.
 *
 * @example
 * ```ts
 * import type { EmotionCoordinates } from '@moodlens/recommender'
 *
 * const calm: EmotionCoordinates = { valence: 0.6, arousal: -0.5, dominance: 0.2 }
 * ```
 */
export interface EmotionCoordinates {
  readonly valence: number
  readonly arousal: number
  readonly dominance: number
}

/**
 * Where each emotion sits in the circumplex. The six non-neutral values are the published
 * pleasure, arousal and dominance ratings of Russell & Mehrabian (1977), "Evidence for a
 * three-factor theory of emotions", Journal of Research in Personality 11(3), 273-294, for the
 * terms angry, disgust, fearful, happy, sad and surprised. `neutral` is the origin of the space
 * (a convention: the paper rates no "neutral" term). Russell (1980), "A circumplex model of
 * affect", is the source of the two-dimensional valence-arousal reading used by the default mood
 * profile. See `docs/mood-profile.md` for the table and how it was checked.
 *
 * @example
 * ```ts
 * import { EMOTION_COORDINATES } from '@moodlens/recommender'
 *
 * EMOTION_COORDINATES.sad // { valence: -0.63, arousal: -0.27, dominance: -0.33 }
 * ```
 */
export const EMOTION_COORDINATES: Readonly<Record<Emotion, EmotionCoordinates>> =
  /* @__PURE__ */ Object.freeze({
    angry: /* @__PURE__ */ Object.freeze({ valence: -0.51, arousal: 0.59, dominance: 0.25 }),
    disgust: /* @__PURE__ */ Object.freeze({ valence: -0.6, arousal: 0.35, dominance: 0.11 }),
    fear: /* @__PURE__ */ Object.freeze({ valence: -0.64, arousal: 0.6, dominance: -0.43 }),
    happy: /* @__PURE__ */ Object.freeze({ valence: 0.81, arousal: 0.51, dominance: 0.46 }),
    sad: /* @__PURE__ */ Object.freeze({ valence: -0.63, arousal: -0.27, dominance: -0.33 }),
    surprise: /* @__PURE__ */ Object.freeze({ valence: 0.4, arousal: 0.67, dominance: -0.13 }),
    neutral: /* @__PURE__ */ Object.freeze({ valence: 0, arousal: 0, dominance: 0 }),
  })

/**
 * Checks that a coordinates table has finite valence, arousal and dominance for every emotion.
 */
export function validateCoordinates(
  coordinates: unknown,
): Readonly<Record<Emotion, EmotionCoordinates>> {
  if (typeof coordinates !== 'object' || coordinates === null) {
    throw new InvalidOptionError('coordinates', 'a record of coordinates per emotion', coordinates)
  }
  for (const emotion of EMOTIONS) {
    const point = (coordinates as Record<string, unknown>)[emotion]
    if (typeof point !== 'object' || point === null) {
      throw new InvalidOptionError(
        `coordinates.${emotion}`,
        '{ valence, arousal, dominance }',
        point,
      )
    }
    for (const axis of ['valence', 'arousal', 'dominance'] as const) {
      const value = (point as Record<string, unknown>)[axis]
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidOptionError(`coordinates.${emotion}.${axis}`, 'a finite number', value)
      }
    }
  }
  return coordinates as Readonly<Record<Emotion, EmotionCoordinates>>
}
