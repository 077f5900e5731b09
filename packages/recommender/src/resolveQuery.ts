import { catalogInternals, type Catalog, type CatalogTrack } from './createCatalog.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { moodTarget, type MoodTarget } from './moodTarget.ts'
import { RecommenderError } from './RecommenderError.ts'
import type { TasteProfile } from './TasteProfile.ts'
import { toEmotionProbabilities, type MoodInput } from './toEmotionProbabilities.ts'

/**
 * What the ranking functions accept as a target: a mood (an emotion's name or probabilities), made
 * into a target with {@link moodTarget}'s defaults, or a {@link MoodTarget}.
 *
 * @example
 * ```ts
 * import type { RecommendTarget } from '@moodlens/recommender'
 *
 * const targets: RecommendTarget[] = ['happy', { sad: 0.7, neutral: 0.3 }, { features: { energy: 1 } }]
 * ```
 */
export type RecommendTarget = MoodInput | MoodTarget

/**
 * A target in a catalogue's vector space: `vector` has `dPadded` entries (zero past `d`) and unit
 * length, or is all zero when the target has no direction (`zero`).
 */
export interface Query {
  readonly vector: Float64Array
  readonly zero: boolean
  readonly target: MoodTarget
}

/** Makes a {@link MoodTarget} of whatever the caller passed, validating a hand-written one. */
export function toMoodTarget(target: RecommendTarget, option = 'target'): MoodTarget {
  if (typeof target === 'object' && target !== null && 'features' in target) {
    const { features, mood } = target as MoodTarget
    if (typeof features !== 'object' || features === null || Array.isArray(features)) {
      throw new InvalidOptionError(`${option}.features`, 'a record of feature targets', features)
    }
    for (const [feature, value] of Object.entries(features)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidOptionError(`${option}.features.${feature}`, 'a finite number', value)
      }
    }
    if (mood !== undefined) toEmotionProbabilities(mood)
    return target as MoodTarget
  }
  return moodTarget(target as MoodInput)
}

/**
 * Places a target in the catalogue's vector space: each feature target (standard deviations from
 * the mean) goes through the same normalisation, centring and weighting as the tracks, the vector
 * is scaled to unit length, the taste profile's offset for the target's mood is added, and the
 * sum is scaled to unit length again.
 *
 * @throws {@link RecommenderError} `ERR_TARGET_MISMATCH` when the target names features but none
 * of the catalogue's.
 */
export function resolveQuery<TTrack extends CatalogTrack>(
  catalog: Catalog<TTrack>,
  target: MoodTarget,
  profile: TasteProfile | undefined,
): Query {
  const { d, dPadded } = catalogInternals(catalog)
  const vector = new Float64Array(dPadded)
  const wanted = target.features
  let matched = 0
  for (let j = 0; j < d; j++) {
    const feature = catalog.features[j]!
    const value = Object.hasOwn(wanted, feature.name) ? wanted[feature.name]! : 0
    if (Object.hasOwn(wanted, feature.name)) matched++
    vector[j] =
      feature.scale > 0
        ? // (mean - center) first: it is exactly 0 when centred, so small targets lose no precision.
          (feature.weight * (value * feature.std + (feature.mean - feature.center))) / feature.scale
        : 0
  }
  const named = Object.keys(wanted)
  if (matched === 0 && named.length > 0) {
    throw new RecommenderError(
      'ERR_TARGET_MISMATCH',
      `The target's features (${named.join(', ')}) include none of the catalogue's (${catalog.features
        .map((feature) => feature.name)
        .join(', ')})`,
    )
  }
  scaleToUnit(vector)
  if (profile !== undefined && target.mood !== undefined) {
    const offset = profile.offset(target.mood)
    for (let j = 0; j < d; j++) {
      const name = catalog.features[j]!.name
      if (Object.hasOwn(offset, name)) vector[j]! += offset[name]!
    }
    scaleToUnit(vector)
  }
  let zero = true
  for (let j = 0; j < d; j++) if (vector[j] !== 0) zero = false
  return { vector, zero, target }
}

function scaleToUnit(vector: Float64Array): void {
  let sum = 0
  for (const value of vector) sum += value * value
  if (sum === 0) return
  const inverse = 1 / Math.sqrt(sum)
  for (let j = 0; j < vector.length; j++) vector[j]! *= inverse
}
