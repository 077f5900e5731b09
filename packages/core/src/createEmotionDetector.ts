import * as tf from '@tensorflow/tfjs-core'
import type { WasmPaths } from './activateBackend.ts'
import type { EmotionModel } from './buildEmotionModel.ts'
import {
  checkWasmPaths,
  isAbortSignal,
  loadEmotionModel,
  resolveModelUrl,
  switchToBackend,
  toClassification,
} from './createEmotionClassifier.ts'
import { cropFaces, faceCrop } from './cropFaces.ts'
import { createBlazeFace, type BlazeFace } from './createBlazeFace.ts'
import type {
  DetectOptions,
  DetectorBackend,
  DetectorInput,
  EmotionDetector,
  FaceBox,
  FaceEmotion,
  FaceKeypoint,
  FaceKeypointName,
  TilingMode,
} from './EmotionDetector.ts'
import { valenceArousal } from './emotions.ts'
import { imageToTensor } from './imageToTensor.ts'
import type { EmotionModelSource } from './loadEmotionModelFiles.ts'
import { loadFaceModel, type FaceModelSource, type FaceModelType } from './loadFaceModel.ts'
import { mergeFaceBoxes, tileStarts } from './mergeFaceBoxes.ts'
import { MoodlensError } from './MoodlensError.ts'
import {
  DEFAULT_DETECTOR_BACKEND,
  DETECTOR_BACKENDS,
  resolveDetectorBackend,
  type DetectorBackendName,
} from './resolveDetectorBackend.ts'
import { sliceImage } from './sliceImage.ts'
import { abortedError } from './throwIfAborted.ts'

/**
 * Which models the detector loads, and from where. Every field is optional; by default the
 * short-range face model and the emotion model shipped in this package.
 *
 * @example
 * ```ts
 * import type { EmotionDetectorModels } from '@moodlens/core'
 *
 * const models: EmotionDetectorModels = {
 *   face: 'full',
 *   faceModelUrl: '/static/moodlens/face/full/model.json',
 *   emotionModelUrl: '/static/moodlens/emotion/model.json',
 * }
 * ```
 */
export interface EmotionDetectorModels {
  /**
   * `short` range (default, {@link DEFAULT_FACE_MODEL}): faces within about 2 m, webcams and
   * portraits. `full` range: faces up to about 5 m away, group photos.
   */
  readonly face?: FaceModelType | undefined
  /**
   * The face model's `model.json` URL (weight files resolve relative to it) or a TF.js IO
   * handler, for self-hosting. It must be a BlazeFace model of the `face` range. Default: the
   * shipped one.
   */
  readonly faceModelUrl?: FaceModelSource | undefined
  /** The emotion model's `model.json` URL or an `EmotionModelHandler`. Default: the shipped one. */
  readonly emotionModelUrl?: EmotionModelSource | undefined
}

/**
 * Options of {@link createEmotionDetector}. Every field is optional; defaults are the
 * `DEFAULT_*` constants.
 *
 * @example
 * ```ts
 * import type { EmotionDetectorOptions } from '@moodlens/core'
 *
 * const options: EmotionDetectorOptions = { backend: 'wasm', maxFaces: 30, models: { face: 'full' } }
 * ```
 */
export interface EmotionDetectorOptions {
  /** The TF.js backend. Default {@link DEFAULT_DETECTOR_BACKEND} (`auto`). */
  readonly backend?: DetectorBackendName | undefined
  /** The most faces one `detect` returns, the highest `faceScore` first. Default 10. */
  readonly maxFaces?: number | undefined
  /**
   * Faces the face detector is less sure of are dropped, from 0 to 1. Default 0.5 for the short
   * range model, 0.6 for the full range one (MediaPipe's thresholds).
   */
  readonly minFaceScore?: number | undefined
  /** Which models to load and from where. */
  readonly models?: EmotionDetectorModels | undefined
  /**
   * How a large image is searched for small faces. BlazeFace sees the whole image at 128 px (short)
   * or 192 px (full): in a 2000-px group photo the faces shrink below what it detects. Tiling also
   * runs it on overlapping squares of `tileSize` pixels and merges the results. `auto` (default,
   * {@link DEFAULT_TILING}) tiles still images whose longer side is at least 4 tile sizes, never
   * video frames, with tiles of at least a sixth of the longer side; `always` tiles any image
   * larger than a tile; `never` runs on the whole image only. `detect` can override it per call.
   */
  readonly tiling?: TilingMode | undefined
  /** The side of a tile, in input pixels. Default 384 (short range) or 512 (full range). */
  readonly tileSize?: number | undefined
  /**
   * Turn each face crop so that the eyes are level (from the face detector's eye keypoints)
   * before classifying it. Default `true`.
   */
  readonly alignFaces?: boolean | undefined
  /** Larger inputs are refused with `ERR_IMAGE_TOO_LARGE`. Default {@link DEFAULT_MAX_PIXELS}. */
  readonly maxPixels?: number | undefined
  /**
   * Where the `wasm` backend finds its binaries. Default: in Node, the installed
   * `@tensorflow/tfjs-backend-wasm/dist/`; in browsers, next to the page, so web apps set it.
   */
  readonly wasmPaths?: WasmPaths | undefined
  /** Cancels loading; the promise then rejects with `ERR_ABORTED`. */
  readonly signal?: AbortSignal | undefined
  /** Called with the fraction of loading done, from 0 to 1, never decreasing. */
  readonly onProgress?: ((fraction: number) => void) | undefined
}

/**
 * The default most faces per `detect`.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_FACES } from '@moodlens/core'
 *
 * console.log(DEFAULT_MAX_FACES) // 10
 * ```
 */
export const DEFAULT_MAX_FACES = 10

/**
 * The default face model range.
 *
 * @example
 * ```ts
 * import { DEFAULT_FACE_MODEL } from '@moodlens/core'
 *
 * console.log(DEFAULT_FACE_MODEL) // 'short'
 * ```
 */
export const DEFAULT_FACE_MODEL: FaceModelType = 'short'

/**
 * The default tiling mode.
 *
 * @example
 * ```ts
 * import { DEFAULT_TILING } from '@moodlens/core'
 *
 * console.log(DEFAULT_TILING) // 'auto'
 * ```
 */
export const DEFAULT_TILING: TilingMode = 'auto'

/**
 * The default input size limit: 25 megapixels (6000 x 4000).
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_PIXELS } from '@moodlens/core'
 *
 * console.log(DEFAULT_MAX_PIXELS) // 25000000
 * ```
 */
export const DEFAULT_MAX_PIXELS = 25_000_000

/** MediaPipe's score thresholds, per range. */
const DEFAULT_MIN_FACE_SCORE: Readonly<Record<FaceModelType, number>> = { short: 0.5, full: 0.6 }
/** Measured on the Solvay group photo (docs/detector.md): the tile sizes that find all 29 faces. */
const DEFAULT_TILE_SIZE: Readonly<Record<FaceModelType, number>> = { short: 384, full: 512 }
/** `tiling: 'auto'` tiles images whose longer side is at least this many tiles. */
const AUTO_TILING_FACTOR = 4
/**
 * `tiling: 'auto'` uses tiles of at least 1/6 of the longer side, so that a phone photo
 * (4032 px) costs 48 tiles rather than 140; faces small enough to need smaller tiles are rare
 * there. The Solvay photo (2048 px) keeps its 384-px tiles.
 */
const AUTO_TILES_ALONG_LONGER_SIDE = 6
/** The share of loading progress that the face model stands for (the emotion model is larger). */
const FACE_PROGRESS_SHARE = 0.2
const TILING_MODES: readonly TilingMode[] = ['auto', 'always', 'never']

const KEYPOINT_NAMES: readonly FaceKeypointName[] = [
  'rightEye',
  'leftEye',
  'noseTip',
  'mouthCenter',
  'rightEarTragion',
  'leftEarTragion',
]

function optionError(name: string, expected: string): TypeError {
  return new TypeError(`createEmotionDetector: options.${name} must be ${expected}`)
}

interface CheckedOptions {
  readonly backend: DetectorBackendName
  readonly maxFaces: number
  readonly minFaceScore: number
  readonly face: FaceModelType
  readonly faceModelUrl: FaceModelSource | undefined
  readonly emotionModelUrl: EmotionModelSource
  readonly emotionShipped: boolean
  readonly tiling: TilingMode
  readonly tileSize: number
  readonly alignFaces: boolean
  readonly maxPixels: number
  readonly wasmPaths: WasmPaths | undefined
  readonly signal: AbortSignal | undefined
  readonly onProgress: (fraction: number) => void
}

function checkFaceModelUrl(value: unknown): FaceModelSource | undefined {
  if (value === undefined || value instanceof URL) return value
  if (typeof value === 'string') {
    return resolveModelUrl(value, 'createEmotionDetector: options.models.faceModelUrl') as URL
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { load?: unknown }).load === 'function'
  ) {
    return value as FaceModelSource
  }
  throw optionError('models.faceModelUrl', 'a URL, a URL string or a TF.js IO handler')
}

function checkTiling(value: unknown, name: string): TilingMode {
  if (!TILING_MODES.includes(value as TilingMode)) {
    throw new TypeError(`${name} must be one of ${TILING_MODES.join(', ')}`)
  }
  return value as TilingMode
}

function checkOptions(options: unknown): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createEmotionDetector: options must be an object')
  }
  const {
    backend = DEFAULT_DETECTOR_BACKEND,
    maxFaces = DEFAULT_MAX_FACES,
    minFaceScore,
    models = {},
    tiling = DEFAULT_TILING,
    tileSize,
    alignFaces = true,
    maxPixels = DEFAULT_MAX_PIXELS,
    wasmPaths,
    signal,
    onProgress,
  } = options as EmotionDetectorOptions
  if (!DETECTOR_BACKENDS.includes(backend)) {
    throw optionError('backend', `one of ${DETECTOR_BACKENDS.join(', ')}`)
  }
  if (!Number.isInteger(maxFaces) || maxFaces < 1) {
    throw optionError('maxFaces', 'a positive integer')
  }
  if (typeof models !== 'object' || models === null) throw optionError('models', 'an object')
  const { face = DEFAULT_FACE_MODEL, faceModelUrl, emotionModelUrl } = models
  if (face !== 'short' && face !== 'full') throw optionError('models.face', '"short" or "full"')
  const score = minFaceScore ?? DEFAULT_MIN_FACE_SCORE[face]
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw optionError('minFaceScore', 'a number from 0 to 1')
  }
  const tile = tileSize ?? DEFAULT_TILE_SIZE[face]
  if (!Number.isInteger(tile) || tile < 32) {
    throw optionError('tileSize', 'an integer of at least 32')
  }
  if (typeof alignFaces !== 'boolean') throw optionError('alignFaces', 'a boolean')
  if (!Number.isInteger(maxPixels) || maxPixels < 1) {
    throw optionError('maxPixels', 'a positive integer')
  }
  if (signal !== undefined && !isAbortSignal(signal)) throw optionError('signal', 'an AbortSignal')
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw optionError('onProgress', 'a function')
  }
  let reported = -1
  return {
    backend,
    maxFaces,
    minFaceScore: score,
    face,
    faceModelUrl: checkFaceModelUrl(faceModelUrl),
    emotionModelUrl: resolveModelUrl(
      emotionModelUrl,
      'createEmotionDetector: options.models.emotionModelUrl',
    ),
    emotionShipped: emotionModelUrl === undefined,
    tiling: checkTiling(tiling, 'createEmotionDetector: options.tiling'),
    tileSize: tile,
    alignFaces,
    maxPixels,
    wasmPaths: checkWasmPaths(wasmPaths, 'createEmotionDetector'),
    signal,
    onProgress: (fraction) => {
      if (fraction > reported) {
        reported = fraction
        onProgress?.(fraction)
      }
    },
  }
}

/** A face found by BlazeFace, in input pixels. */
interface FoundFace {
  readonly box: FaceBox
  readonly keypoints: readonly FaceKeypoint[]
  readonly faceScore: number
}

// createBlazeFace casts its whole input to float32 and letterboxes it to the model's
// input size. Shrinking the region first to that size, sampling as the letterbox does (bilinear,
// corner-aligned: no half-pixel offset), hands it the same pixels at a fraction of the cost for
// camera frames and photos (half-pixel sampling found a 30th, false, face in the Solvay photo).
// Detections are relative to the region, so they need no rescaling.
function blazeFaceInput(
  image: tf.Tensor3D,
  x: number,
  y: number,
  width: number,
  height: number,
  inputSize: number,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [imageHeight, imageWidth] = image.shape
    const whole = x === 0 && y === 0 && width === imageWidth && height === imageHeight
    const region = whole ? image : sliceImage(image, y, x, height, width)
    const scale = inputSize / Math.max(width, height)
    if (scale >= 1) return whole ? tf.clone(region) : region
    const size: [number, number] = [
      Math.max(1, Math.round(height * scale)),
      Math.max(1, Math.round(width * scale)),
    ]
    return tf.image.resizeBilinear(region, size, false, false)
  })
}

async function facesIn(
  blazeFace: BlazeFace,
  image: tf.Tensor3D,
  x: number,
  y: number,
  width: number,
  height: number,
): Promise<FoundFace[]> {
  const region = blazeFaceInput(image, x, y, width, height, blazeFace.inputSize)
  try {
    const detections = await blazeFace.detectFaces(region)
    return detections.map(
      ({ score, x: boxX, y: boxY, width: boxWidth, height: boxHeight, keypoints }) => ({
        box: {
          x: x + boxX * width,
          y: y + boxY * height,
          width: boxWidth * width,
          height: boxHeight * height,
        },
        keypoints: keypoints.map((point, index) => ({
          name: KEYPOINT_NAMES[index]!,
          x: x + point.x * width,
          y: y + point.y * height,
        })),
        faceScore: score,
      }),
    )
  } finally {
    region.dispose()
  }
}

function shouldTile(
  mode: TilingMode,
  tileSize: number,
  width: number,
  height: number,
  video: boolean,
): boolean {
  const longer = Math.max(width, height)
  if (mode === 'never' || longer <= tileSize) return false
  if (mode === 'always') return true
  return !video && longer >= AUTO_TILING_FACTOR * tileSize
}

function classify(
  model: EmotionModel,
  image: tf.Tensor3D,
  faces: readonly FoundFace[],
  align: boolean,
): tf.Tensor {
  const { inputSize, scale, offset } = model.spec
  return tf.tidy(() => {
    const grey = cropFaces(
      image,
      faces.map(({ box, keypoints }) => faceCrop(box, keypoints, align)),
    )
    // Half-pixel centres: how training resized FER2013's 48x48 faces to the input size.
    const input = tf.image.resizeBilinear(
      tf.add(tf.mul(grey, scale), offset) as tf.Tensor4D,
      [inputSize, inputSize],
      false,
      true,
    )
    return model.predict(input)
  })
}

interface DetectorParts {
  readonly blazeFace: BlazeFace
  readonly model: EmotionModel
  readonly backend: DetectorBackend
  readonly options: CheckedOptions
}

function checkDetectOptions(options: unknown): DetectOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('detect: options must be an object')
  }
  const { signal, tiling } = options as DetectOptions
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new TypeError('detect: options.signal must be an AbortSignal')
  }
  if (tiling !== undefined) checkTiling(tiling, 'detect: options.tiling')
  return options as DetectOptions
}

function createDetector({ blazeFace, model, backend, options }: DetectorParts): EmotionDetector {
  let disposed = false
  const check = (signal: AbortSignal | undefined): void => {
    if (disposed) throw new MoodlensError('ERR_DISPOSED', 'The emotion detector has been disposed')
    if (signal?.aborted) throw abortedError(signal, 'Detecting faces')
  }

  async function findFaces(
    image: tf.Tensor3D,
    tiling: TilingMode,
    video: boolean,
    signal: AbortSignal | undefined,
  ): Promise<FoundFace[]> {
    const [height, width] = image.shape
    const found = await facesIn(blazeFace, image, 0, 0, width, height)
    if (!shouldTile(tiling, options.tileSize, width, height, video)) return found
    const tileSize =
      tiling === 'auto'
        ? Math.max(
            options.tileSize,
            Math.ceil(Math.max(width, height) / AUTO_TILES_ALONG_LONGER_SIDE),
          )
        : options.tileSize
    const tileWidth = Math.min(tileSize, width)
    const tileHeight = Math.min(tileSize, height)
    for (const y of tileStarts(height, tileHeight)) {
      for (const x of tileStarts(width, tileWidth)) {
        check(signal)
        found.push(...(await facesIn(blazeFace, image, x, y, tileWidth, tileHeight)))
      }
    }
    return mergeFaceBoxes(found, (face) => face.box)
  }

  return {
    backend,
    async detect(input: DetectorInput, detectOptions: DetectOptions = {}): Promise<FaceEmotion[]> {
      const { signal, tiling = options.tiling } = checkDetectOptions(detectOptions)
      check(signal)
      await switchToBackend(backend.name)
      check(signal)
      const { tensor, owned, video } = await imageToTensor(input, options.maxPixels)
      try {
        check(signal)
        const faces = (await findFaces(tensor, tiling, video, signal))
          .filter((face) => face.faceScore >= options.minFaceScore)
          .sort((a, b) => b.faceScore - a.faceScore)
          .slice(0, options.maxFaces)
        check(signal)
        if (faces.length === 0) return []
        const logits = classify(model, tensor, faces, options.alignFaces)
        let values: Float32Array
        try {
          values = (await logits.data()) as Float32Array
        } finally {
          logits.dispose()
        }
        check(signal)
        const count = model.spec.labels.length
        return faces.map((face, index) => {
          const result = toClassification(
            values.subarray(index * count, (index + 1) * count),
            model.spec.labels,
          )
          return { ...face, ...result, ...valenceArousal(result.probabilities) }
        })
      } finally {
        if (owned) tensor.dispose()
      }
    },
    dispose() {
      if (!disposed) {
        disposed = true
        blazeFace.dispose()
        model.dispose()
      }
    },
  }
}

// Runs BlazeFace once on a blank image: proves the model executes on this backend (and compiles
// WebGL shaders) before the first real frame.
async function warmUp(blazeFace: BlazeFace): Promise<void> {
  const blank = tf.zeros([64, 64, 3], 'int32') as tf.Tensor3D
  try {
    await blazeFace.detectFaces(blank)
  } catch (error) {
    throw new MoodlensError(
      'ERR_INVALID_MODEL',
      `Invalid face model: it does not run as BlazeFace (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    )
  } finally {
    blank.dispose()
  }
}

/**
 * Loads the face detector (MediaPipe BlazeFace, run as `@tensorflow-models/face-detection` runs it) and
 * the emotion classifier onto a TF.js backend, and returns an {@link EmotionDetector}: give it an
 * image, a video frame or a tensor, get each face with its emotion. Both models ship in this
 * package; nothing is fetched from a model hub.
 *
 * @throws `TypeError` naming the option for bad options; {@link MoodlensError} with code
 * `ERR_BACKEND_UNAVAILABLE`, `ERR_MODEL_FETCH`, `ERR_INVALID_MODEL` or `ERR_ABORTED`.
 *
 * @example
 * ```ts
 * import { createEmotionDetector } from '@moodlens/core'
 *
 * const detector = await createEmotionDetector({
 *   onProgress: (fraction) => console.log(`loading ${Math.round(fraction * 100)}%`),
 * })
 * console.log(detector.backend) // { name: 'webgl', reason: 'auto: webgl, ...' }
 * for (const face of await detector.detect(document.querySelector('img')!)) {
 *   console.log(face.emotion, face.confidence, face.box, face.valence, face.arousal)
 * }
 * detector.dispose()
 * ```
 */
export async function createEmotionDetector(
  options: EmotionDetectorOptions = {},
): Promise<EmotionDetector> {
  const checked = checkOptions(options)
  const { signal, onProgress } = checked
  if (signal?.aborted) throw abortedError(signal, 'Loading the emotion detector')
  onProgress(0)
  const backend = await resolveDetectorBackend(checked.backend, checked.wasmPaths)
  if (signal?.aborted) throw abortedError(signal, 'Loading the emotion detector')
  let faceFraction = 0
  let emotionFraction = 0
  const report = (): void =>
    onProgress(
      0.99 * (FACE_PROGRESS_SHARE * faceFraction + (1 - FACE_PROGRESS_SHARE) * emotionFraction),
    )
  const [faceModel, emotion] = await Promise.allSettled([
    loadFaceModel(checked.face, checked.faceModelUrl, {
      signal,
      onBytes: (loaded, total) => {
        faceFraction = loaded / Math.max(total, 1)
        report()
      },
    }),
    loadEmotionModel({
      backend: backend.name,
      modelUrl: checked.emotionModelUrl,
      shipped: checked.emotionShipped,
      wasmPaths: checked.wasmPaths,
      signal,
      onProgress: (fraction) => {
        emotionFraction = fraction
        report()
      },
    }),
  ])
  if (faceModel.status === 'rejected' || emotion.status === 'rejected') {
    if (faceModel.status === 'fulfilled') faceModel.value.dispose()
    if (emotion.status === 'fulfilled') emotion.value.model.dispose()
    throw faceModel.status === 'rejected'
      ? faceModel.reason
      : (emotion as PromiseRejectedResult).reason
  }
  const { model } = emotion.value
  let blazeFace: BlazeFace | undefined
  try {
    blazeFace = createBlazeFace(
      checked.face,
      faceModel.value,
      checked.maxFaces,
      checked.minFaceScore,
    )
    await switchToBackend(backend.name)
    await warmUp(blazeFace)
    if (signal?.aborted) throw abortedError(signal, 'Loading the emotion detector')
  } catch (error) {
    if (blazeFace) blazeFace.dispose()
    else faceModel.value.dispose()
    model.dispose()
    throw error
  }
  onProgress(1)
  return createDetector({ blazeFace, model, backend, options: checked })
}
