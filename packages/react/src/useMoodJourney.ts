'use client'

import {
  createMoodJourney,
  type Catalog,
  type CatalogTrack,
  type MoodInput,
  type MoodJourneyStep,
  type TasteProfile,
} from '@moodlens/recommender'
import { useMemo } from 'react'
import { toError } from './toError.ts'
import { moodKey } from './moodKey.ts'
import { DEFAULT_MOOD_RESOLUTION } from './useRecommendations.ts'

/**
 * Options of {@link useMoodJourney}.
 *
 * @typeParam TTrack - The catalogue's track type.
 *
 * @example
 * ```ts
 * import type { UseMoodJourneyOptions } from '@moodlens/react'
 *
 * const options: Omit<UseMoodJourneyOptions<{ id: string }>, 'catalog'> = {
 *   from: 'sad',
 *   to: 'happy',
 *   length: 8,
 * }
 * ```
 */
export interface UseMoodJourneyOptions<TTrack extends CatalogTrack> {
  /** The catalogue, from `createCatalog`. Keep its identity stable. */
  readonly catalog: Catalog<TTrack>
  /** The listener's mood now. */
  readonly from: MoodInput
  /** The goal mood. */
  readonly to: MoodInput
  /** Number of tracks, at least 2. */
  readonly length: number
  /** How much each track resembles the previous one, in [0, 1). */
  readonly smoothness?: number
  /** A learned taste, e.g. from {@link useTasteProfile}. */
  readonly profile?: TasteProfile
  /** Default {@link DEFAULT_MOOD_RESOLUTION}. */
  readonly resolution?: number
}

/**
 * What {@link useMoodJourney} returns: the playlist's steps, or the typed error bad input caused.
 *
 * @example
 * ```ts
 * import type { UseMoodJourneyResult } from '@moodlens/react'
 *
 * const empty: UseMoodJourneyResult<{ id: string }> = { steps: [], error: null }
 * ```
 */
export interface UseMoodJourneyResult<TTrack> {
  readonly steps: readonly MoodJourneyStep<TTrack>[]
  readonly error: Error | null
}

/**
 * A playlist that starts where the listener is and moves step by step to a goal mood (the iso
 * principle), recomputed only when the moods really change or the options do.
 *
 * @example
 * ```tsx
 * import { useMoodJourney } from '@moodlens/react'
 *
 * function Journey({ catalog }: { catalog: Catalog<Song> }) {
 *   const { steps } = useMoodJourney({ catalog, from: 'sad', to: 'happy', length: 8 })
 *   return (
 *     <ol>
 *       {steps.map((step) => (
 *         <li key={step.id}>{step.track.track_name}</li>
 *       ))}
 *     </ol>
 *   )
 * }
 * ```
 */
export function useMoodJourney<TTrack extends CatalogTrack>(
  options: UseMoodJourneyOptions<TTrack>,
): UseMoodJourneyResult<TTrack> {
  const { catalog, from, to, length, smoothness, profile } = options
  const resolution = options.resolution ?? DEFAULT_MOOD_RESOLUTION
  const fromKey = moodKey(from, resolution)
  const toKey = moodKey(to, resolution)
  return useMemo(() => {
    try {
      const steps = createMoodJourney(catalog, {
        from,
        to,
        length,
        ...(smoothness === undefined ? {} : { smoothness }),
        ...(profile === undefined ? {} : { profile }),
      })
      return { steps, error: null }
    } catch (error) {
      return { steps: [], error: toError(error) }
    }
    // `fromKey` and `toKey` stand for `from` and `to`: equal moods in new objects keep the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalog, fromKey, toKey, length, smoothness, profile])
}
