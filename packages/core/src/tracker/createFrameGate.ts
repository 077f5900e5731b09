/**
 * Decides which video frames get a `detect` call: never one while another is in flight (frames
 * are skipped while inference is slower than the video), and no more than `maxFps` per second on
 * average. See {@link createFrameGate}.
 */
export interface FrameGate {
  /** Whether a detection may start on the frame at `nowMs`. */
  canStart(nowMs: number): boolean
  /** Records that a detection started at `nowMs`. */
  started(nowMs: number): void
  /** Records that the detection in flight ended (resolved or rejected). */
  finished(): void
  /** Holds detections back until `untilMs`, for example to retry after an error. */
  holdUntil(untilMs: number): void
  /** Forgets the timing history (after a pause), keeping nothing in flight. */
  reset(): void
  /** Whether a detection is in flight. */
  readonly busy: boolean
}

/**
 * Frames of a 30 fps video arrive about 33.3 ms apart, with a millisecond or two of jitter; a gate
 * that demanded exactly 1000 / maxFps would refuse every frame that came a little early and halve
 * the rate. This tolerance (a quarter of the interval, at most 8 ms) absorbs the jitter while the
 * schedule below still keeps the long-run average at or below `maxFps`.
 */
const JITTER_FRACTION = 0.25
const MAX_JITTER_MS = 8

/**
 * Creates a {@link FrameGate}. The schedule advances by one interval per detection from the
 * previous due time rather than from the frame's time, so early and late frames average out; after
 * a gap longer than one interval it restarts from the current frame instead of allowing a burst to
 * catch up.
 *
 * @example
 * ```ts
 * const gate = createFrameGate(10)
 * if (gate.canStart(now)) {
 *   gate.started(now)
 *   detector.detect(video).finally(() => gate.finished())
 * }
 * ```
 */
export function createFrameGate(maxFps: number): FrameGate {
  const interval = maxFps === Infinity ? 0 : 1000 / maxFps
  const tolerance = Math.min(interval * JITTER_FRACTION, MAX_JITTER_MS)
  let due = -Infinity
  let heldUntil = -Infinity
  let busy = false
  return {
    get busy() {
      return busy
    },
    canStart(nowMs) {
      return !busy && nowMs >= heldUntil && nowMs >= due - tolerance
    },
    started(nowMs) {
      busy = true
      due = nowMs - due > interval ? nowMs + interval : due + interval
    },
    finished() {
      busy = false
    },
    holdUntil(untilMs) {
      heldUntil = untilMs
    },
    reset() {
      busy = false
      due = -Infinity
      heldUntil = -Infinity
    },
  }
}
