import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createEmotionTracker,
  DEFAULT_MIN_STABLE_MS,
  DEFAULT_TRACKER_MAX_FPS,
  type EmotionTracker,
  type EmotionTrackerSnapshot,
} from './createEmotionTracker.ts'
import type { FaceEmotion } from './EmotionDetector.ts'
import { InvalidOptionError } from './emotions.ts'
import { MoodlensError } from './MoodlensError.ts'
import {
  createScriptedDetector,
  face,
  FakeVideo,
  type ScriptStep,
} from './tracker/__tests__/scriptedFaces.ts'

/**
 * Presents frames every `stepMs` from `from` (inclusive) to `to` (exclusive), letting the fake
 * timers (the scripted detector's latency) run in between. Returns the time reached.
 */
async function playFrames(video: FakeVideo, from: number, to: number, stepMs: number) {
  let t = from
  for (; t < to; t += stepMs) {
    video.frame(t)
    await vi.advanceTimersByTimeAsync(stepMs)
  }
  return t
}

function record(tracker: EmotionTracker): EmotionTrackerSnapshot[] {
  const seen: EmotionTrackerSnapshot[] = []
  tracker.subscribe(() => seen.push(tracker.getSnapshot()))
  return seen
}

const happy = [face(100, 100, 200, 'happy')]
const sad = [face(104, 98, 200, 'sad')]

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('createEmotionTracker: options', () => {
  const detector = createScriptedDetector([[]])

  it.each([
    ['maxFps', { maxFps: 0 }],
    ['maxFps', { maxFps: -5 }],
    ['maxFps', { maxFps: Number.NaN }],
    ['maxFps', { maxFps: '10' }],
    ['smoothing', { smoothing: 5 }],
    ['smoothing.halfLifeMs', { smoothing: { halfLifeMs: -1 } }],
    ['smoothing.halfLifeMs', { smoothing: { halfLifeMs: Infinity } }],
    ['minStableMs', { minStableMs: -1 }],
    ['minStableMs', { minStableMs: Number.NaN }],
    ['iouThreshold', { iouThreshold: 0 }],
    ['iouThreshold', { iouThreshold: 1.5 }],
    ['maxMissedMs', { maxMissedMs: -10 }],
    ['retryDelayMs', { retryDelayMs: '1s' }],
    ['pauseWhenHidden', { pauseWhenHidden: 'yes' }],
    ['options', null],
  ])('rejects a bad %s with a TypeError naming it', (option, options) => {
    let thrown: unknown
    try {
      createEmotionTracker(detector, options as never)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(TypeError)
    expect(thrown).toBeInstanceOf(InvalidOptionError)
    expect((thrown as InvalidOptionError).option).toBe(option)
    expect((thrown as InvalidOptionError).code).toBe('ERR_INVALID_OPTION')
  })

  it('rejects a detector without detect()', () => {
    expect(() => createEmotionTracker({} as never)).toThrow(InvalidOptionError)
    expect(() => createEmotionTracker(null as never)).toThrow(/detector/)
  })

  it('accepts maxFps Infinity, zero durations and no options', () => {
    expect(() => createEmotionTracker(detector)).not.toThrow()
    expect(() =>
      createEmotionTracker(detector, {
        maxFps: Infinity,
        smoothing: { halfLifeMs: 0 },
        minStableMs: 0,
        maxMissedMs: 0,
        retryDelayMs: 0,
        iouThreshold: 1,
        pauseWhenHidden: false,
      }),
    ).not.toThrow()
  })

  it('rejects a start() argument that is not a video, and a listener that is not a function', () => {
    const tracker = createEmotionTracker(detector)
    expect(() => tracker.start({} as never)).toThrow(InvalidOptionError)
    expect(() => tracker.start(undefined as never)).toThrow(/video/)
    expect(() => tracker.subscribe('x' as never)).toThrow(/listener/)
    expect(tracker.getSnapshot().status).toBe('idle')
  })
})

describe('createEmotionTracker: snapshots', () => {
  it('starts idle and keeps the same snapshot object until something changes', async () => {
    const tracker = createEmotionTracker(createScriptedDetector([happy]))
    const idle = tracker.getSnapshot()
    expect(idle).toMatchObject({
      status: 'idle',
      faces: [],
      mood: null,
      probabilities: null,
      fps: 0,
    })
    expect(tracker.getSnapshot()).toBe(idle)
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    const running = tracker.getSnapshot()
    expect(running).not.toBe(idle)
    expect(running.status).toBe('running')
    expect(running.frameSource).toBe('video-frame')
    expect(Object.isFrozen(running)).toBe(true)
    await vi.advanceTimersByTimeAsync(100)
    // no frame, no change
    expect(tracker.getSnapshot()).toBe(running)
    tracker.stop()
  })

  it('notifies subscribers on each change and not after unsubscribe', async () => {
    const tracker = createEmotionTracker(createScriptedDetector([happy]), { maxFps: Infinity })
    const video = new FakeVideo()
    let calls = 0
    const unsubscribe = tracker.subscribe(() => calls++)
    tracker.start(video.asVideo())
    expect(calls).toBe(1)
    await playFrames(video, 0, 120, 40)
    expect(calls).toBe(4)
    unsubscribe()
    await playFrames(video, 120, 240, 40)
    expect(calls).toBe(4)
    tracker.stop()
  })
  it('keeps notifying the other listeners when one throws, and rethrows its error asynchronously', async () => {
    const deferred: (() => void)[] = []
    vi.stubGlobal('queueMicrotask', (task: () => void) => deferred.push(task))
    try {
      const tracker = createEmotionTracker(createScriptedDetector([happy]), { maxFps: Infinity })
      const broken = new Error('listener bug')
      let calls = 0
      tracker.subscribe(() => {
        throw broken
      })
      tracker.subscribe(() => calls++)
      const video = new FakeVideo()
      tracker.start(video.asVideo())
      video.frame(0)
      await vi.advanceTimersByTimeAsync(0)
      expect(calls).toBe(2)
      expect(tracker.getSnapshot().faces).toHaveLength(1)
      expect(deferred).toHaveLength(2)
      expect(deferred[0]).toThrow(broken)
      tracker.stop()
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('createEmotionTracker: scheduling', () => {
  it('never has two detections in flight: frames are skipped while inference is slow', async () => {
    // 100 ms per detection, a frame every 40 ms
    const detector = createScriptedDetector([happy], 100)
    const tracker = createEmotionTracker(detector, { maxFps: Infinity })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, 1200, 40)
    expect(detector.maxInFlight).toBe(1)
    // starts at 0, 120, 240, ...: every third frame (the first frame after the previous result)
    expect(detector.calls).toHaveLength(10)
    expect(detector.calls.every((call) => call.input === video)).toBe(true)
    expect(tracker.getSnapshot().fps).toBeCloseTo(1000 / 120, 6)
    tracker.stop()
  })

  it('honours maxFps and measures the fps it reaches', async () => {
    const detector = createScriptedDetector([happy])
    const tracker = createEmotionTracker(detector, { maxFps: 10 })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    // 50 frames per second for two seconds
    await playFrames(video, 0, 2000, 20)
    expect(detector.calls).toHaveLength(20)
    expect(tracker.getSnapshot().fps).toBeCloseTo(10, 6)
    tracker.stop()
  })

  it(`defaults to ${DEFAULT_TRACKER_MAX_FPS} detections per second at most`, async () => {
    const detector = createScriptedDetector([happy])
    const tracker = createEmotionTracker(detector)
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, 2000, 10)
    expect(detector.calls.length).toBeLessThanOrEqual(2 * DEFAULT_TRACKER_MAX_FPS + 1)
    expect(detector.calls.length).toBeGreaterThanOrEqual(2 * DEFAULT_TRACKER_MAX_FPS - 1)
    tracker.stop()
  })

  it('skips frames that are not ready yet', async () => {
    const detector = createScriptedDetector([happy])
    const tracker = createEmotionTracker(detector, { maxFps: Infinity })
    const video = new FakeVideo()
    video.readyState = 1
    tracker.start(video.asVideo())
    await playFrames(video, 0, 200, 40)
    expect(detector.calls).toHaveLength(0)
    video.readyState = 4
    await playFrames(video, 200, 400, 40)
    expect(detector.calls).toHaveLength(5)
    tracker.stop()
  })
})

describe('createEmotionTracker: faces and mood', () => {
  it('follows a face with a stable id and changes the mood only after minStableMs', async () => {
    const script: ScriptStep[] = [...Array<FaceEmotion[]>(25).fill(happy), sad]
    const detector = createScriptedDetector(script)
    const tracker = createEmotionTracker(detector, {
      maxFps: Infinity,
      smoothing: { halfLifeMs: 100 },
      minStableMs: 500,
    })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    const seen = record(tracker)
    // happy from 0 ms to 960 ms, sad from 1000 ms
    await playFrames(video, 0, 3000, 40)
    const moods = seen.map((s) => [s.timestamp, s.mood] as const)
    const firstHappy = moods.find(([, mood]) => mood === 'happy')?.[0]
    const firstSad = moods.find(([, mood]) => mood === 'sad')?.[0]
    expect(firstHappy).toBe(520) // led from 0, stable at 500: first frame at or after 500
    // sad leads the smoothed probabilities once they cross (within ~2 frames at a 100 ms
    // half-life), and must then lead for 500 ms more
    expect(firstSad).toBeGreaterThanOrEqual(1500)
    expect(firstSad).toBeLessThanOrEqual(1640)
    const ids = new Set(seen.flatMap((s) => s.faces.map((f) => f.id)))
    expect([...ids]).toEqual([1])
    const last = tracker.getSnapshot()
    expect(last.mainFace?.id).toBe(1)
    expect(last.probabilities).toBe(last.mainFace?.probabilities)
    expect(last.probabilities?.sad).toBeGreaterThan(0.69)
    tracker.stop()
  })

  it(`uses DEFAULT_MIN_STABLE_MS (${DEFAULT_MIN_STABLE_MS} ms) by default`, async () => {
    const tracker = createEmotionTracker(createScriptedDetector([happy]), { maxFps: Infinity })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, DEFAULT_MIN_STABLE_MS, 50)
    expect(tracker.getSnapshot().mood).toBeNull()
    await playFrames(video, DEFAULT_MIN_STABLE_MS, DEFAULT_MIN_STABLE_MS + 50, 50)
    expect(tracker.getSnapshot().mood).toBe('happy')
    tracker.stop()
  })

  it('keeps a face through short misses and drops it, and the mood, after maxMissedMs', async () => {
    const script: ScriptStep[] = [happy, happy, [], [], happy, [], [], [], [], [], []]
    const tracker = createEmotionTracker(createScriptedDetector(script), {
      maxFps: Infinity,
      minStableMs: 0,
      maxMissedMs: 150,
    })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    const seen = record(tracker)
    await playFrames(video, 0, 440, 40)
    const faceIds = seen.map((s) => s.faces.map((f) => f.id))
    // frames 0..400: seen, seen, missed, missed (kept), seen (same id), missed x3 (kept 120 ms),
    // missed at 320 (200 ms > 150: dropped)
    expect(faceIds).toEqual([[1], [1], [1], [1], [1], [1], [1], [1], [], [], []])
    expect(seen.map((s) => s.mood)).toEqual([...Array<string>(8).fill('happy'), null, null, null])
    tracker.stop()
  })

  it('reports the largest face as the main face and keeps it while tracked', async () => {
    const small = face(0, 0, 80, 'sad')
    const large = face(300, 0, 160, 'happy')
    const tracker = createEmotionTracker(createScriptedDetector([[small, large]]), {
      maxFps: Infinity,
      minStableMs: 0,
    })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, 80, 40)
    const snapshot = tracker.getSnapshot()
    expect(snapshot.faces.map((f) => f.id)).toEqual([1, 2])
    expect(snapshot.mainFace?.id).toBe(2)
    expect(snapshot.mood).toBe('happy')
    tracker.stop()
  })
})

describe('createEmotionTracker: errors', () => {
  it('reports a failed detect in the snapshot, retries after retryDelayMs and recovers', async () => {
    const failure = new Error('camera hiccup')
    const detector = createScriptedDetector([happy, failure, failure, happy])
    const tracker = createEmotionTracker(detector, {
      maxFps: Infinity,
      retryDelayMs: 200,
      minStableMs: 0,
    })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    const seen = record(tracker)
    await playFrames(video, 0, 40, 40)
    expect(tracker.getSnapshot()).toMatchObject({ status: 'running', mood: 'happy', error: null })
    await playFrames(video, 40, 80, 40)
    expect(tracker.getSnapshot()).toMatchObject({ status: 'error', error: failure })
    // the faces of the last success stay
    expect(tracker.getSnapshot().faces).toHaveLength(1)
    await playFrames(video, 80, 240, 40)
    expect(detector.calls).toHaveLength(2) // held back until 40 + 200
    await playFrames(video, 240, 280, 40)
    expect(detector.calls).toHaveLength(3)
    expect(tracker.getSnapshot()).toMatchObject({ status: 'error', error: failure })
    await playFrames(video, 280, 480, 40) // held back until 240 + 200
    expect(detector.calls).toHaveLength(4)
    expect(tracker.getSnapshot()).toMatchObject({ status: 'running', error: null, mood: 'happy' })
    expect(seen.map((s) => s.status)).toEqual(['running', 'error', 'error', 'running'])
    tracker.stop()
  })

  it('treats a synchronous throw and a non-array result as failed detections', async () => {
    const thrown = new Error('sync')
    let call = 0
    const detector = {
      detect(): Promise<FaceEmotion[]> {
        call++
        if (call === 1) throw thrown
        return Promise.resolve('nope' as never)
      },
    }
    const tracker = createEmotionTracker(detector, { maxFps: Infinity, retryDelayMs: 0 })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, 40, 40)
    expect(tracker.getSnapshot()).toMatchObject({ status: 'error', error: thrown })
    await playFrames(video, 40, 80, 40)
    expect(tracker.getSnapshot().status).toBe('error')
    expect(tracker.getSnapshot().error).toBeInstanceOf(TypeError)
    tracker.stop()
  })

  it('stops retrying once the detector was disposed', async () => {
    const disposed = new MoodlensError('ERR_DISPOSED', 'disposed')
    const detector = createScriptedDetector([disposed])
    const tracker = createEmotionTracker(detector, { maxFps: Infinity, retryDelayMs: 0 })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, 400, 40)
    expect(detector.calls).toHaveLength(1)
    expect(video.pendingCallbacks).toBe(0)
    expect(tracker.getSnapshot()).toMatchObject({ status: 'error', error: disposed, fps: 0 })
    // pausing and playing does not revive it
    video.pause()
    video.play()
    expect(tracker.getSnapshot().status).toBe('error')
    expect(video.pendingCallbacks).toBe(0)
    tracker.stop()
  })
})

describe('createEmotionTracker: pause, stop and restart', () => {
  it('pauses with the video and resumes when it plays again', async () => {
    const detector = createScriptedDetector([happy])
    const tracker = createEmotionTracker(detector, { maxFps: Infinity })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    await playFrames(video, 0, 200, 40)
    expect(tracker.getSnapshot().fps).toBeGreaterThan(0)
    video.pause()
    expect(tracker.getSnapshot()).toMatchObject({ status: 'paused', fps: 0 })
    expect(tracker.getSnapshot().faces).toHaveLength(1)
    expect(video.pendingCallbacks).toBe(0)
    const calls = detector.calls.length
    video.play()
    expect(tracker.getSnapshot().status).toBe('running')
    expect(video.pendingCallbacks).toBe(1)
    await playFrames(video, 5000, 5200, 40)
    expect(detector.calls.length).toBe(calls + 5)
    tracker.stop()
  })

  it('starts paused on a paused video and treats an ended video as paused', async () => {
    const tracker = createEmotionTracker(createScriptedDetector([happy]))
    const video = new FakeVideo()
    video.paused = true
    tracker.start(video.asVideo())
    expect(tracker.getSnapshot().status).toBe('paused')
    video.play()
    expect(tracker.getSnapshot().status).toBe('running')
    video.ended = true
    video.dispatchEvent(new Event('ended'))
    expect(tracker.getSnapshot().status).toBe('paused')
    tracker.stop()
  })

  it('stop() aborts the detection in flight, cancels the frame callback and ignores late results', async () => {
    const detector = createScriptedDetector([happy], 500)
    const tracker = createEmotionTracker(detector, { maxFps: Infinity })
    const video = new FakeVideo()
    tracker.start(video.asVideo())
    video.frame(0)
    expect(detector.calls).toHaveLength(1)
    const signal = detector.calls[0]?.signal
    expect(signal?.aborted).toBe(false)
    tracker.stop()
    expect(signal?.aborted).toBe(true)
    expect(detector.aborted).toBe(1)
    expect(video.pendingCallbacks).toBe(0)
    const stopped = tracker.getSnapshot()
    expect(stopped.status).toBe('idle')
    await vi.advanceTimersByTimeAsync(1000)
    expect(tracker.getSnapshot()).toBe(stopped)
    // idempotent
    tracker.stop()
    expect(tracker.getSnapshot()).toBe(stopped)
    // and the video's events no longer reach it
    video.pause()
    expect(tracker.getSnapshot()).toBe(stopped)
  })

  it('keeps the last faces and mood after stop(); start() clears them', async () => {
    const tracker = createEmotionTracker(createScriptedDetector([happy]), {
      maxFps: Infinity,
      minStableMs: 0,
    })
    const first = new FakeVideo()
    tracker.start(first.asVideo())
    await playFrames(first, 0, 80, 40)
    tracker.stop()
    expect(tracker.getSnapshot()).toMatchObject({ status: 'idle', mood: 'happy', fps: 0 })
    expect(tracker.getSnapshot().faces).toHaveLength(1)
    const second = new FakeVideo()
    tracker.start(second.asVideo())
    expect(tracker.getSnapshot()).toMatchObject({ status: 'running', mood: null, faces: [] })
    tracker.stop()
  })

  it('start() on another video leaves the first one alone', async () => {
    const detector = createScriptedDetector([happy], 500)
    const tracker = createEmotionTracker(detector, { maxFps: Infinity, minStableMs: 0 })
    const first = new FakeVideo()
    tracker.start(first.asVideo())
    first.frame(0)
    const second = new FakeVideo()
    tracker.start(second.asVideo())
    // the first video's detection was aborted and its callbacks and listeners are gone
    expect(detector.calls[0]?.signal?.aborted).toBe(true)
    expect(first.pendingCallbacks).toBe(0)
    first.pause()
    expect(tracker.getSnapshot().status).toBe('running')
    await playFrames(second, 0, 600, 40)
    expect(detector.calls.slice(1).every((call) => call.input === second)).toBe(true)
    expect(tracker.getSnapshot().faces.map((f) => f.id)).toEqual([1])
    tracker.stop()
  })
})
