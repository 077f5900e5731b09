import {
  EMOTION_COORDINATES,
  validateCoordinates,
  type EmotionCoordinates,
} from './emotionCoordinates.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'

/**
 * Target values for features, in standard deviations from the catalogue mean: `{ valence: 0.8 }`
 * asks for tracks 0.8 sd happier-sounding than the typical track. Features left out (or 0) mean
 * "typical". Being relative, the same targets work for any catalogue.
 *
 * @example
 * ```ts
 * import type { FeatureTargets } from '@moodlens/recommender'
 *
 * const workout: FeatureTargets = { energy: 1.5, tempo: 1, acousticness: -1 }
 * ```
 */
export type FeatureTargets = Readonly<Record<string, number>>

/**
 * The feature targets of each of the seven emotions. {@link moodTarget} blends them with the
 * detected probabilities.
 *
 * @example
 * ```ts
 * import type { MoodProfile } from '@moodlens/recommender'
 *
 * const profile: MoodProfile = {
 *   angry: { energy: 1 }, disgust: { valence: -0.5 }, fear: { acousticness: 1 },
 *   happy: { valence: 1 }, sad: { valence: -1 }, surprise: { energy: 0.5 }, neutral: {},
 * }
 * ```
 */
export type MoodProfile = Readonly<Record<Emotion, FeatureTargets>>

/**
 * How much one feature's target moves per unit of valence, arousal and dominance (omitted: 0).
 *
 * @example
 * ```ts
 * import type { FeatureMapping } from '@moodlens/recommender'
 *
 * const mapping: FeatureMapping = { valence: { valence: 1 }, energy: { arousal: 1 } }
 * ```
 */
export type FeatureMapping = Readonly<
  Record<string, Readonly<{ valence?: number; arousal?: number; dominance?: number }>>
>

/**
 * The default mapping from circumplex coordinates to Spotify-style feature targets (in standard
 * deviations per unit of the axis). Valence drives the valence feature, danceability and mode;
 * arousal drives energy, loudness and tempo, and pushes acousticness down. Each direction is
 * documented in the music-emotion literature or measured in the shared catalogue; the magnitudes
 * are moodlens's choice, checked by the offline evaluation. Sources and table:
 * `docs/mood-profile.md`. Dominance is kept in {@link EMOTION_COORDINATES} for custom mappings;
 * this one does not use it.
 *
 * @example
 * ```ts
 * import { DEFAULT_FEATURE_MAPPING } from '@moodlens/recommender'
 *
 * DEFAULT_FEATURE_MAPPING.energy // { arousal: 1 }
 * ```
 */
export const DEFAULT_FEATURE_MAPPING: FeatureMapping = /* @__PURE__ */ Object.freeze({
  valence: /* @__PURE__ */ Object.freeze({ valence: 1 }),
  energy: /* @__PURE__ */ Object.freeze({ arousal: 1 }),
  loudness: /* @__PURE__ */ Object.freeze({ arousal: 0.6 }),
  tempo: /* @__PURE__ */ Object.freeze({ arousal: 0.4 }),
  acousticness: /* @__PURE__ */ Object.freeze({ arousal: -0.6 }),
  danceability: /* @__PURE__ */ Object.freeze({ valence: 0.4 }),
  mode: /* @__PURE__ */ Object.freeze({ valence: 0.3 }),
})

/**
 * Options of {@link createMoodProfile}.
 *
 * @example
 * ```ts
 * import type { MoodProfileOptions } from '@moodlens/recommender'
 *
 * const options: MoodProfileOptions = { mapping: { valence: { valence: 1 } } }
 * ```
 */
export interface MoodProfileOptions {
  /** Where each emotion sits. Default: {@link EMOTION_COORDINATES}. */
  readonly coordinates?: Readonly<Record<Emotion, EmotionCoordinates>>
  /** How coordinates become feature targets. Default: {@link DEFAULT_FEATURE_MAPPING}. */
  readonly mapping?: FeatureMapping
}

/**
 * Derives a {@link MoodProfile} from circumplex coordinates: each emotion's target for a feature
 * is `valence * mapping.valence + arousal * mapping.arousal + dominance * mapping.dominance`.
 * Being linear, a blend of emotions' targets equals the target of their blended coordinates.
 *
 * @throws {@link InvalidOptionError} for missing or non-finite coordinates or coefficients.
 *
 * @example
 * ```ts
 * import { createMoodProfile } from '@moodlens/recommender'
 *
 * // Calmer music for every mood: arousal lowers energy twice as much as the default.
 * const calm = createMoodProfile({ mapping: { valence: { valence: 1 }, energy: { arousal: 2 } } })
 * calm.happy // { valence: 0.81, energy: 1.02 }
 * ```
 */
export function createMoodProfile(options: MoodProfileOptions = {}): MoodProfile {
  const coordinates = validateCoordinates(
    options.coordinates === undefined ? EMOTION_COORDINATES : options.coordinates,
  )
  const mapping = options.mapping === undefined ? DEFAULT_FEATURE_MAPPING : options.mapping
  if (typeof mapping !== 'object' || mapping === null) {
    throw new InvalidOptionError(
      'mapping',
      'a record of { valence?, arousal?, dominance? }',
      mapping,
    )
  }
  const coefficients = Object.entries(mapping).map(([feature, row]) => {
    if (typeof row !== 'object' || row === null) {
      throw new InvalidOptionError(`mapping.${feature}`, '{ valence?, arousal?, dominance? }', row)
    }
    const axis = (name: 'valence' | 'arousal' | 'dominance'): number => {
      const value = row[name] === undefined ? 0 : row[name]
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidOptionError(`mapping.${feature}.${name}`, 'a finite number', value)
      }
      return value
    }
    return {
      feature,
      valence: axis('valence'),
      arousal: axis('arousal'),
      dominance: axis('dominance'),
    }
  })
  const profile = {} as Record<Emotion, FeatureTargets>
  for (const emotion of EMOTIONS) {
    const point = coordinates[emotion]
    // Object.fromEntries: a feature named "__proto__" stays an ordinary own property.
    const targets = coefficients.map((c) => [
      c.feature,
      point.valence * c.valence + point.arousal * c.arousal + point.dominance * c.dominance,
    ])
    profile[emotion] = Object.freeze(Object.fromEntries(targets))
  }
  return Object.freeze(profile)
}

/**
 * The profile {@link moodTarget} uses by default: {@link createMoodProfile} with the published
 * {@link EMOTION_COORDINATES} and {@link DEFAULT_FEATURE_MAPPING}.
 *
 * @example
 * ```ts
 * import { DEFAULT_MOOD_PROFILE } from '@moodlens/recommender'
 *
 * DEFAULT_MOOD_PROFILE.sad.valence // -0.63
 * ```
 */
export const DEFAULT_MOOD_PROFILE: MoodProfile = /* @__PURE__ */ createMoodProfile()

/**
 * Checks that a mood profile has finite feature targets for every emotion.
 */
export function validateMoodProfile(profile: unknown, option: string): MoodProfile {
  if (typeof profile !== 'object' || profile === null) {
    throw new InvalidOptionError(option, 'a mood profile (feature targets per emotion)', profile)
  }
  for (const emotion of EMOTIONS) {
    const targets = (profile as Record<string, unknown>)[emotion]
    if (typeof targets !== 'object' || targets === null) {
      throw new InvalidOptionError(`${option}.${emotion}`, 'a record of feature targets', targets)
    }
    for (const [feature, value] of Object.entries(targets)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidOptionError(`${option}.${emotion}.${feature}`, 'a finite number', value)
      }
    }
  }
  return profile as MoodProfile
}
