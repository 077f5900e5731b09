'use client'

import {
  moodTarget,
  recommend,
  type Catalog,
  type CatalogTrack,
  type DiversityOptions,
  type MoodInput,
  type MoodStrategy,
  type Recommendation,
  type TasteProfile,
  type TrackFilter,
} from '@moodlens/recommender'
import { useMemo } from 'react'
import { toError } from './toError.ts'
import { moodKey } from './moodKey.ts'

/**
 * The default of {@link UseRecommendationsOptions.resolution}: the mood must move by at least this
 * much in some emotion's probability before the list is recomputed.
 *
 * @example
 * ```ts
 * import { DEFAULT_MOOD_RESOLUTION } from '@moodlens/react'
 *
 * DEFAULT_MOOD_RESOLUTION // 0.05
 * ```
 */
export const DEFAULT_MOOD_RESOLUTION = 0.05

/**
 * Options of {@link useRecommendations}.
 *
 * @typeParam TTrack - The catalogue's track type.
 *
 * @example
 * ```ts
 * import type { UseRecommendationsOptions } from '@moodlens/react'
 *
 * const options: Omit<UseRecommendationsOptions<{ id: string }>, 'catalog'> = {
 *   mood: 'sad',
 *   strategy: 'uplift',
 *   k: 10,
 * }
 * ```
 */
export interface UseRecommendationsOptions<TTrack extends CatalogTrack> {
  /** The catalogue to rank, from `createCatalog`. Keep its identity stable (create it once). */
  readonly catalog: Catalog<TTrack>
  /** An emotion name or a probability distribution, typically the tracker's smoothed mood. */
  readonly mood: MoodInput
  /** `'match'` (default) plays music congruent with the mood; `'uplift'` moves toward `goal`. */
  readonly strategy?: MoodStrategy
  /** With `'uplift'`: the mood to move toward. */
  readonly goal?: MoodInput
  /** A learned taste, e.g. from {@link useTasteProfile}. */
  readonly profile?: TasteProfile
  /** How many tracks. Default 20. */
  readonly k?: number
  /** MMR diversity: `{ lambda }` from 0 (most diverse) to 1 (plain top-k). */
  readonly diversity?: DiversityOptions
  /** Hard filters: a predicate or per-feature `{ min, max }`. Keep its identity stable. */
  readonly filter?: TrackFilter<TTrack>
  /** Track ids to leave out, e.g. the recently played. */
  readonly exclude?: readonly string[]
  /** Feature contributions per track, for "why this song". */
  readonly explain?: boolean
  /** Default {@link DEFAULT_MOOD_RESOLUTION}. */
  readonly resolution?: number
}

/**
 * What {@link useRecommendations} returns: the ranked tracks, or the typed error that bad input
 * caused (then `recommendations` is empty).
 *
 * @example
 * ```ts
 * import type { UseRecommendationsResult } from '@moodlens/react'
 *
 * const empty: UseRecommendationsResult<{ id: string }> = { recommendations: [], error: null }
 * ```
 */
export interface UseRecommendationsResult<TTrack> {
  readonly recommendations: readonly Recommendation<TTrack>[]
  readonly error: Error | null
}

/**
 * Ranks a catalogue for the current mood. The ranking is recomputed only when the mood really
 * changes (by at least `resolution`), when the catalogue, taste profile or other options change;
 * a mood that jitters from frame to frame does not reshuffle the playlist.
 *
 * @example
 * ```tsx
 * import { useRecommendations } from '@moodlens/react'
 *
 * function Playlist({ catalog, mood }: { catalog: Catalog<Song>; mood: MoodInput }) {
 *   const { recommendations, error } = useRecommendations({ catalog, mood, k: 10 })
 *   if (error) return <p role="alert">{error.message}</p>
 *   return (
 *     <ol>
 *       {recommendations.map(({ id, track }) => (
 *         <li key={id}>{track.track_name}</li>
 *       ))}
 *     </ol>
 *   )
 * }
 * ```
 */
export function useRecommendations<TTrack extends CatalogTrack>(
  options: UseRecommendationsOptions<TTrack>,
): UseRecommendationsResult<TTrack> {
  const { catalog, mood, strategy, goal, profile, k, diversity, filter, exclude, explain } = options
  const resolution = options.resolution ?? DEFAULT_MOOD_RESOLUTION
  const key = moodKey(mood, resolution)
  const goalKey = goal === undefined ? '' : moodKey(goal, resolution)
  const excludeKey = exclude?.join('\u0000') ?? ''
  const lambda = diversity?.lambda
  const candidates = diversity?.candidates

  return useMemo(() => {
    try {
      const target = moodTarget(mood, {
        ...(strategy === undefined ? {} : { strategy }),
        ...(goal === undefined ? {} : { goal }),
      })
      const recommendations = recommend(catalog, target, {
        ...(k === undefined ? {} : { k }),
        ...(lambda === undefined
          ? {}
          : { diversity: { lambda, ...(candidates === undefined ? {} : { candidates }) } }),
        ...(filter === undefined ? {} : { filter }),
        ...(exclude === undefined ? {} : { exclude }),
        ...(profile === undefined ? {} : { profile }),
        ...(explain === undefined ? {} : { explain }),
      })
      return { recommendations, error: null }
    } catch (error) {
      return {
        recommendations: [],
        error: toError(error),
      }
    }
    // `key`, `goalKey` and `excludeKey` stand for mood, goal and exclude: a new object with the same
    // content must not recompute the ranking.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalog, key, goalKey, excludeKey, strategy, profile, k, lambda, candidates, filter, explain])
}
