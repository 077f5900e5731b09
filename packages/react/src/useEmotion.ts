'use client'

import {
  createEmotionTracker,
  type EmotionDetector,
  type EmotionTracker,
  type EmotionTrackerOptions,
  type EmotionTrackerSnapshot,
} from '@moodlens/core'
import { useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react'

/**
 * Options of {@link useEmotion}: the detector, and the tracker's options (`maxFps`, `smoothing`,
 * `minStableMs`, …), compared by value.
 *
 * @example
 * ```ts
 * import type { UseEmotionOptions } from '@moodlens/react/emotion'
 *
 * const options: UseEmotionOptions = { detector: null, maxFps: 10, smoothing: { halfLifeMs: 400 } }
 * ```
 */
export interface UseEmotionOptions extends EmotionTrackerOptions {
  /**
   * The detector, typically `useEmotionDetector().detector`; `null` or `undefined` while it loads
   * (tracking starts when it arrives). Anything with the detector's `detect` works.
   */
  readonly detector: Pick<EmotionDetector, 'detect'> | null | undefined
}

interface TrackerSlot {
  readonly key: string
  readonly tracker: EmotionTracker | null
  readonly failed: EmotionTrackerSnapshot | null
}

const noSubscription = (): (() => void) => () => {}

function trackerKey(options: EmotionTrackerOptions): string {
  const { maxFps, smoothing, minStableMs, iouThreshold, maxMissedMs, retryDelayMs } = options
  // JSON writes Infinity as null, which a real maxFps never is.
  const fps = maxFps === Infinity ? 'Infinity' : maxFps
  const halfLife = typeof smoothing === 'object' ? smoothing?.halfLifeMs : smoothing
  return JSON.stringify([
    fps,
    halfLife,
    minStableMs,
    iouThreshold,
    maxMissedMs,
    retryDelayMs,
    options.pauseWhenHidden,
  ])
}

/**
 * The live faces and mood in a `<video>`: the snapshot of an emotion tracker of `@moodlens/core`
 * (`faces` with stable ids, the smoothed `probabilities`, the hysteresis-stable `mood`, `fps`,
 * `status`), read through `useSyncExternalStore`. The tracker is created once (again only when
 * its options change by value), starts when both the video element and the detector are there,
 * pauses by itself while the tab is hidden or the video paused, and stops on unmount.
 *
 * Invalid tracker options do not throw: the snapshot's `status` is `error` with the
 * `InvalidOptionError` in `error`. On the server it renders the idle snapshot.
 *
 * @param videoRef - The `<video>`: `useCamera().videoRef`, or any `RefObject`, read after each
 * render.
 *
 * @example
 * ```tsx
 * 'use client'
 * import { useCamera } from '@moodlens/react'
 * import { useEmotion, useEmotionDetector } from '@moodlens/react/emotion'
 *
 * export function Mood() {
 *   const camera = useCamera({ audio: false })
 *   const { detector } = useEmotionDetector()
 *   const { mood, faces } = useEmotion(camera.videoRef, { detector, minStableMs: 1500 })
 *   return (
 *     <>
 *       <video ref={camera.videoRef} />
 *       <button onClick={() => void camera.start()}>Start</button>
 *       <p>{faces.length} faces, mood: {mood ?? '…'}</p>
 *     </>
 *   )
 * }
 * ```
 */
export function useEmotion(
  videoRef: RefObject<HTMLVideoElement | null>,
  options: UseEmotionOptions,
): EmotionTrackerSnapshot {
  const { detector, ...trackerOptions } = options
  const key = trackerKey(trackerOptions)
  // The tracker holds this stable proxy, so a detector that arrives (or changes) later needs no
  // new tracker.
  const current = useRef(detector)
  const [proxy] = useState<Pick<EmotionDetector, 'detect'>>(() => ({
    detect(input, detectOptions) {
      if (!current.current) return Promise.resolve([])
      return current.current.detect(input, detectOptions)
    },
  }))

  const [slot, setSlot] = useState<TrackerSlot>(() => createSlot(key, proxy, trackerOptions))
  let active = slot
  if (slot.key !== key) {
    // New options by value: replace the tracker during render (React's pattern for state derived
    // from props); the effect below stops the old one.
    active = createSlot(key, proxy, trackerOptions)
    setSlot(active)
  }
  const { tracker, failed } = active

  const snapshot = useSyncExternalStore(
    tracker?.subscribe ?? noSubscription,
    tracker?.getSnapshot ?? (() => failed!),
    tracker?.getSnapshot ?? (() => failed!),
  )

  const started = useRef<{ video: HTMLVideoElement; detector: object } | null>(null)
  // After every render: follow the video element and the detector.
  useEffect(() => {
    current.current = detector
    if (tracker === null) return
    const video = detector ? videoRef.current : null
    const now = started.current
    if (video === (now?.video ?? null) && detector === now?.detector) return
    if (video && detector) {
      tracker.start(video)
      started.current = { video, detector }
    } else if (now !== null) {
      tracker.stop()
      started.current = null
    }
  })
  useEffect(
    () => () => {
      tracker?.stop()
      started.current = null
    },
    [tracker],
  )

  return snapshot
}

function createSlot(
  key: string,
  detector: Pick<EmotionDetector, 'detect'>,
  options: EmotionTrackerOptions,
): TrackerSlot {
  try {
    return { key, tracker: createEmotionTracker(detector, options), failed: null }
  } catch (error) {
    return {
      key,
      tracker: null,
      failed: Object.freeze({
        status: 'error',
        faces: Object.freeze([]),
        mainFace: null,
        mood: null,
        probabilities: null,
        fps: 0,
        error,
        timestamp: 0,
        frameSource: null,
      }),
    }
  }
}
