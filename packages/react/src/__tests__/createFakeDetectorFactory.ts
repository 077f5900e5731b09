import type { EmotionDetector, EmotionDetectorOptions, FaceEmotion } from '@moodlens/core'
import type { DetectorFactory } from '../createDetectorRegistry.ts'

export interface FakeLoad {
  readonly options: EmotionDetectorOptions
  readonly detector: EmotionDetector & { readonly disposed: number }
  /** Finishes this load (progress 1), or fails it. */
  resolve(): void
  reject(error: unknown): void
}

/**
 * A detector factory for tests: records every load, lets the test finish or fail each one (even
 * after its signal aborted, as a slow real load may), and counts `dispose()` calls. `detect`
 * answers with `faces(input)`.
 */
export function createFakeDetectorFactory(faces: (input: unknown) => FaceEmotion[] = () => []): {
  create: DetectorFactory
  loads: FakeLoad[]
} {
  const loads: FakeLoad[] = []
  const create: DetectorFactory = (options) =>
    new Promise((resolve, reject) => {
      let disposed = 0
      const detector = {
        backend: { name: 'fake', reason: 'test' },
        detect: (input: unknown) => Promise.resolve(faces(input)),
        dispose: () => {
          disposed += 1
        },
        get disposed() {
          return disposed
        },
      } as EmotionDetector & { readonly disposed: number }
      loads.push({
        options,
        detector,
        resolve: () => {
          options.onProgress?.(1)
          resolve(detector)
        },
        reject,
      })
    })
  return { create, loads }
}
