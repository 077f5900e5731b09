/**
 * Measures how many detections per second complete. See {@link createFpsMeter}.
 */
export interface FpsMeter {
  /** Records a completed detection of the frame at `timestampMs` and returns the current rate. */
  tick(timestampMs: number): number
  /** Forgets all samples (after a pause, so the pause does not count as a slow frame). */
  reset(): void
}

/** How many recent detections the rate is measured over. */
export const FPS_SAMPLES = 10
/** Samples older than this are forgotten, so the rate follows changes within a few seconds. */
export const FPS_WINDOW_MS = 3000

/**
 * Creates an {@link FpsMeter}: the rate over the last {@link FPS_SAMPLES} detections within
 * {@link FPS_WINDOW_MS}, `(n - 1) / (last - first)`. One sample gives 0: a rate needs two.
 *
 * @example
 * ```ts
 * const meter = createFpsMeter()
 * meter.tick(0)
 * meter.tick(100) // 10
 * ```
 */
export function createFpsMeter(): FpsMeter {
  let samples: number[] = []
  return {
    tick(timestampMs) {
      samples.push(timestampMs)
      samples = samples.filter((t) => timestampMs - t <= FPS_WINDOW_MS).slice(-FPS_SAMPLES)
      const first = samples[0]
      if (first === undefined || samples.length < 2 || timestampMs <= first) return 0
      return ((samples.length - 1) * 1000) / (timestampMs - first)
    },
    reset() {
      samples = []
    },
  }
}
