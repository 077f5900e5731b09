import type { EmotionDetector, FaceEmotion } from './EmotionDetector.ts'
import { InvalidOptionError, type Emotion } from './emotions.ts'
import { createFaceTracks, type FaceTracks, type TrackedFace } from './tracker/createFaceTracks.ts'
import { createFpsMeter } from './tracker/createFpsMeter.ts'
import { createFrameGate } from './tracker/createFrameGate.ts'
import { createMoodHysteresis, type MoodHysteresis } from './tracker/createMoodHysteresis.ts'
import { pickMainFace } from './tracker/pickMainFace.ts'
import {
  scheduleVideoFrame,
  type FrameSource,
  type ScheduledFrame,
} from './tracker/scheduleVideoFrame.ts'

export type { TrackedFace } from './tracker/createFaceTracks.ts'
export type { FrameSource } from './tracker/scheduleVideoFrame.ts'

/**
 * The default of {@link EmotionTrackerOptions.maxFps}: 15 detections per second. Faces and moods
 * change far more slowly than that, and the spare time is left to the page.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, DEFAULT_TRACKER_MAX_FPS } from '@moodlens/core'
 *
 * const tracker = createEmotionTracker(detector, { maxFps: DEFAULT_TRACKER_MAX_FPS / 3 })
 * ```
 */
export const DEFAULT_TRACKER_MAX_FPS = 15

/**
 * The default half-life of the probabilities' moving average, in ms: a detection counts half
 * after 250 ms, whatever the frame rate.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, DEFAULT_SMOOTHING_HALF_LIFE_MS } from '@moodlens/core'
 *
 * const tracker = createEmotionTracker(detector, {
 *   smoothing: { halfLifeMs: 2 * DEFAULT_SMOOTHING_HALF_LIFE_MS },
 * })
 * ```
 */
export const DEFAULT_SMOOTHING_HALF_LIFE_MS = 250

/**
 * The default of {@link EmotionTrackerOptions.minStableMs}: a new emotion must lead for one second
 * before it becomes the `mood`.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, DEFAULT_MIN_STABLE_MS } from '@moodlens/core'
 *
 * const tracker = createEmotionTracker(detector, { minStableMs: 3 * DEFAULT_MIN_STABLE_MS })
 * ```
 */
export const DEFAULT_MIN_STABLE_MS = 1000

/**
 * The default of {@link EmotionTrackerOptions.iouThreshold}: a detection continues a track when
 * their boxes' intersection over union is at least 0.3.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, DEFAULT_IOU_THRESHOLD } from '@moodlens/core'
 *
 * const tracker = createEmotionTracker(detector, { iouThreshold: DEFAULT_IOU_THRESHOLD })
 * ```
 */
export const DEFAULT_IOU_THRESHOLD = 0.3

/**
 * The default of {@link EmotionTrackerOptions.maxMissedMs}: a face not detected for more than one
 * second is dropped; a shorter miss (a blink of the face detector) keeps its id.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, DEFAULT_MAX_MISSED_MS } from '@moodlens/core'
 *
 * const tracker = createEmotionTracker(detector, { maxMissedMs: 2 * DEFAULT_MAX_MISSED_MS })
 * ```
 */
export const DEFAULT_MAX_MISSED_MS = 1000

/**
 * The default of {@link EmotionTrackerOptions.retryDelayMs}: after a failed `detect`, the tracker
 * tries again one second later.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, DEFAULT_RETRY_DELAY_MS } from '@moodlens/core'
 *
 * const tracker = createEmotionTracker(detector, { retryDelayMs: 5 * DEFAULT_RETRY_DELAY_MS })
 * ```
 */
export const DEFAULT_RETRY_DELAY_MS = 1000

/**
 * Options of {@link createEmotionTracker}. Every field is optional; defaults are the `DEFAULT_*`
 * constants. An invalid value throws `InvalidOptionError` (a `TypeError` with `code`
 * `'ERR_INVALID_OPTION'` and the option's name in `option`).
 *
 * @example
 * ```ts
 * import type { EmotionTrackerOptions } from '@moodlens/core'
 *
 * const options: EmotionTrackerOptions = { maxFps: 10, smoothing: { halfLifeMs: 400 }, minStableMs: 2000 }
 * ```
 */
export interface EmotionTrackerOptions {
  /**
   * At most this many detections per second, on average (`Infinity`: as many as the video and the
   * detector allow). Default {@link DEFAULT_TRACKER_MAX_FPS}.
   */
  readonly maxFps?: number | undefined
  /** The probabilities' exponential moving average. */
  readonly smoothing?:
    | {
        /**
         * Time in ms after which a detection's weight has halved; 0 disables smoothing.
         * Default {@link DEFAULT_SMOOTHING_HALF_LIFE_MS}.
         */
        readonly halfLifeMs?: number | undefined
      }
    | undefined
  /**
   * How long in ms a new emotion must lead (in the main face's smoothed probabilities) before it
   * becomes the `mood`. Default {@link DEFAULT_MIN_STABLE_MS}.
   */
  readonly minStableMs?: number | undefined
  /**
   * Minimum intersection over union, above 0 and at most 1, for a detection to continue a tracked
   * face. Default {@link DEFAULT_IOU_THRESHOLD}.
   */
  readonly iouThreshold?: number | undefined
  /** A face not detected for longer than this (ms) is dropped. Default {@link DEFAULT_MAX_MISSED_MS}. */
  readonly maxMissedMs?: number | undefined
  /** Wait in ms after a failed `detect` before the next try. Default {@link DEFAULT_RETRY_DELAY_MS}. */
  readonly retryDelayMs?: number | undefined
  /** Pause while the page is hidden (`document.visibilityState`). Default `true`. */
  readonly pauseWhenHidden?: boolean | undefined
}

/**
 * What a tracker knows at one moment. A new object each time something changes, and the same
 * object until then, as `useSyncExternalStore` requires. Frozen.
 *
 * @example
 * ```ts
 * import type { EmotionTrackerSnapshot } from '@moodlens/core'
 *
 * const caption = (s: EmotionTrackerSnapshot): string =>
 *   s.status === 'running' ? `${s.mood ?? '…'} (${s.faces.length} faces, ${s.fps.toFixed(1)} fps)` : s.status
 * ```
 */
export interface EmotionTrackerSnapshot {
  /**
   * `idle` before `start()` and after `stop()`; `running`; `paused` while the page is hidden or the
   * video is paused or ended; `error` after a failed `detect` (until one succeeds; for good when
   * the detector was disposed).
   */
  readonly status: 'idle' | 'running' | 'paused' | 'error'
  /** The tracked faces, ordered by id (oldest first). Kept after `stop()`; cleared by `start()`. */
  readonly faces: readonly TrackedFace[]
  /** The face whose mood is reported: the largest one, kept while tracked unless clearly outgrown. */
  readonly mainFace: TrackedFace | null
  /** The main face's hysteresis-stable emotion; `null` with no face or before one is stable. */
  readonly mood: Emotion | null
  /** The main face's smoothed probabilities. */
  readonly probabilities: Readonly<Record<Emotion, number>> | null
  /** Detections completed per second, measured over the last few; 0 when not running. */
  readonly fps: number
  /** The last `detect` error while `status` is `'error'`, else `null`. */
  readonly error: unknown
  /** When this snapshot was made, in ms on the `performance.now()` clock (a frame's time for results). */
  readonly timestamp: number
  /** How frames are scheduled: `video-frame` (`requestVideoFrameCallback`) or a fallback. */
  readonly frameSource: FrameSource | null
}

/**
 * A live tracker of the faces and mood in a playing video; create it with
 * {@link createEmotionTracker}. Framework-free: `subscribe` and `getSnapshot` plug straight into
 * React's `useSyncExternalStore`.
 *
 * @example
 * ```ts
 * import { createEmotionTracker, type EmotionTracker } from '@moodlens/core'
 *
 * const tracker: EmotionTracker = createEmotionTracker(detector)
 * tracker.start(video)
 * ```
 */
export interface EmotionTracker {
  /**
   * Starts tracking `video`, or restarts on a new one: the previous session is stopped and the
   * faces, mood and fps are cleared. Throws `InvalidOptionError` (`option: 'video'`) for a value
   * that is not a video element.
   */
  start(video: HTMLVideoElement): void
  /**
   * Stops tracking: cancels the pending frame callback, aborts the `detect` in flight through its
   * signal (its result is ignored) and removes the listeners on the video and the document. The
   * snapshot goes to `idle`, keeping the last faces and mood. Idempotent.
   */
  stop(): void
  /** Calls `listener` after every snapshot change; returns the function that unsubscribes it. */
  subscribe(listener: () => void): () => void
  /** The current snapshot; the same object until something changes. */
  getSnapshot(): EmotionTrackerSnapshot
}

interface Settings {
  readonly maxFps: number
  readonly halfLifeMs: number
  readonly minStableMs: number
  readonly iouThreshold: number
  readonly maxMissedMs: number
  readonly retryDelayMs: number
  readonly pauseWhenHidden: boolean
}

interface Session {
  readonly video: HTMLVideoElement
  frame: ScheduledFrame | null
  source: FrameSource | null
  inFlight: AbortController | null
  /** The video time of the last detected frame, to skip repeats under `requestAnimationFrame`. */
  lastVideoTime: number
  lastError: unknown
  failed: boolean
  /** The detector was disposed: retrying cannot help. */
  fatal: boolean
  readonly removeListeners: () => void
}

const VIDEO_EVENTS = ['play', 'playing', 'pause', 'ended', 'emptied'] as const

/** `HTMLMediaElement.HAVE_CURRENT_DATA`: the current frame can be drawn. */
const HAVE_CURRENT_DATA = 2

const IDLE_SNAPSHOT: EmotionTrackerSnapshot = Object.freeze({
  status: 'idle',
  faces: Object.freeze([]),
  mainFace: null,
  mood: null,
  probabilities: null,
  fps: 0,
  error: null,
  timestamp: 0,
  frameSource: null,
})

/**
 * Tracks the faces and the mood of a playing `<video>` with an {@link EmotionDetector}. Frames come
 * from `requestVideoFrameCallback` (falling back to `requestAnimationFrame`); at most one `detect`
 * is in flight, so frames are skipped while inference is slower than the video, and at most
 * `maxFps` start per second. Faces are followed across frames by IoU matching (stable `id`s),
 * their probabilities smoothed by an exponential moving average whose weight follows the real time
 * between detections, and `mood` changes only after a new emotion has led the main face for
 * `minStableMs`. Tracking pauses while the page is hidden or the video is paused and resumes by
 * itself.
 *
 * A failed `detect` never becomes an unhandled rejection: the snapshot's `status` turns `'error'`
 * with the error in `error`, and the tracker retries after `retryDelayMs` (a camera hiccup or a
 * lost WebGL context must not end tracking for good); the first success returns it to `'running'`.
 * Only an `ERR_DISPOSED` error (the detector was disposed) stops the retries. Synchronous; no I/O.
 *
 * @param detector - Anything with the detector's `detect`, such as a proxy to a Web Worker.
 * @throws `InvalidOptionError` for a missing detector or an invalid option.
 *
 * @example
 * ```ts
 * import { createEmotionDetector, createEmotionTracker } from '@moodlens/core'
 *
 * const detector = await createEmotionDetector()
 * const tracker = createEmotionTracker(detector, { maxFps: 10, minStableMs: 1500 })
 * const unsubscribe = tracker.subscribe(() => {
 *   const { mood, faces, fps } = tracker.getSnapshot()
 *   console.log(mood, faces.length, fps)
 * })
 * tracker.start(document.querySelector('video')!)
 * // later
 * tracker.stop()
 * unsubscribe()
 * ```
 */
export function createEmotionTracker(
  detector: Pick<EmotionDetector, 'detect'>,
  options: EmotionTrackerOptions = {},
): EmotionTracker {
  if (
    typeof detector !== 'object' ||
    detector === null ||
    typeof (detector as { detect?: unknown }).detect !== 'function'
  ) {
    throw new InvalidOptionError('detector', 'an object with a detect() method', detector)
  }
  const settings = resolveSettings(options)
  const listeners = new Set<() => void>()
  const gate = createFrameGate(settings.maxFps)
  const fpsMeter = createFpsMeter()
  const tracks: FaceTracks = createFaceTracks(settings)
  let hysteresis: MoodHysteresis = createMoodHysteresis(settings.minStableMs)
  let snapshot = IDLE_SNAPSHOT
  let session: Session | null = null
  let mainFaceId: number | null = null

  function publish(
    next: Omit<EmotionTrackerSnapshot, 'faces'> & { faces: readonly TrackedFace[] },
  ) {
    snapshot = Object.freeze({ ...next, faces: Object.freeze([...next.faces]) })
    for (const listener of [...listeners]) {
      try {
        listener()
      } catch (error) {
        // One broken listener must neither stop the others nor the tracker; the error still
        // surfaces, as an uncaught exception, the way event listeners' errors do.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  function isHidden(): boolean {
    return (
      settings.pauseWhenHidden &&
      typeof document !== 'undefined' &&
      document.visibilityState === 'hidden'
    )
  }

  function statusOf(s: Session): EmotionTrackerSnapshot['status'] {
    if (s.fatal) return 'error'
    if (isHidden() || s.video.paused || s.video.ended) return 'paused'
    return s.failed ? 'error' : 'running'
  }

  function schedule(s: Session): void {
    s.frame = scheduleVideoFrame(s.video, (now) => onFrame(s, now))
    s.source = s.frame.source
  }

  /**
   * Brings scheduling, `status`, `fps` and `error` in line with the page, the video and the last
   * result, and publishes a snapshot when anything changed (always when `update` is given).
   */
  function sync(s: Session, update?: Partial<EmotionTrackerSnapshot>): void {
    if (session !== s) return
    const status = statusOf(s)
    const stopped = status === 'paused' || s.fatal
    if (stopped) {
      s.frame?.cancel()
      s.frame = null
      fpsMeter.reset()
    } else if (s.frame === null) {
      schedule(s)
    }
    const fps = stopped ? 0 : (update?.fps ?? snapshot.fps)
    const error = status === 'error' ? s.lastError : null
    if (
      update !== undefined ||
      status !== snapshot.status ||
      fps !== snapshot.fps ||
      error !== snapshot.error ||
      s.source !== snapshot.frameSource
    ) {
      publish({
        ...snapshot,
        timestamp: performance.now(),
        ...update,
        status,
        fps,
        error,
        frameSource: s.source,
      })
    }
  }

  function onFrame(s: Session, now: number): void {
    if (session !== s) return
    const source = s.source
    s.frame = null
    if (statusOf(s) === 'paused' || s.fatal) return
    schedule(s)
    const video = s.video
    if (video.readyState < HAVE_CURRENT_DATA) return
    // requestAnimationFrame runs once per display frame, so a 30 fps video on a 60 Hz screen
    // would be detected twice per frame; requestVideoFrameCallback only fires on new frames.
    if (source !== 'video-frame' && video.currentTime === s.lastVideoTime) return
    if (!gate.canStart(now)) return
    gate.started(now)
    s.lastVideoTime = video.currentTime
    const controller = new AbortController()
    s.inFlight = controller
    let result: Promise<FaceEmotion[]>
    try {
      result = Promise.resolve(detector.detect(video, { signal: controller.signal }))
    } catch (error) {
      result = Promise.reject(error)
    }
    result.then(
      (faces) => onResult(s, controller, faces, now),
      (error: unknown) => onFailure(s, controller, error, now),
    )
  }

  function onResult(s: Session, controller: AbortController, faces: unknown, frameTime: number) {
    if (session !== s || s.inFlight !== controller) return
    if (!Array.isArray(faces)) {
      const type = faces === null ? 'null' : typeof faces
      const error = new TypeError(`detect() must resolve to an array of faces, got ${type}`)
      onFailure(s, controller, error, frameTime)
      return
    }
    s.inFlight = null
    gate.finished()
    s.failed = false
    s.lastError = null
    const current = tracks.update(faces as FaceEmotion[], frameTime)
    const mainFace = pickMainFace(current, mainFaceId)
    mainFaceId = mainFace?.id ?? null
    sync(s, {
      faces: current,
      mainFace,
      mood: hysteresis.update(mainFace?.emotion ?? null, frameTime),
      probabilities: mainFace?.probabilities ?? null,
      fps: fpsMeter.tick(frameTime),
      timestamp: frameTime,
    })
  }

  function onFailure(s: Session, controller: AbortController, error: unknown, frameTime: number) {
    // After stop() or a restart the old session's outcome (usually ERR_ABORTED) is moot.
    if (session !== s || s.inFlight !== controller) return
    s.inFlight = null
    gate.finished()
    s.failed = true
    s.lastError = error
    if (isDisposedError(error)) s.fatal = true
    else gate.holdUntil(frameTime + settings.retryDelayMs)
    sync(s, { timestamp: frameTime })
  }

  function end(s: Session): void {
    s.frame?.cancel()
    s.frame = null
    s.inFlight?.abort()
    s.inFlight = null
    s.removeListeners()
    gate.reset()
    fpsMeter.reset()
  }

  return {
    start(video) {
      if (
        typeof video !== 'object' ||
        video === null ||
        typeof (video as { addEventListener?: unknown }).addEventListener !== 'function' ||
        typeof (video as { paused?: unknown }).paused !== 'boolean'
      ) {
        throw new InvalidOptionError('video', 'an HTMLVideoElement', video)
      }
      if (session !== null) end(session)
      tracks.clear()
      hysteresis = createMoodHysteresis(settings.minStableMs)
      mainFaceId = null
      const onChange = (): void => sync(s)
      for (const type of VIDEO_EVENTS) video.addEventListener(type, onChange)
      if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onChange)
      const s: Session = {
        video,
        frame: null,
        inFlight: null,
        lastVideoTime: Number.NaN,
        source: null,
        lastError: null,
        failed: false,
        fatal: false,
        removeListeners() {
          for (const type of VIDEO_EVENTS) video.removeEventListener(type, onChange)
          if (typeof document !== 'undefined') {
            document.removeEventListener('visibilitychange', onChange)
          }
        },
      }
      session = s
      snapshot = IDLE_SNAPSHOT
      sync(s, { ...IDLE_SNAPSHOT, timestamp: performance.now() })
    },
    stop() {
      const s = session
      if (s === null) return
      session = null
      end(s)
      publish({ ...snapshot, status: 'idle', fps: 0, error: null, timestamp: performance.now() })
    },
    subscribe(listener) {
      if (typeof listener !== 'function') {
        throw new InvalidOptionError('listener', 'a function', listener)
      }
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getSnapshot() {
      return snapshot
    },
  }
}

function isDisposedError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'ERR_DISPOSED'
  )
}

function resolveSettings(options: EmotionTrackerOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options)
  }
  const smoothing = options.smoothing ?? {}
  if (typeof smoothing !== 'object' || smoothing === null) {
    throw new InvalidOptionError('smoothing', 'an object', smoothing)
  }
  const maxFps = options.maxFps ?? DEFAULT_TRACKER_MAX_FPS
  if (typeof maxFps !== 'number' || !(maxFps > 0)) {
    throw new InvalidOptionError('maxFps', 'a number above 0 (Infinity for no limit)', maxFps)
  }
  const iouThreshold = options.iouThreshold ?? DEFAULT_IOU_THRESHOLD
  if (typeof iouThreshold !== 'number' || !(iouThreshold > 0 && iouThreshold <= 1)) {
    throw new InvalidOptionError('iouThreshold', 'a number above 0 and at most 1', iouThreshold)
  }
  const pauseWhenHidden = options.pauseWhenHidden ?? true
  if (typeof pauseWhenHidden !== 'boolean') {
    throw new InvalidOptionError('pauseWhenHidden', 'a boolean', pauseWhenHidden)
  }
  return {
    maxFps,
    halfLifeMs: duration(
      'smoothing.halfLifeMs',
      smoothing.halfLifeMs,
      DEFAULT_SMOOTHING_HALF_LIFE_MS,
    ),
    minStableMs: duration('minStableMs', options.minStableMs, DEFAULT_MIN_STABLE_MS),
    iouThreshold,
    maxMissedMs: duration('maxMissedMs', options.maxMissedMs, DEFAULT_MAX_MISSED_MS),
    retryDelayMs: duration('retryDelayMs', options.retryDelayMs, DEFAULT_RETRY_DELAY_MS),
    pauseWhenHidden,
  }
}

function duration(option: string, value: unknown, fallback: number): number {
  const ms = value ?? fallback
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new InvalidOptionError(option, 'a finite number of milliseconds >= 0', value)
  }
  return ms
}
