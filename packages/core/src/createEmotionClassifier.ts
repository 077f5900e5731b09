import * as tf from '@tensorflow/tfjs-core'
import {
  activateBackend,
  type EmotionClassifierBackend,
  type WasmPaths,
} from './activateBackend.ts'
import { buildEmotionModel, type EmotionModel } from './buildEmotionModel.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import { loadEmotionModelFiles, type EmotionModelSource } from './loadEmotionModelFiles.ts'
import { MoodlensError } from './MoodlensError.ts'
import { facesToBatch, validateFaces, type EmotionClassifierFace } from './preprocessFaces.ts'
import { softmax } from './softmax.ts'
import { abortedError, throwIfAborted } from './throwIfAborted.ts'

/**
 * Options of {@link createEmotionClassifier}. Every field is optional.
 *
 * @example
 * ```ts
 * import type { EmotionClassifierOptions } from '@moodlens/core'
 *
 * const options: EmotionClassifierOptions = { backend: 'wasm', signal: AbortSignal.timeout(10_000) }
 * ```
 */
export interface EmotionClassifierOptions {
  /**
   * The TF.js backend to run on. `cpu`, `wasm` and `webgl` are imported and registered when
   * needed; other names must already be registered. Default {@link DEFAULT_EMOTION_BACKEND}: the
   * active backend, or `cpu` when none is registered.
   */
  readonly backend?: EmotionClassifierBackend | undefined
  /**
   * The model's `model.json` URL (weight files resolve relative to it), or a handler that loads the
   * model. Default: the model shipped in this package, {@link defaultEmotionModelUrl}.
   */
  readonly modelUrl?: EmotionModelSource | undefined
  /**
   * Where the `wasm` backend finds its binaries. Default: in Node, the installed
   * `@tensorflow/tfjs-backend-wasm/dist/`; in browsers, next to the page, so web apps usually set it.
   */
  readonly wasmPaths?: WasmPaths | undefined
  /** Cancels loading; the promise then rejects with `ERR_ABORTED`. */
  readonly signal?: AbortSignal | undefined
  /**
   * Called with the fraction of loading done, from 0 to 1 (1 once the classifier is ready),
   * never decreasing.
   */
  readonly onProgress?: ((fraction: number) => void) | undefined
}

/**
 * One face's emotion: the most likely one, its probability, and the probability of each emotion
 * (the softmax of the model's logits, summing to 1).
 *
 * @example
 * ```ts
 * import type { EmotionClassification } from '@moodlens/core'
 *
 * function describe({ emotion, confidence }: EmotionClassification): string {
 *   return `${emotion} (${Math.round(confidence * 100)}%)`
 * }
 * ```
 */
export interface EmotionClassification {
  readonly emotion: Emotion
  readonly confidence: number
  readonly probabilities: Readonly<Record<Emotion, number>>
}

/**
 * A loaded emotion classifier; create it with {@link createEmotionClassifier}.
 *
 * @example
 * ```ts
 * import { createEmotionClassifier } from '@moodlens/core'
 *
 * const classifier = await createEmotionClassifier()
 * const [result] = await classifier.classify([{ width: 64, height: 64, data: new Uint8Array(4096) }])
 * classifier.dispose()
 * ```
 */
export interface EmotionClassifier {
  /**
   * Classifies a batch of faces in one run of the model, returning one result per face, in order.
   * Faces of any size are resized bilinearly to {@link EmotionClassifier.inputSize}.
   *
   * @throws {@link MoodlensError} `ERR_INVALID_IMAGE` for a bad face (the message names it),
   * `ERR_DISPOSED` after {@link EmotionClassifier.dispose}.
   */
  classify(faces: readonly EmotionClassifierFace[]): Promise<EmotionClassification[]>
  /** The side of the square grey input the model was trained on, in pixels. */
  readonly inputSize: number
  /** The TF.js backend the classifier runs on (made active again by `classify` if changed). */
  readonly backend: string
  /** Releases the model's tensors. Idempotent; `classify` then rejects with `ERR_DISPOSED`. */
  dispose(): void
}

/**
 * The default backend: `undefined`, meaning the active TF.js backend (or `cpu` when none is
 * registered).
 *
 * @example
 * ```ts
 * import { DEFAULT_EMOTION_BACKEND, createEmotionClassifier } from '@moodlens/core'
 *
 * await createEmotionClassifier({ backend: DEFAULT_EMOTION_BACKEND })
 * ```
 */
export const DEFAULT_EMOTION_BACKEND: EmotionClassifierBackend | undefined = undefined

/**
 * The URL of the emotion model shipped in this package (`models/emotion/model.json`).
 *
 * @example
 * ```ts
 * import { defaultEmotionModelUrl } from '@moodlens/core'
 *
 * console.log(defaultEmotionModelUrl().href) // file:///.../@moodlens/core/models/emotion/model.json
 * ```
 */
export function defaultEmotionModelUrl(): URL {
  // Written out in full so bundlers see the asset reference.
  return new URL('../models/emotion/model.json', import.meta.url)
}

// The shipped shard, by its own literal URL: a bundler copies (and renames) each file referenced
// this way, and would not know that model.json names weights.bin.
function shippedWeightUrls(): Record<string, URL> {
  return { 'weights.bin': new URL('../models/emotion/weights.bin', import.meta.url) }
}

// Weight bytes are most of the loading time; the rest goes to building tensors and warming up.
const LOADING_SHARE = 0.9

function optionError(name: string, expected: string): TypeError {
  return new TypeError(`createEmotionClassifier: options.${name} must be ${expected}`)
}

/**
 * Whether `value` quacks like an `AbortSignal` (signals from other realms pass).
 *
 * @example
 * ```ts
 * if (!isAbortSignal(options.signal)) throw new TypeError('options.signal must be an AbortSignal')
 * ```
 */
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  )
}

/**
 * The model source an option names: the shipped model for `undefined`, a URL (strings resolved
 * against the page in browsers), or a handler.
 *
 * @throws `TypeError` naming the option.
 *
 * @example
 * ```ts
 * const source = resolveModelUrl(options.modelUrl, 'createEmotionDetector: options.models.emotion')
 * ```
 */
export function resolveModelUrl(
  value: unknown,
  name: string = 'createEmotionClassifier: options.modelUrl',
): EmotionModelSource {
  if (value === undefined) return defaultEmotionModelUrl()
  if (value instanceof URL) return value
  if (typeof value === 'string') {
    const base = typeof location === 'undefined' ? undefined : location.href
    try {
      return new URL(value, base)
    } catch {
      throw new TypeError(
        `${name} must be an absolute URL${base ? ' or one relative to the page' : ''}`,
      )
    }
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { load?: unknown }).load === 'function'
  ) {
    return value as EmotionModelSource
  }
  throw new TypeError(`${name} must be a URL, a URL string or an object with a load() method`)
}

const WASM_FILES = new Set([
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
])

/**
 * Checks a `wasmPaths` option.
 *
 * @throws `TypeError` naming the option.
 *
 * @example
 * ```ts
 * const wasmPaths = checkWasmPaths(options.wasmPaths, 'createEmotionDetector')
 * ```
 */
export function checkWasmPaths(
  value: unknown,
  caller: string = 'createEmotionClassifier',
): WasmPaths | undefined {
  if (value === undefined || typeof value === 'string') return value
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.entries(value).every(([file, url]) => WASM_FILES.has(file) && typeof url === 'string')
  ) {
    return value as WasmPaths
  }
  throw new TypeError(
    `${caller}: options.wasmPaths must be a URL prefix or an object mapping ${[...WASM_FILES].join(', ')} to URLs`,
  )
}

interface CheckedOptions {
  readonly backend: EmotionClassifierBackend | undefined
  readonly modelUrl: EmotionModelSource
  readonly wasmPaths: WasmPaths | undefined
  readonly signal: AbortSignal | undefined
  readonly onProgress: (fraction: number) => void
}

function checkOptions(options: unknown): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createEmotionClassifier: options must be an object')
  }
  const {
    backend = DEFAULT_EMOTION_BACKEND,
    modelUrl,
    wasmPaths,
    signal,
    onProgress,
  } = options as EmotionClassifierOptions
  if (backend !== undefined && (typeof backend !== 'string' || backend === '')) {
    throw optionError('backend', 'a TF.js backend name such as "cpu", "wasm" or "webgl"')
  }
  if (signal !== undefined && !isAbortSignal(signal)) throw optionError('signal', 'an AbortSignal')
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw optionError('onProgress', 'a function')
  }
  let reported = -1
  return {
    backend,
    modelUrl: resolveModelUrl(modelUrl),
    wasmPaths: checkWasmPaths(wasmPaths),
    signal,
    onProgress: (fraction) => {
      if (fraction > reported) {
        reported = fraction
        onProgress?.(fraction)
      }
    },
  }
}

/**
 * Makes `backend` the active TF.js backend again (another library may have switched it).
 *
 * @example
 * ```ts
 * await switchToBackend('wasm')
 * ```
 */
export async function switchToBackend(backend: string): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend)
}

/**
 * One face's classification from its logits (softmax, most likely emotion, probabilities keyed
 * by emotion in {@link EMOTIONS}' order).
 *
 * @example
 * ```ts
 * const result = toClassification(logits.subarray(0, 7), model.spec.labels)
 * ```
 */
export function toClassification(
  logits: Float32Array,
  labels: readonly Emotion[],
): EmotionClassification {
  const values = softmax(logits)
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i
  const byLabel = new Map(labels.map((label, index) => [label, values[index]!]))
  const probabilities = Object.fromEntries(
    EMOTIONS.map((emotion) => [emotion, byLabel.get(emotion)!]),
  ) as Record<Emotion, number>
  return { emotion: labels[best]!, confidence: values[best]!, probabilities }
}

// Runs the graph once: proves it executes on this backend and compiles WebGL shaders before the
// first real face.
async function warmUp(model: EmotionModel): Promise<void> {
  const size = model.spec.inputSize
  const logits = tf.tidy(() => model.predict(tf.zeros([1, size, size, 1])))
  try {
    await logits.data()
  } finally {
    logits.dispose()
  }
}

function createClassifier(model: EmotionModel, backend: string): EmotionClassifier {
  const { spec } = model
  let disposed = false
  const checkDisposed = (): void => {
    if (disposed) {
      throw new MoodlensError('ERR_DISPOSED', 'The emotion classifier has been disposed')
    }
  }
  return {
    inputSize: spec.inputSize,
    backend,
    async classify(faces) {
      checkDisposed()
      validateFaces(faces)
      if (faces.length === 0) return []
      await switchToBackend(backend)
      checkDisposed()
      const tensorFaces = faces.flatMap((face, index) =>
        face instanceof tf.Tensor ? [{ face, index }] : [],
      )
      const outputs = tf.tidy(() => {
        const logits = model.predict(facesToBatch(faces, spec))
        if (tensorFaces.length === 0) return [logits]
        return [logits, tf.stack(tensorFaces.map(({ face }) => tf.all(tf.isFinite(face))))]
      })
      let read: tf.TypedArray[]
      try {
        read = await Promise.all(outputs.map((output) => output.data()))
      } finally {
        tf.dispose(outputs)
      }
      const [values, finite] = read as [Float32Array, tf.TypedArray | undefined]
      const bad = finite ? finite.findIndex((flag) => flag === 0) : -1
      if (bad !== -1) {
        throw new MoodlensError(
          'ERR_INVALID_IMAGE',
          `faces[${tensorFaces[bad]!.index}]: the tensor holds non-finite values`,
        )
      }
      const count = spec.labels.length
      return faces.map((_, index) =>
        toClassification(values.subarray(index * count, (index + 1) * count), spec.labels),
      )
    },
    dispose() {
      if (!disposed) {
        disposed = true
        model.dispose()
      }
    },
  }
}

/**
 * Loads the MobileNetV2 emotion model (the one shipped in this package unless `modelUrl` says
 * otherwise) onto a TF.js backend and returns a classifier of grey face crops into the seven
 * {@link EMOTIONS}. The model is validated before its weights are fetched; its weights become
 * tensors once, released by `dispose()`.
 *
 * @throws `TypeError` naming the option for bad options; {@link MoodlensError} with code
 * `ERR_MODEL_FETCH`, `ERR_INVALID_MODEL`, `ERR_BACKEND_UNAVAILABLE` or `ERR_ABORTED`.
 *
 * @example
 * ```ts
 * import { createEmotionClassifier, rgbaToGrey } from '@moodlens/core'
 *
 * const classifier = await createEmotionClassifier({
 *   backend: 'wasm',
 *   onProgress: (fraction) => console.log(`loading ${Math.round(fraction * 100)}%`),
 * })
 * const canvas = document.querySelector('canvas')!
 * const face = rgbaToGrey(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height))
 * const [{ emotion, confidence, probabilities }] = await classifier.classify([face])
 * classifier.dispose()
 * ```
 */
export async function createEmotionClassifier(
  options: EmotionClassifierOptions = {},
): Promise<EmotionClassifier> {
  const { backend: requested, modelUrl, wasmPaths, signal, onProgress } = checkOptions(options)
  const { model, backend } = await loadEmotionModel({
    backend: requested,
    modelUrl,
    shipped: options.modelUrl === undefined,
    wasmPaths,
    signal,
    onProgress,
  })
  return createClassifier(model, backend)
}

/** What {@link loadEmotionModel} needs: checked options. */
export interface EmotionModelLoad {
  readonly backend: EmotionClassifierBackend | undefined
  readonly modelUrl: EmotionModelSource
  /** Whether `modelUrl` is the shipped model (its weights then have their own literal URL). */
  readonly shipped: boolean
  readonly wasmPaths: WasmPaths | undefined
  readonly signal: AbortSignal | undefined
  readonly onProgress: (fraction: number) => void
}

/**
 * Activates the backend, loads, builds and warms up the emotion model: what the classifier and
 * the detector share. The caller owns the returned model.
 *
 * @example
 * ```ts
 * const { model, backend } = await loadEmotionModel({ backend: 'wasm', modelUrl, shipped: true,
 *   wasmPaths: undefined, signal: undefined, onProgress: () => {} })
 * ```
 */
export async function loadEmotionModel(
  load: EmotionModelLoad,
): Promise<{ model: EmotionModel; backend: string }> {
  const { backend: requested, modelUrl, shipped, wasmPaths, signal, onProgress } = load
  throwIfAborted(signal)
  onProgress(0)
  const [backend, files] = await Promise.all([
    activateBackend(requested, wasmPaths),
    loadEmotionModelFiles(modelUrl, {
      signal,
      weightUrls: shipped ? shippedWeightUrls() : undefined,
      onBytes: (loaded, total) => onProgress((LOADING_SHARE * loaded) / Math.max(total, 1)),
    }),
  ])
  throwIfAborted(signal)
  await switchToBackend(backend)
  const model = buildEmotionModel(files.spec, files.weights)
  try {
    await warmUp(model)
    if (signal?.aborted) throw abortedError(signal)
  } catch (error) {
    model.dispose()
    throw error
  }
  onProgress(1)
  return { model, backend }
}
