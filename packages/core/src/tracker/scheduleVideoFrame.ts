/**
 * Where a tracker's frame callbacks come from: `requestVideoFrameCallback` (`'video-frame'`),
 * `requestAnimationFrame` (`'animation-frame'`) where the browser lacks it, or a timer (`'timer'`)
 * where neither exists.
 *
 * @example
 * ```ts
 * import type { FrameSource } from '@moodlens/core'
 *
 * const precise = (source: FrameSource | null): boolean => source === 'video-frame'
 * ```
 */
export type FrameSource = 'video-frame' | 'animation-frame' | 'timer'

/** A scheduled frame callback; `cancel()` is idempotent. */
export interface ScheduledFrame {
  readonly source: FrameSource
  cancel(): void
}

/** The timer fallback's period: about one 60 Hz display frame. */
const TIMER_FRAME_MS = 16

/**
 * Calls `callback` once, with a `performance.now()`-clock timestamp, at the video's next frame:
 * through `video.requestVideoFrameCallback` where the browser has it (one call per new video frame,
 * none while the video is paused), else `requestAnimationFrame` (once per display frame; the caller
 * skips repeated video frames), else a timer (environments without either, such as Node with a
 * video-like object).
 *
 * @example
 * ```ts
 * const frame = scheduleVideoFrame(video, (now) => console.log('new frame at', now))
 * frame.cancel()
 * ```
 */
export function scheduleVideoFrame(
  video: HTMLVideoElement,
  callback: (nowMs: number) => void,
): ScheduledFrame {
  if (typeof video.requestVideoFrameCallback === 'function') {
    const handle = video.requestVideoFrameCallback((now) => callback(now))
    return {
      source: 'video-frame',
      cancel: () => video.cancelVideoFrameCallback(handle),
    }
  }
  if (typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame((now) => callback(now))
    return { source: 'animation-frame', cancel: () => cancelAnimationFrame(handle) }
  }
  const handle = setTimeout(() => callback(performance.now()), TIMER_FRAME_MS)
  return { source: 'timer', cancel: () => clearTimeout(handle) }
}
