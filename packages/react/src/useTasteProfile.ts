'use client'

import {
  createTasteProfile,
  TasteProfile,
  type Catalog,
  type CatalogTrack,
  type Feedback,
  type TasteProfileOptions,
} from '@moodlens/recommender'
import { useCallback, useEffect, useState } from 'react'
import { toError } from './toError.ts'

/**
 * Options of {@link useTasteProfile}.
 *
 * @example
 * ```ts
 * import type { UseTasteProfileOptions } from '@moodlens/react'
 *
 * const options: UseTasteProfileOptions = { storageKey: 'moodlens:taste' }
 * ```
 */
export interface UseTasteProfileOptions {
  /** Persist the profile in `localStorage` under this key; without it the profile lives in memory. */
  readonly storageKey?: string
  /** Options of a new profile (ignored when one is restored from storage). */
  readonly profileOptions?: TasteProfileOptions
}

/**
 * What {@link useTasteProfile} returns.
 *
 * @example
 * ```ts
 * import type { UseTasteProfileResult } from '@moodlens/react'
 *
 * const count = (taste: UseTasteProfileResult) => taste.profile.feedbackCount
 * ```
 */
export interface UseTasteProfileResult {
  /** The current profile: a new object after every change, so it can be a memo dependency. */
  readonly profile: TasteProfile
  /** Learns from feedback on tracks of `catalog`; returns the error instead of throwing. */
  learn<TTrack extends CatalogTrack>(
    catalog: Catalog<TTrack>,
    feedback: Feedback | readonly Feedback[],
  ): Error | null
  /** Forgets everything learned (and the stored copy). */
  reset(): void
  /** Why the stored profile could not be read or written, if it could not; `null` otherwise. */
  readonly error: Error | null
}

function readStored(storageKey: string | undefined, options: TasteProfileOptions | undefined) {
  const fresh = () => createTasteProfile(options)
  if (storageKey === undefined || typeof localStorage === 'undefined') {
    return { profile: fresh(), error: null }
  }
  try {
    const stored = localStorage.getItem(storageKey)
    return {
      profile: stored === null ? fresh() : TasteProfile.fromJSON(JSON.parse(stored)),
      error: null,
    }
  } catch (error) {
    // A corrupt or foreign value: start afresh (it is replaced on the next change) and say why.
    return { profile: fresh(), error: toError(error) }
  }
}

/**
 * A listener's taste profile in React: feed it likes, skips and dislikes, pass `profile` to
 * {@link useRecommendations}. With `storageKey` it survives reloads in `localStorage`. On the server
 * it renders with an empty profile and touches no browser API.
 *
 * @example
 * ```tsx
 * import { useRecommendations, useTasteProfile } from '@moodlens/react'
 *
 * function Playlist({ catalog, mood }: { catalog: Catalog<Song>; mood: Emotion }) {
 *   const taste = useTasteProfile({ storageKey: 'moodlens:taste' })
 *   const { recommendations } = useRecommendations({ catalog, mood, profile: taste.profile })
 *   return recommendations.map(({ id, track }) => (
 *     <button key={id} onClick={() => taste.learn(catalog, { trackId: id, signal: 'like', mood })}>
 *       Like {track.track_name}
 *     </button>
 *   ))
 * }
 * ```
 */
export function useTasteProfile(options: UseTasteProfileOptions = {}): UseTasteProfileResult {
  const { storageKey, profileOptions } = options
  const [state, setState] = useState(() => readStored(storageKey, profileOptions))
  const [persisted, setPersisted] = useState(false)

  // Another tab changed the stored profile: follow it.
  useEffect(() => {
    if (storageKey === undefined || typeof window === 'undefined') return
    const onStorage = (event: StorageEvent) => {
      if (event.key === storageKey) setState(readStored(storageKey, profileOptions))
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [storageKey, profileOptions])

  useEffect(() => {
    if (!persisted || storageKey === undefined || typeof localStorage === 'undefined') return
    try {
      if (state.profile.feedbackCount === 0) localStorage.removeItem(storageKey)
      else localStorage.setItem(storageKey, JSON.stringify(state.profile))
    } catch (error) {
      // Storage full or blocked: keep the profile in memory and report it.
      setState((current) => ({
        profile: current.profile,
        error: toError(error),
      }))
    }
  }, [persisted, state.profile, storageKey])

  const learn = useCallback(
    <TTrack extends CatalogTrack>(
      catalog: Catalog<TTrack>,
      feedback: Feedback | readonly Feedback[],
    ): Error | null => {
      // Learn on a copy, so that the profile the last render saw never changes under it.
      const next = TasteProfile.fromJSON(state.profile.toJSON())
      try {
        next.learn(catalog, feedback)
      } catch (error) {
        return toError(error)
      }
      setState({ profile: next, error: null })
      setPersisted(true)
      return null
    },
    [state.profile],
  )

  const reset = useCallback(() => {
    setState({ profile: createTasteProfile(state.profile.options), error: null })
    setPersisted(true)
  }, [state.profile])

  return { profile: state.profile, learn, reset, error: state.error }
}
