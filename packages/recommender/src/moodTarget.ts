import { EMOTIONS, type EmotionProbabilities } from './emotions.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import {
  DEFAULT_MOOD_PROFILE,
  validateMoodProfile,
  type FeatureTargets,
  type MoodProfile,
} from './moodProfile.ts'
import { toEmotionProbabilities, type MoodInput } from './toEmotionProbabilities.ts'

/**
 * How a mood becomes a target:
 *
 * - `'match'`: music congruent with the mood (sad music for a sad face);
 * - `'uplift'`: the iso principle of music therapy: start from the listener's mood and move part
 *   of the way toward a goal mood. {@link createMoodJourney} walks the whole way.
 *
 * @example
 * ```ts
 * import type { MoodStrategy } from '@moodlens/recommender'
 *
 * const strategy: MoodStrategy = 'uplift'
 * ```
 */
export type MoodStrategy = 'match' | 'uplift'

/**
 * Where to aim in feature space. {@link moodTarget} makes one from a mood; you may also write one
 * by hand (`{ features: { energy: 1.5 } }`). Feature values are in standard deviations from the
 * catalogue mean ({@link FeatureTargets}).
 *
 * @example
 * ```ts
 * import type { MoodTarget } from '@moodlens/recommender'
 *
 * const workout: MoodTarget = { features: { energy: 1.5, tempo: 1, valence: 0.5 } }
 * ```
 */
export interface MoodTarget {
  readonly features: FeatureTargets
  /**
   * The listener's mood, when the target came from one: a taste profile's offsets are looked up
   * by it. Without it, `recommend` applies no taste profile.
   */
  readonly mood?: EmotionProbabilities
  /** The mix of emotions the features were built from: the mood for `'match'`, closer to the goal for `'uplift'`. */
  readonly blend?: EmotionProbabilities
}

/**
 * Options of {@link moodTarget}.
 *
 * @example
 * ```ts
 * import type { MoodTargetOptions } from '@moodlens/recommender'
 *
 * const options: MoodTargetOptions = { strategy: 'uplift', goal: 'happy', step: 0.3 }
 * ```
 */
export interface MoodTargetOptions {
  /** Default `'match'`. */
  readonly strategy?: MoodStrategy
  /** The mood `'uplift'` moves toward. Default `'happy'`. */
  readonly goal?: MoodInput
  /** How far `'uplift'` moves toward the goal, from 0 (stay) to 1 (all the way). Default 0.5. */
  readonly step?: number
  /** Feature targets per emotion. Default {@link DEFAULT_MOOD_PROFILE}. */
  readonly moodProfile?: MoodProfile
}

/**
 * The defaults of {@link MoodTargetOptions}.
 *
 * @example
 * ```ts
 * import { DEFAULT_MOOD_TARGET_OPTIONS } from '@moodlens/recommender'
 *
 * DEFAULT_MOOD_TARGET_OPTIONS.step // 0.5
 * ```
 */
export const DEFAULT_MOOD_TARGET_OPTIONS: Readonly<{
  strategy: MoodStrategy
  goal: MoodInput
  step: number
}> = /* @__PURE__ */ Object.freeze({ strategy: 'match', goal: 'happy', step: 0.5 })

/**
 * Turns a detected mood into a {@link MoodTarget}: the probability-weighted blend of the
 * emotions' feature targets in the mood profile. With `strategy: 'uplift'` the emotions are first
 * blended `step` of the way toward `goal`.
 *
 * @throws {@link RecommenderError} `ERR_UNKNOWN_EMOTION` or `ERR_INVALID_DISTRIBUTION` for a bad
 * mood or goal; {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { moodTarget } from '@moodlens/recommender'
 *
 * moodTarget('sad').features.valence // -0.63
 * moodTarget({ sad: 0.5, neutral: 0.5 }).features.valence // -0.315
 * moodTarget('sad', { strategy: 'uplift', step: 0.5 }).features.valence // 0.09
 * ```
 */
export function moodTarget(input: MoodInput, options: MoodTargetOptions = {}): MoodTarget {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options)
  }
  const {
    strategy = DEFAULT_MOOD_TARGET_OPTIONS.strategy,
    step = DEFAULT_MOOD_TARGET_OPTIONS.step,
    goal = DEFAULT_MOOD_TARGET_OPTIONS.goal,
  } = options
  if (strategy !== 'match' && strategy !== 'uplift') {
    throw new InvalidOptionError('strategy', "'match' or 'uplift'", strategy)
  }
  if (typeof step !== 'number' || !(step >= 0 && step <= 1)) {
    throw new InvalidOptionError('step', 'a number from 0 to 1', step)
  }
  const profile =
    options.moodProfile === undefined
      ? DEFAULT_MOOD_PROFILE
      : validateMoodProfile(options.moodProfile, 'moodProfile')
  const mood = toEmotionProbabilities(input)
  let blend = mood
  if (strategy === 'uplift') {
    blend = blendMoods(mood, toEmotionProbabilities(goal), step)
  }
  return Object.freeze({ features: blendTargets(profile, blend), mood, blend })
}

/** `(1 - t) * from + t * to`, emotion by emotion. */
export function blendMoods(
  from: EmotionProbabilities,
  to: EmotionProbabilities,
  t: number,
): EmotionProbabilities {
  const blend = {} as EmotionProbabilities
  for (const emotion of EMOTIONS) blend[emotion] = (1 - t) * from[emotion] + t * to[emotion]
  return Object.freeze(blend)
}

/** The probability-weighted sum of the emotions' feature targets. */
export function blendTargets(profile: MoodProfile, blend: EmotionProbabilities): FeatureTargets {
  // A Map, then Object.fromEntries: a feature named "__proto__" stays an ordinary own property.
  const features = new Map<string, number>()
  for (const emotion of EMOTIONS) {
    const weight = blend[emotion]
    for (const [feature, value] of Object.entries(profile[emotion])) {
      features.set(feature, (features.get(feature) ?? 0) + weight * value)
    }
  }
  return Object.freeze(Object.fromEntries(features))
}
