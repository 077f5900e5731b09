import { createEmotionDetector, EMOTIONS, type Emotion, type FaceEmotion } from '@moodlens/core'
import type { Recommendation } from '@moodlens/recommender'
import * as tf from '@tensorflow/tfjs-core'
import { act, type ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setCameraPermission } from './__tests__/cameraPermission.ts'
import { createFakeDetectorFactory } from './__tests__/createFakeDetectorFactory.ts'
import { renderHook } from './__tests__/renderHook.tsx'
import { createTestCatalog, type TestSong } from './__tests__/testCatalog.ts'
import type { DetectorFactory } from './createDetectorRegistry.ts'
import { MoodlensProvider } from './MoodlensProvider.tsx'
import { useCamera } from './useCamera.ts'
import { useEmotion } from './useEmotion.ts'
import { useEmotionDetector } from './useEmotionDetector.ts'
import { useRecommendations } from './useRecommendations.ts'
import type { EmotionTrackerOptions } from '@moodlens/core'

const catalog = createTestCatalog()
const TEST_WASM_PATHS = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/'

/** The component under test: the camera, the live mood, and a playlist for the stable mood. */
function useMoodPlayer(trackerOptions: EmotionTrackerOptions = {}) {
  const camera = useCamera({ audio: false, video: { width: 640, height: 480 } })
  const model = useEmotionDetector({ backend: 'wasm', wasmPaths: TEST_WASM_PATHS, maxFaces: 1 })
  const live = useEmotion(camera.videoRef, { detector: model.detector, ...trackerOptions })
  const { recommendations } = useRecommendations({ catalog, mood: live.mood ?? 'neutral', k: 5 })
  return { camera, model, live, recommendations }
}

/** Renders the player with a real `<video>` element on the camera's ref. */
async function renderPlayer(
  createDetector: DetectorFactory,
  trackerOptions?: EmotionTrackerOptions,
) {
  let video: HTMLVideoElement | null = null
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <MoodlensProvider createDetector={createDetector}>{children}</MoodlensProvider>
  )
  const hook = await renderHook(
    (options?: EmotionTrackerOptions) => {
      const player = useMoodPlayer(options)
      video ??= document.body.appendChild(document.createElement('video'))
      player.camera.videoRef(video)
      return player
    },
    trackerOptions,
    Wrapper,
  )
  return { hook, video: () => video! }
}

/** A face whose probabilities jitter from frame to frame around a leading emotion. */
function fakeFace(leading: Emotion, frame: number): FaceEmotion {
  const jitter = 0.02 * Math.sin(frame)
  const probabilities = Object.fromEntries(
    EMOTIONS.map((emotion) => [emotion, emotion === leading ? 0.7 + jitter : (0.3 - jitter) / 6]),
  ) as Record<Emotion, number>
  return {
    box: { x: 200, y: 120, width: 200, height: 240 },
    keypoints: [],
    faceScore: 0.9,
    emotion: leading,
    confidence: probabilities[leading],
    probabilities,
    valence: 0,
    arousal: 0,
  }
}

describe('useEmotion with the fake camera', () => {
  beforeEach(() => setCameraPermission(true))
  afterEach(() => document.querySelectorAll('video').forEach((video) => video.remove()))

  it('follows the mood frame by frame, and the playlist changes only when the mood does', async () => {
    let frame = 0
    const fake = createFakeDetectorFactory(() => {
      frame += 1
      return [fakeFace(frame <= 10 ? 'happy' : 'sad', frame)]
    })
    const { hook } = await renderPlayer(fake.create, { maxFps: Infinity, minStableMs: 0 })
    await act(async () => fake.loads[0]!.resolve())
    await act(() => hook.current.camera.start())
    expect(hook.current.camera.status).toBe('streaming')

    await expect.poll(() => hook.current.live.mood, { timeout: 15_000 }).toBe('sad')
    await expect.poll(() => frame, { timeout: 15_000 }).toBeGreaterThan(20)
    const snapshots = new Set(hook.results.map((result) => result.live))
    const playlists = new Set<readonly Recommendation<TestSong>[]>(
      hook.results.map((result) => result.recommendations),
    )
    // neutral (no face yet), happy, sad: one list per stable mood, however many frames.
    expect(snapshots.size).toBeGreaterThan(20)
    expect(playlists.size).toBe(3)
    expect(hook.current.live.faces).toHaveLength(1)
    expect(hook.current.live.status).toBe('running')

    const stream = hook.current.camera.stream!
    await hook.unmount()
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    expect(fake.loads[0]!.detector.disposed).toBe(1)
    expect(fake.loads).toHaveLength(1)
  })

  it('pauses while the tab is hidden and resumes when it is visible again', async () => {
    const fake = createFakeDetectorFactory((input) => [fakeFace('happy', Number(input !== null))])
    const { hook } = await renderPlayer(fake.create, { minStableMs: 0 })
    await act(async () => fake.loads[0]!.resolve())
    await act(() => hook.current.camera.start())
    await expect.poll(() => hook.current.live.status, { timeout: 10_000 }).toBe('running')

    // Headless Chromium is never hidden: stand in for the browser's visibility state.
    const setHidden = (hidden: boolean) =>
      act(async () => {
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => (hidden ? 'hidden' : 'visible'),
        })
        document.dispatchEvent(new Event('visibilitychange'))
      })
    try {
      await setHidden(true)
      expect(hook.current.live.status).toBe('paused')
      expect(hook.current.live.fps).toBe(0)
    } finally {
      await setHidden(false)
      delete (document as { visibilityState?: unknown }).visibilityState
    }
    await expect.poll(() => hook.current.live.status, { timeout: 10_000 }).toBe('running')
    await hook.unmount()
  })

  it('reports a face and a mood with the real detector, and frees every tensor on unmount', async () => {
    const tensorsBefore = tf.engine().state.numTensors
    let loads = 0
    let disposed = 0
    const counted: DetectorFactory = async (options) => {
      loads += 1
      const detector = await createEmotionDetector(options)
      const dispose = detector.dispose.bind(detector)
      return Object.assign(detector, {
        dispose: () => {
          disposed += 1
          dispose()
        },
      })
    }
    const { hook, video } = await renderPlayer(counted, { maxFps: 5, minStableMs: 0 })
    await act(() => hook.current.camera.start())
    await expect.poll(() => hook.current.model.status, { timeout: 20_000 }).toBe('ready')
    expect(loads).toBe(1)
    expect(hook.current.model.detector!.backend.name).toBe('wasm')

    await expect.poll(() => hook.current.live.mood, { timeout: 20_000 }).not.toBeNull()
    const { faces, mood, probabilities } = hook.current.live
    expect(faces.length).toBeGreaterThanOrEqual(1)
    expect(EMOTIONS).toContain(mood)
    expect(Object.values(probabilities!).reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 3)
    // The face sits inside the 640x480 frame.
    const { box } = faces[0]!
    expect(box.x + box.width).toBeLessThanOrEqual(video().videoWidth + 1)

    const stream = hook.current.camera.stream!
    await hook.unmount()
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
    expect(disposed).toBe(1)
    expect(tf.engine().state.numTensors).toBe(tensorsBefore)
  })
})
