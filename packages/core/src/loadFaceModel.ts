import type { GraphModel } from '@tensorflow/tfjs-converter'
import type * as tf from '@tensorflow/tfjs-core'
import { concat, readModelFile } from './loadEmotionModelFiles.ts'
import { MoodlensError } from './MoodlensError.ts'
import { abortedError, throwIfAborted } from './throwIfAborted.ts'

/**
 * Which BlazeFace detector finds the faces: `short` range (faces within about 2 m of the camera:
 * webcams, selfies, portraits; 128-px input, 0.2 MB) or `full` range (faces up to about 5 m away;
 * 192-px input, 1 MB). Both ship in this package.
 *
 * @example
 * ```ts
 * import type { FaceModelType } from '@moodlens/core'
 *
 * const range: FaceModelType = 'full'
 * ```
 */
export type FaceModelType = 'short' | 'full'

/**
 * Where a face detector model comes from: the URL of its TF.js graph-model `model.json` (weight
 * files resolve relative to it), or a TF.js IO handler (`tf.io.fromMemory(...)`, IndexedDB, ...).
 *
 * @example
 * ```ts
 * import type { FaceModelSource } from '@moodlens/core'
 *
 * const selfHosted: FaceModelSource = 'https://static.example.com/moodlens/face/short/model.json'
 * ```
 */
export type FaceModelSource = string | URL | tf.io.IOHandler

/**
 * The URL of the shipped BlazeFace model of one range (`models/face/<type>/model.json`).
 *
 * @example
 * ```ts
 * import { defaultFaceModelUrl } from '@moodlens/core'
 *
 * console.log(defaultFaceModelUrl('full').href) // file:///.../@moodlens/core/models/face/full/model.json
 * ```
 */
export function defaultFaceModelUrl(type: FaceModelType): URL {
  // Each URL written out in full so that bundlers see (and copy) every asset.
  return type === 'full'
    ? new URL('../models/face/full/model.json', import.meta.url)
    : new URL('../models/face/short/model.json', import.meta.url)
}

function shippedWeightUrl(type: FaceModelType): URL {
  return type === 'full'
    ? new URL('../models/face/full/weights.bin', import.meta.url)
    : new URL('../models/face/short/weights.bin', import.meta.url)
}

function invalid(message: string): MoodlensError {
  return new MoodlensError('ERR_INVALID_MODEL', `Invalid face model: ${message}`)
}

const BYTES_PER_ELEMENT: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  float16: 2,
  uint8: 1,
  uint16: 2,
  int8: 1,
  int16: 2,
}

interface GraphModelJson {
  readonly format?: string
  readonly modelTopology: object
  readonly signature?: object
  readonly weightsManifest: readonly {
    readonly paths: readonly string[]
    readonly weights: readonly tf.io.WeightsManifestEntry[]
  }[]
}

function parseModelJson(bytes: Uint8Array, url: URL): GraphModelJson {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw new MoodlensError('ERR_INVALID_MODEL', `Invalid face model: ${url.href} is not JSON`, {
      cause: error,
    })
  }
  const model = json as Partial<GraphModelJson> | null
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw invalid(`${url.href} is not a TF.js model.json`)
  }
  if (model.format !== undefined && model.format !== 'graph-model') {
    throw invalid(`format is "${String(model.format)}", expected "graph-model"`)
  }
  if (typeof model.modelTopology !== 'object' || model.modelTopology === null) {
    throw invalid('modelTopology is missing')
  }
  const manifest = model.weightsManifest
  if (
    !Array.isArray(manifest) ||
    !manifest.every(
      (group) =>
        Array.isArray(group?.paths) &&
        group.paths.every((path: unknown) => typeof path === 'string') &&
        Array.isArray(group.weights),
    )
  ) {
    throw invalid('weightsManifest must list groups of { paths, weights }')
  }
  return model as GraphModelJson
}

function weightBytes(weights: readonly tf.io.WeightsManifestEntry[]): number {
  return weights.reduce((sum, { shape, dtype, quantization, name }) => {
    const size = BYTES_PER_ELEMENT[quantization?.dtype ?? dtype]
    if (size === undefined || !Array.isArray(shape)) {
      throw invalid(`weight ${String(name)} has an unsupported dtype or no shape`)
    }
    return sum + size * shape.reduce((product, dim) => product * dim, 1)
  }, 0)
}

function isIoHandler(source: FaceModelSource): source is tf.io.IOHandler {
  return typeof source === 'object' && !(source instanceof URL)
}

/** Loading options of {@link loadFaceModel}. */
export interface FaceModelLoad {
  readonly signal?: AbortSignal | undefined
  /** Weight bytes read so far out of `total`. */
  readonly onBytes?: ((loaded: number, total: number) => void) | undefined
}

async function filesToHandler(
  modelUrl: URL,
  weightUrls: Readonly<Record<string, URL>>,
  { signal, onBytes }: FaceModelLoad,
): Promise<tf.io.IOHandler> {
  const json = parseModelJson(await readModelFile(modelUrl, signal, () => {}), modelUrl)
  const specs = json.weightsManifest.flatMap((group) => group.weights)
  const total = weightBytes(specs)
  let loaded = 0
  onBytes?.(0, total)
  const shards: Uint8Array[] = []
  for (const path of json.weightsManifest.flatMap((group) => group.paths)) {
    shards.push(
      await readModelFile(weightUrls[path] ?? new URL(path, modelUrl), signal, (bytes) => {
        loaded += bytes
        onBytes?.(Math.min(loaded, total), total)
      }),
    )
  }
  const weights = concat(
    shards,
    shards.reduce((sum, shard) => sum + shard.byteLength, 0),
  )
  if (weights.byteLength !== total) {
    throw invalid(
      `the weights hold ${weights.byteLength} bytes, the weightsManifest describes ${total}`,
    )
  }
  const weightData = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  ) as ArrayBuffer
  return {
    load: () =>
      Promise.resolve({
        format: 'graph-model',
        modelTopology: json.modelTopology,
        ...(json.signature ? { signature: json.signature } : {}),
        weightSpecs: specs,
        weightData,
      }),
  }
}

/**
 * Loads a BlazeFace graph model: the shipped one of `type`, or `source` (a `model.json` URL or an
 * IO handler). Files are read with progress and cancellation; nothing comes from a model hub.
 *
 * @throws {@link MoodlensError} `ERR_MODEL_FETCH`, `ERR_INVALID_MODEL` or `ERR_ABORTED`.
 *
 * @example
 * ```ts
 * const model = await loadFaceModel('short', undefined, { signal })
 * ```
 */
export async function loadFaceModel(
  type: FaceModelType,
  source: FaceModelSource | undefined,
  options: FaceModelLoad = {},
): Promise<GraphModel> {
  const { signal } = options
  throwIfAborted(signal)
  let handler: tf.io.IOHandler
  if (source === undefined) {
    handler = await filesToHandler(
      defaultFaceModelUrl(type),
      { 'weights.bin': shippedWeightUrl(type) },
      options,
    )
  } else if (isIoHandler(source)) {
    handler = source
  } else {
    handler = await filesToHandler(new URL(source), {}, options)
  }
  throwIfAborted(signal)
  let model: GraphModel
  try {
    // Imported on demand, like the face detector: only the detector needs the graph-model runtime.
    const { loadGraphModel } = await import('@tensorflow/tfjs-converter')
    model = await loadGraphModel(handler)
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal, 'Loading the face model')
    if (error instanceof MoodlensError) throw error
    throw new MoodlensError(
      'ERR_INVALID_MODEL',
      `Invalid face model: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  const [input] = model.inputs
  const side = input?.shape?.[1]
  if (model.inputs.length !== 1 || input?.shape?.length !== 4 || side !== input.shape[2]) {
    model.dispose()
    throw invalid('expected one square image input [1, size, size, 3]')
  }
  if (signal?.aborted) {
    model.dispose()
    throw abortedError(signal, 'Loading the face model')
  }
  return model
}
