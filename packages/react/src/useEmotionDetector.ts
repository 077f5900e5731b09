'use client'

import { useCallback, useContext, useEffect, useSyncExternalStore } from 'react'
import {
  detectorKey,
  LOADING_STATE,
  type DetectorOptions,
  type DetectorState,
} from './createDetectorRegistry.ts'
import { defaultRegistry, MoodlensContext } from './MoodlensProvider.tsx'

const serverState = (): DetectorState => LOADING_STATE

/**
 * Loads the face and emotion models once and shares the detector: every component that asks with
 * equal options (compared by value, see below) under the same {@link MoodlensProvider}, or
 * anywhere on the page without one, gets the same detector, and it is disposed (its tensors freed)
 * shortly after the last of them unmounts. A load nobody waits for any more is aborted. Safe under
 * StrictMode: its mount, unmount and mount again load once and never dispose a detector in use.
 *
 * Options identity: strings, numbers, booleans, `URL`s (by `href`), arrays and plain objects are
 * compared by value, so an inline `{ backend: 'wasm' }` is fine; other objects (an IO handler)
 * and functions by identity. New values load a new detector and release the old one.
 *
 * On the server it renders `loading` and loads nothing.
 *
 * @example
 * ```tsx
 * 'use client'
 * import { useEmotionDetector } from '@moodlens/react/emotion'
 *
 * export function ModelStatus() {
 *   const { status, progress, error } = useEmotionDetector({ backend: 'webgl' })
 *   if (status === 'error') return <p role="alert">{error?.message}</p>
 *   if (status === 'loading') return <progress max={1} value={progress} />
 *   return <p>Ready</p>
 * }
 * ```
 */
export function useEmotionDetector(options: DetectorOptions = {}): DetectorState {
  const registry = useContext(MoodlensContext) ?? defaultRegistry()
  const key = detectorKey(options)
  const subscribe = useCallback(
    (listener: () => void) => registry.subscribe(key, listener),
    [registry, key],
  )
  const getState = useCallback(() => registry.getState(key), [registry, key])
  const state = useSyncExternalStore(subscribe, getState, serverState)

  // `key` stands for the options' values: an equal options object keeps the same detector.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => registry.acquire(key, options), [registry, key])

  return state
}
