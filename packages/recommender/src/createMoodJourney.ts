import { catalogInternals, type Catalog, type CatalogTrack } from './createCatalog.ts'
import { dotRow } from './dotRow.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { DEFAULT_MOOD_PROFILE, validateMoodProfile, type MoodProfile } from './moodProfile.ts'
import { blendMoods, blendTargets, type MoodTarget } from './moodTarget.ts'
import {
  prepareRanking,
  topRows,
  toRecommendations,
  type RankingOptions,
  type Recommendation,
} from './rankCatalog.ts'
import { resolveQuery } from './resolveQuery.ts'
import { toEmotionProbabilities, type MoodInput } from './toEmotionProbabilities.ts'

/**
 * Options of {@link createMoodJourney}.
 *
 * @example
 * ```ts
 * import type { MoodJourneyOptions } from '@moodlens/recommender'
 *
 * const options: MoodJourneyOptions<{ id: string }> = { from: 'sad', to: 'happy', length: 12 }
 * ```
 */
export interface MoodJourneyOptions<TTrack> extends RankingOptions<TTrack> {
  /** The listener's mood now: the first track matches it. */
  readonly from: MoodInput
  /** The goal mood: the last track matches it. */
  readonly to: MoodInput
  /** Number of tracks, at least 2. */
  readonly length: number
  /**
   * How much each track resembles the previous one, from 0 (targets only) to below 1: each step
   * ranks by `(1 - smoothness) * target + smoothness * previous track`. Default 0.3.
   */
  readonly smoothness?: number
  /** Feature targets per emotion. Default {@link DEFAULT_MOOD_PROFILE}. */
  readonly moodProfile?: MoodProfile
}

/**
 * One track of a journey: a {@link Recommendation} (its `score` is the cosine to this step's
 * target) with the step's place on the way and its target.
 *
 * @example
 * ```ts
 * import type { MoodJourneyStep } from '@moodlens/recommender'
 *
 * const label = (step: MoodJourneyStep<{ id: string }>) => `${Math.round(step.progress * 100)}%`
 * ```
 */
export interface MoodJourneyStep<TTrack> extends Recommendation<TTrack> {
  /** From 0 (the `from` mood) to 1 (the `to` mood). */
  readonly progress: number
  readonly target: MoodTarget
}

/**
 * The default `smoothness` of {@link createMoodJourney}.
 *
 * @example
 * ```ts
 * import { DEFAULT_JOURNEY_SMOOTHNESS } from '@moodlens/recommender'
 *
 * DEFAULT_JOURNEY_SMOOTHNESS // 0.3
 * ```
 */
export const DEFAULT_JOURNEY_SMOOTHNESS = 0.3

/**
 * A playlist for the iso principle of music therapy: it starts with music matching the
 * listener's current mood and moves step by step to music matching the goal mood. Step `i` of
 * `length` aims at the mood blended `i / (length - 1)` of the way from `from` to `to`, pulled
 * toward the previous track by `smoothness` so that neighbours sound alike. No track repeats; the
 * list is shorter than `length` only if filters leave too few tracks. A taste `profile` applies
 * at each step for that step's blend of moods.
 *
 * Cosine similarity ranks by direction only: between two nearly opposite moods (sad and happy)
 * the blended target points mostly where they agree (higher arousal), so the music changes
 * fastest mid-way. A higher `smoothness` spreads the change over more steps, at some cost in fit
 * (see `docs/recommender-evaluation.md`).
 *
 * @throws {@link RecommenderError} for a bad mood; {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { createMoodJourney } from '@moodlens/recommender'
 *
 * const playlist = createMoodJourney(catalog, { from: 'sad', to: 'happy', length: 10 })
 * playlist.map((step) => step.track.id)
 * ```
 */
export function createMoodJourney<TTrack extends CatalogTrack>(
  catalog: Catalog<TTrack>,
  options: MoodJourneyOptions<TTrack>,
): MoodJourneyStep<TTrack>[] {
  const internals = catalogInternals(catalog)
  const prepared = prepareRanking(catalog, options)
  const { length, smoothness = DEFAULT_JOURNEY_SMOOTHNESS } = options
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 2) {
    throw new InvalidOptionError('length', 'an integer >= 2', length)
  }
  if (typeof smoothness !== 'number' || !(smoothness >= 0 && smoothness < 1)) {
    throw new InvalidOptionError('smoothness', 'a number in [0, 1)', smoothness)
  }
  const moodProfile =
    options.moodProfile === undefined
      ? DEFAULT_MOOD_PROFILE
      : validateMoodProfile(options.moodProfile, 'moodProfile')
  const from = toEmotionProbabilities(options.from)
  const to = toEmotionProbabilities(options.to)
  const { d, dPadded, store } = internals
  const used = new Set<number>()
  const accept = prepared.accept
  const fresh = (row: number): boolean => !used.has(row) && (accept === undefined || accept(row))
  const steps: MoodJourneyStep<TTrack>[] = []
  let previous = -1
  for (let step = 0; step < length; step++) {
    const progress = step / (length - 1)
    const blend = blendMoods(from, to, progress)
    const target: MoodTarget = Object.freeze({
      features: blendTargets(moodProfile, blend),
      mood: blend,
      blend,
    })
    const aim = resolveQuery(catalog, target, prepared.profile)
    let query = aim
    if (previous >= 0 && smoothness > 0) {
      const vector = new Float64Array(dPadded)
      let sum = 0
      for (let j = 0; j < d; j++) {
        vector[j] = (1 - smoothness) * aim.vector[j]! + smoothness * store.data[previous * d + j]!
        sum += vector[j]! * vector[j]!
      }
      const inverse = sum > 0 ? 1 / Math.sqrt(sum) : 0
      for (let j = 0; j < d; j++) vector[j]! *= inverse
      query = { vector, zero: sum === 0, target }
    }
    const heap = topRows(internals, catalog.size, query, 1, fresh)
    if (heap.size === 0) break
    const [pick] = toRecommendations(catalog, internals, aim, heap, 1, undefined, prepared.explain)
    const row = pick!.index
    // Report the fit to this step's target, not to the blend with the previous track.
    const score = aim.zero ? 0 : Math.max(-1, Math.min(1, dotRow(store.data, row, d, aim.vector)))
    steps.push({ ...pick!, score, progress, target })
    used.add(row)
    previous = row
  }
  return steps
}
