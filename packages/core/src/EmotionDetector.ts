import type { Tensor3D } from '@tensorflow/tfjs-core'
import type { EmotionClassification } from './createEmotionClassifier.ts'
import type { RgbaImage } from './rgbaToGrey.ts'

/**
 * A face's bounding box in input pixels: `x`, `y` is the top-left corner.
 *
 * @example
 * ```ts
 * import type { FaceBox } from '@moodlens/core'
 *
 * const area = (box: FaceBox): number => box.width * box.height
 * ```
 */
export interface FaceBox {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/**
 * The names of BlazeFace's six keypoints, in the model's order. `rightEye` is the subject's right
 * eye (on the left of an unmirrored image).
 *
 * @example
 * ```ts
 * import type { FaceKeypointName } from '@moodlens/core'
 *
 * const eyes: FaceKeypointName[] = ['rightEye', 'leftEye']
 * ```
 */
export type FaceKeypointName =
  'rightEye' | 'leftEye' | 'noseTip' | 'mouthCenter' | 'rightEarTragion' | 'leftEarTragion'

/**
 * One face keypoint in input pixels.
 *
 * @example
 * ```ts
 * import type { FaceKeypoint } from '@moodlens/core'
 *
 * const nose: FaceKeypoint = { name: 'noseTip', x: 320, y: 240 }
 * ```
 */
export interface FaceKeypoint {
  readonly name: FaceKeypointName
  readonly x: number
  readonly y: number
}

/**
 * One detected face and its emotion: where it is, how sure the face detector is, the classifier's
 * result, and the mood's `valence` and `arousal` (from the probabilities, with the circumplex table
 * `EMOTION_COORDINATES` that the recommender uses).
 *
 * @example
 * ```ts
 * import type { FaceEmotion } from '@moodlens/core'
 *
 * const label = (face: FaceEmotion): string =>
 *   `${face.emotion} ${Math.round(face.confidence * 100)}% at (${face.box.x}, ${face.box.y})`
 * ```
 */
export interface FaceEmotion extends EmotionClassification {
  readonly box: FaceBox
  readonly keypoints: readonly FaceKeypoint[]
  /** The face detector's confidence that this is a face, from 0 to 1. */
  readonly faceScore: number
  /** From -1 (unpleasant) to 1 (pleasant). */
  readonly valence: number
  /** From -1 (calm) to 1 (excited). */
  readonly arousal: number
}

/**
 * Everything {@link EmotionDetector.detect} accepts: DOM images, video frames and canvases,
 * `ImageBitmap`, `ImageData`, a plain `{ width, height, data }` RGBA image (what
 * `decodeImage` of `@moodlens/core/node` returns) or a `[height, width, 3]` int32/float32 tensor of
 * 0-255 values.
 *
 * @example
 * ```ts
 * import type { DetectorInput } from '@moodlens/core'
 *
 * const input: DetectorInput = { width: 1, height: 1, data: new Uint8ClampedArray([0, 0, 0, 255]) }
 * ```
 */
export type DetectorInput =
  | RgbaImage
  | Tensor3D
  | ImageData
  | ImageBitmap
  | HTMLImageElement
  | HTMLVideoElement
  | HTMLCanvasElement
  | OffscreenCanvas

/**
 * Options of one {@link EmotionDetector.detect} call.
 *
 * @example
 * ```ts
 * import type { DetectOptions } from '@moodlens/core'
 *
 * const options: DetectOptions = { signal: AbortSignal.timeout(1000) }
 * ```
 */
export interface DetectOptions {
  /** Cancels the call; the promise then rejects with `ERR_ABORTED`. */
  readonly signal?: AbortSignal | undefined
  /** Overrides the detector's `tiling` option for this call. */
  readonly tiling?: TilingMode | undefined
}

/**
 * How `detect` searches a large image for small faces: `auto` tiles still images whose longer
 * side is at least four tile sizes (never video frames), `always` tiles any image larger than a
 * tile, `never` looks at the whole image only.
 *
 * @example
 * ```ts
 * import type { TilingMode } from '@moodlens/core'
 *
 * const groupPhoto: TilingMode = 'always'
 * ```
 */
export type TilingMode = 'auto' | 'always' | 'never'

/**
 * The TF.js backend a detector runs on, and why it was chosen.
 *
 * @example
 * ```ts
 * import type { DetectorBackend } from '@moodlens/core'
 *
 * const backend: DetectorBackend = { name: 'wasm', reason: 'auto: the default in Node' }
 * ```
 */
export interface DetectorBackend {
  readonly name: string
  readonly reason: string
}

/**
 * A loaded face and emotion detector; create it with `createEmotionDetector`.
 *
 * @example
 * ```ts
 * import { createEmotionDetector } from '@moodlens/core'
 *
 * const detector = await createEmotionDetector()
 * const faces = await detector.detect(document.querySelector('img')!)
 * detector.dispose()
 * ```
 */
export interface EmotionDetector {
  /**
   * Finds the faces in `input` and classifies their emotions in one batch. Resolves to `[]` when
   * there is no face; faces are ordered by `faceScore`, highest first.
   */
  detect(input: DetectorInput, options?: DetectOptions): Promise<FaceEmotion[]>
  /** The backend in use and why it was chosen. */
  readonly backend: DetectorBackend
  /** Releases the models' tensors. Idempotent; `detect` then rejects with `ERR_DISPOSED`. */
  dispose(): void
}
