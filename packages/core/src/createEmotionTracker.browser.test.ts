import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmotionTracker, type EmotionTracker } from './createEmotionTracker.ts'
import { createScriptedDetector, face } from './tracker/__tests__/scriptedFaces.ts'

/**
 * A real playing `<video>`: a canvas, repainted on every animation frame, streamed into the video
 * through `captureStream()`, so Chromium decodes and presents actual frames.
 */
async function createPlayingVideo(): Promise<{ video: HTMLVideoElement; close: () => void }> {
  const canvas = document.createElement('canvas')
  canvas.width = 160
  canvas.height = 120
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('no 2d context')
  let frame = 0
  let raf = 0
  const paint = () => {
    frame++
    context.fillStyle = `hsl(${(frame * 7) % 360} 80% 50%)`
    context.fillRect(0, 0, canvas.width, canvas.height)
    context.fillStyle = '#fff'
    context.fillRect(frame % canvas.width, 40, 30, 30)
    raf = requestAnimationFrame(paint)
  }
  paint()
  const stream = canvas.captureStream(30)
  const video = document.createElement('video')
  video.muted = true
  video.playsInline = true
  video.srcObject = stream
  document.body.append(video)
  await video.play()
  return {
    video,
    close() {
      cancelAnimationFrame(raf)
      for (const track of stream.getTracks()) track.stop()
      video.srcObject = null
      video.remove()
    },
  }
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

async function setUp(
  options: Parameters<typeof createEmotionTracker>[1] = {},
  latencyMs = 0,
): Promise<{
  video: HTMLVideoElement
  tracker: EmotionTracker
  detector: ReturnType<typeof createScriptedDetector>
}> {
  const { video, close } = await createPlayingVideo()
  const detector = createScriptedDetector([[face(10, 10, 60, 'happy')]], latencyMs)
  const tracker = createEmotionTracker(detector, { maxFps: Infinity, minStableMs: 0, ...options })
  cleanups.push(close, () => tracker.stop())
  return { video, tracker, detector }
}

const WAIT = { timeout: 10_000, interval: 20 }

describe('createEmotionTracker on a real <video> (Chromium)', () => {
  it('detects on requestVideoFrameCallback frames and reports faces, mood and fps', async () => {
    const { video, tracker, detector } = await setUp()
    tracker.start(video)
    expect(tracker.getSnapshot().frameSource).toBe('video-frame')
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThanOrEqual(5), WAIT)
    const snapshot = tracker.getSnapshot()
    expect(snapshot.status).toBe('running')
    expect(snapshot.faces.map((f) => f.id)).toEqual([1])
    expect(snapshot.mood).toBe('happy')
    expect(snapshot.fps).toBeGreaterThan(0)
    expect(detector.calls.every((call) => call.input === video)).toBe(true)
    expect(video.videoWidth).toBe(160)
  })

  it('keeps one detection in flight when inference is slower than the video', async () => {
    const { video, tracker, detector } = await setUp({}, 150)
    tracker.start(video)
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThanOrEqual(4), WAIT)
    expect(detector.maxInFlight).toBe(1)
    expect(tracker.getSnapshot().status).toBe('running')
  })

  it('pauses with the video and resumes when it plays', async () => {
    const { video, tracker, detector } = await setUp()
    tracker.start(video)
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThanOrEqual(2), WAIT)
    video.pause()
    await vi.waitFor(() => expect(tracker.getSnapshot().status).toBe('paused'), WAIT)
    expect(tracker.getSnapshot().fps).toBe(0)
    const calls = detector.calls.length
    // several animation frames without a detection
    for (let i = 0; i < 10; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
    expect(detector.calls.length).toBe(calls)
    await video.play()
    await vi.waitFor(() => expect(tracker.getSnapshot().status).toBe('running'), WAIT)
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThan(calls + 2), WAIT)
  })

  it('pauses while the page is hidden (visibilitychange) and resumes when visible', async () => {
    const { video, tracker, detector } = await setUp()
    tracker.start(video)
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThanOrEqual(2), WAIT)
    // Headless Chromium never hides the page by itself: fake the state, fire the real event.
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    try {
      document.dispatchEvent(new Event('visibilitychange'))
      expect(tracker.getSnapshot().status).toBe('paused')
      const calls = detector.calls.length
      for (let i = 0; i < 10; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
      expect(detector.calls.length).toBe(calls)
    } finally {
      Reflect.deleteProperty(document, 'visibilityState')
    }
    expect(document.visibilityState).toBe('visible')
    const calls = detector.calls.length
    document.dispatchEvent(new Event('visibilitychange'))
    expect(tracker.getSnapshot().status).toBe('running')
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThan(calls + 2), WAIT)
  })

  it('keeps running while hidden with pauseWhenHidden: false', async () => {
    const { video, tracker } = await setUp({ pauseWhenHidden: false })
    tracker.start(video)
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    try {
      document.dispatchEvent(new Event('visibilitychange'))
      expect(tracker.getSnapshot().status).toBe('running')
    } finally {
      Reflect.deleteProperty(document, 'visibilityState')
    }
  })

  it('falls back to requestAnimationFrame without requestVideoFrameCallback', async () => {
    const { video, tracker, detector } = await setUp()
    Object.defineProperty(video, 'requestVideoFrameCallback', { value: undefined })
    tracker.start(video)
    expect(tracker.getSnapshot().frameSource).toBe('animation-frame')
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThanOrEqual(5), WAIT)
    expect(tracker.getSnapshot().status).toBe('running')
    // one detection per video frame at most: the video time advanced between any two
    const times = new Set<number>()
    const original = detector.detect.bind(detector)
    detector.detect = (input, options) => {
      expect(times.has(video.currentTime)).toBe(false)
      times.add(video.currentTime)
      return original(input, options)
    }
    const calls = detector.calls.length
    await vi.waitFor(() => expect(detector.calls.length).toBeGreaterThan(calls + 5), WAIT)
  })

  it('stops cleanly: no detection after stop(), the one in flight aborted', async () => {
    const { video, tracker, detector } = await setUp({}, 5_000)
    tracker.start(video)
    await vi.waitFor(() => expect(detector.calls.length).toBe(1), WAIT)
    tracker.stop()
    expect(detector.calls[0]?.signal?.aborted).toBe(true)
    expect(tracker.getSnapshot().status).toBe('idle')
    for (let i = 0; i < 10; i++) await new Promise((resolve) => requestAnimationFrame(resolve))
    expect(detector.calls).toHaveLength(1)
    expect(tracker.getSnapshot().status).toBe('idle')
  })
})
