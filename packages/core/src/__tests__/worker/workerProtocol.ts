// The messages between the page and the detector's Web Worker (docs/worker.md).
import type {
  DetectorBackend,
  EmotionDetectorOptions,
  FaceEmotion,
  MoodlensErrorCode,
  TilingMode,
} from '@moodlens/core'

/**
 * The detector's options that can cross to a worker: no `signal` or `onProgress` (functions and
 * signals cannot be cloned) and model locations as URL strings (URL objects cannot be cloned).
 */
export type WorkerDetectorOptions = Omit<EmotionDetectorOptions, 'signal' | 'onProgress'>

/** What the page sends. */
export type WorkerRequest =
  | { readonly type: 'init'; readonly options: WorkerDetectorOptions }
  | {
      readonly type: 'detect'
      readonly id: number
      readonly image: ImageBitmap
      readonly tiling: TilingMode | undefined
    }

/** An error as it crosses the boundary: structured cloning keeps an Error's message, not its code. */
export interface ClonedError {
  readonly name: string
  readonly message: string
  readonly code: MoodlensErrorCode | undefined
}

/** What the worker answers. `id` is `null` for the answer to `init`. */
export type WorkerResponse =
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'ready'; readonly backend: DetectorBackend }
  | { readonly type: 'faces'; readonly id: number; readonly faces: FaceEmotion[] }
  | { readonly type: 'error'; readonly id: number | null; readonly error: ClonedError }
