import { createEmotionTracker, MoodlensError, type EmotionDetector } from '@moodlens/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ASTRONAUT, GRACE_HOPPER, iou, type FacePhoto } from '../faceFixtures.ts'
import { createWorkerDetector } from './createWorkerDetector.ts'
// As docs/worker.md shows: Vite serves the wasm backend's binaries and gives their URLs.
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import threaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'

const wasmPaths = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threaded,
}

async function bitmapOf(photo: FacePhoto): Promise<ImageBitmap> {
  const response = await fetch(new URL(`../fixtures/faces/${photo.file}`, import.meta.url))
  return createImageBitmap(await response.blob())
}

function startWorker(): Worker {
  // The form bundlers (Vite, webpack 5) recognise: the worker and its imports become a chunk.
  return new Worker(new URL('./emotionDetector.worker.ts', import.meta.url), { type: 'module' })
}

// `auto` picks WebGL in a worker too (through OffscreenCanvas); wasm needs its binaries' URL.
describe.each([
  { backend: 'auto', expected: 'webgl' },
  { backend: 'wasm', expected: 'wasm' },
] as const)(
  'the detector in a Web Worker on $expected, fed ImageBitmaps (Chromium)',
  ({ backend, expected }) => {
    let detector: EmotionDetector
    const progress: number[] = []

    beforeAll(async () => {
      detector = await createWorkerDetector(startWorker(), { backend, wasmPaths }, (fraction) =>
        progress.push(fraction),
      )
    }, 120_000)

    afterAll(() => detector.dispose())

    it('starts on the expected backend and reports loading progress up to 1', () => {
      expect(detector.backend.name).toBe(expected)
      expect(progress.at(-1)).toBe(1)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
    })

    it.each([ASTRONAUT, GRACE_HOPPER])(
      'finds the one face of $file with its emotion',
      async (photo) => {
        const bitmap = await bitmapOf(photo)
        const faces = await detector.detect(bitmap)
        // the caller's bitmap is copied, not transferred away
        expect(bitmap.width).toBe(photo.width)
        bitmap.close()
        expect(faces).toHaveLength(1)
        const [face] = faces
        expect(iou(face!.box, photo.face!)).toBeGreaterThan(0.5)
        expect(face!.emotion).toBe(photo.emotion)
        expect(face!.keypoints).toHaveLength(6)
        const sum = Object.values(face!.probabilities).reduce((a, b) => a + b, 0)
        expect(sum).toBeCloseTo(1, 4)
      },
    )

    it('gives [] for an image without a face, from a canvas', async () => {
      const canvas = new OffscreenCanvas(320, 240)
      const context = canvas.getContext('2d')!
      context.fillStyle = '#3a6'
      context.fillRect(0, 0, 320, 240)
      expect(await detector.detect(canvas)).toEqual([])
    })

    it('drives createEmotionTracker on a playing video', async () => {
      const photo = await bitmapOf(GRACE_HOPPER)
      const canvas = document.createElement('canvas')
      canvas.width = photo.width
      canvas.height = photo.height
      const context = canvas.getContext('2d')!
      let raf = 0
      const paint = () => {
        context.drawImage(photo, 0, 0)
        raf = requestAnimationFrame(paint)
      }
      paint()
      const stream = canvas.captureStream(30)
      const video = document.createElement('video')
      video.muted = true
      video.srcObject = stream
      await video.play()
      const tracker = createEmotionTracker(detector, { minStableMs: 300 })
      try {
        tracker.start(video)
        await vi.waitFor(() => expect(tracker.getSnapshot().mood).toBe(GRACE_HOPPER.emotion), {
          timeout: 60_000,
          interval: 50,
        })
        const snapshot = tracker.getSnapshot()
        expect(snapshot.status).toBe('running')
        expect(snapshot.faces.map((face) => face.id)).toEqual([1])
        expect(iou(snapshot.faces[0]!.box, GRACE_HOPPER.face!)).toBeGreaterThan(0.5)
        expect(snapshot.fps).toBeGreaterThan(0)
      } finally {
        tracker.stop()
        cancelAnimationFrame(raf)
        for (const track of stream.getTracks()) track.stop()
        photo.close()
      }
    }, 120_000)
  },
)

describe('the worker detector: errors, abort and dispose (Chromium)', () => {
  it('brings the detector errors back with their code', async () => {
    const small = await createWorkerDetector(startWorker(), {
      backend: 'cpu',
      maxPixels: 100,
    })
    try {
      const bitmap = await bitmapOf(ASTRONAUT)
      const error: unknown = await small.detect(bitmap).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MoodlensError)
      expect((error as MoodlensError).code).toBe('ERR_IMAGE_TOO_LARGE')
    } finally {
      small.dispose()
    }
  }, 120_000)

  it('rejects a failed start with the worker error and its code', async () => {
    const error: unknown = await createWorkerDetector(startWorker(), {
      models: { emotionModelUrl: '/no/such/model.json' },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MoodlensError)
    expect((error as MoodlensError).code).toBe('ERR_MODEL_FETCH')
  }, 120_000)

  it('honours an aborted signal and rejects after dispose()', async () => {
    const other = await createWorkerDetector(startWorker(), { backend: 'cpu' })
    const bitmap = await bitmapOf(ASTRONAUT)
    const aborted = await other
      .detect(bitmap, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e)
    expect((aborted as MoodlensError).code).toBe('ERR_ABORTED')
    const inFlight = other.detect(bitmap).catch((e: unknown) => e)
    other.dispose()
    expect(((await inFlight) as MoodlensError).code).toBe('ERR_DISPOSED')
    const after = await other.detect(bitmap).catch((e: unknown) => e)
    expect((after as MoodlensError).code).toBe('ERR_DISPOSED')
  }, 120_000)
})
