import type * as FsPromises from 'node:fs/promises'
import { MoodlensError } from './MoodlensError.ts'
import { parseEmotionModelJson, type EmotionModelSpec } from './parseEmotionModelJson.ts'
import { abortedError, throwIfAborted } from './throwIfAborted.ts'

/**
 * What a self-hosting {@link EmotionModelHandler} hands back: the parsed `model.json` and the
 * weight shards concatenated in manifest order.
 *
 * @example
 * ```ts
 * import type { EmotionModelArtifacts } from '@moodlens/core'
 *
 * const artifacts: EmotionModelArtifacts = {
 *   modelJson: await (await fetch('/models/emotion/model.json')).json(),
 *   weights: await (await fetch('/models/emotion/weights.bin')).arrayBuffer(),
 * }
 * ```
 */
export interface EmotionModelArtifacts {
  /** The parsed `model.json` (validated by the classifier). */
  readonly modelJson: unknown
  /** Every shard of the `weightsManifest`, concatenated in manifest order. */
  readonly weights: ArrayBuffer | ArrayBufferView
}

/**
 * Loads the emotion model from anywhere (IndexedDB, a bundle, an authenticated endpoint); pass it
 * as `modelUrl`. It receives the caller's `AbortSignal`.
 *
 * @example
 * ```ts
 * import { createEmotionClassifier, type EmotionModelHandler } from '@moodlens/core'
 *
 * const fromCdn: EmotionModelHandler = {
 *   async load({ signal }) {
 *     const base = 'https://cdn.example.com/moodlens/emotion/'
 *     const modelJson = await (await fetch(base + 'model.json', { signal })).json()
 *     const weights = await (await fetch(base + 'weights.bin', { signal })).arrayBuffer()
 *     return { modelJson, weights }
 *   },
 * }
 * const classifier = await createEmotionClassifier({ modelUrl: fromCdn })
 * ```
 */
export interface EmotionModelHandler {
  load(options: { readonly signal?: AbortSignal }): Promise<EmotionModelArtifacts>
}

/**
 * Where a model comes from: the URL of its `model.json` (weight files resolve relative to it), or
 * a handler that loads it.
 *
 * @example
 * ```ts
 * import type { EmotionModelSource } from '@moodlens/core'
 *
 * const selfHosted: EmotionModelSource = 'https://static.example.com/moodlens/emotion/model.json'
 * ```
 */
export type EmotionModelSource = string | URL | EmotionModelHandler

/** A validated model and its weight bytes. */
export interface EmotionModelFiles {
  readonly spec: EmotionModelSpec
  readonly weights: Uint8Array
}

interface LoadOptions {
  readonly signal?: AbortSignal | undefined
  /** Weight bytes read so far out of `total`. */
  readonly onBytes?: ((loaded: number, total: number) => void) | undefined
  /**
   * Where named weight files are, overriding their resolution relative to `model.json` (the
   * shipped model names its shard with its own literal URL, which bundlers copy and rewrite).
   */
  readonly weightUrls?: Readonly<Record<string, URL>> | undefined
}

function fetchFailed(url: URL, detail: string, cause?: unknown): MoodlensError {
  return new MoodlensError('ERR_MODEL_FETCH', `Could not load ${url.href}: ${detail}`, {
    cause,
  })
}

async function readFileUrl(url: URL, signal: AbortSignal | undefined): Promise<Uint8Array> {
  // Reached only for file: URLs, which only Node (and Deno, Bun) can read. The specifier is
  // computed (a literal would be folded back in by the build) and marked, so that browser bundlers
  // (esbuild, webpack, Vite) neither resolve nor bundle a Node built-in they could not serve.
  const fsPromises = ['node:fs', 'promises'].join('/')
  const { readFile } = (await import(
    /* @vite-ignore */ /* webpackIgnore: true */ fsPromises
  )) as typeof FsPromises
  const bytes = await readFile(url, signal ? { signal } : {})
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

async function fetchUrl(
  url: URL,
  signal: AbortSignal | undefined,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  const response = await fetch(url, signal ? { signal } : {})
  if (!response.ok) throw fetchFailed(url, `HTTP ${response.status} ${response.statusText}`.trim())
  if (!response.body) return new Uint8Array(await response.arrayBuffer())
  const chunks: Uint8Array[] = []
  let length = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    length += value.byteLength
    onChunk(value.byteLength)
  }
  return concat(chunks, length)
}

/** Joins byte chunks into one array (the only chunk itself when there is one). */
export function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const joined = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.byteLength
  }
  return joined
}

/**
 * Reads one model file: `fetch` with progress per chunk, or the file system for `file:` URLs
 * (Node). Failures become `ERR_MODEL_FETCH`, cancellation `ERR_ABORTED`.
 *
 * @example
 * ```ts
 * const bytes = await readModelFile(new URL('./model.json', base), signal, () => {})
 * ```
 */
export async function readModelFile(
  url: URL,
  signal: AbortSignal | undefined,
  onChunk: (bytes: number) => void,
): Promise<Uint8Array> {
  throwIfAborted(signal)
  try {
    if (url.protocol === 'file:') {
      const bytes = await readFileUrl(url, signal)
      onChunk(bytes.byteLength)
      return bytes
    }
    return await fetchUrl(url, signal, onChunk)
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal)
    if (error instanceof MoodlensError) throw error
    throw fetchFailed(url, error instanceof Error ? error.message : String(error), error)
  }
}

function toBytes(weights: unknown): Uint8Array {
  if (weights instanceof ArrayBuffer) return new Uint8Array(weights)
  if (ArrayBuffer.isView(weights)) {
    return new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength)
  }
  throw new MoodlensError(
    'ERR_INVALID_MODEL',
    'Invalid emotion model: the handler returned no weights ArrayBuffer',
  )
}

function checkWeightBytes(spec: EmotionModelSpec, weights: Uint8Array): void {
  if (weights.byteLength !== spec.weightBytes) {
    throw new MoodlensError(
      'ERR_INVALID_MODEL',
      `Invalid emotion model: the weights hold ${weights.byteLength} bytes, the weightsManifest describes ${spec.weightBytes}`,
    )
  }
}

function parseJson(bytes: Uint8Array, url: URL): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw new MoodlensError('ERR_INVALID_MODEL', `Invalid emotion model: ${url.href} is not JSON`, {
      cause: error,
    })
  }
}

/**
 * Fetches (or reads, for `file:` URLs) `model.json`, validates it, then loads its weight shards
 * relative to it; or asks a handler for both. The model is validated before any weight is fetched.
 *
 * @throws {@link MoodlensError} `ERR_MODEL_FETCH`, `ERR_INVALID_MODEL` or `ERR_ABORTED`.
 *
 * @example
 * ```ts
 * const { spec, weights } = await loadEmotionModelFiles(new URL('./model.json', import.meta.url))
 * ```
 */
export async function loadEmotionModelFiles(
  source: EmotionModelSource,
  options: LoadOptions = {},
): Promise<EmotionModelFiles> {
  const { signal, onBytes, weightUrls } = options
  throwIfAborted(signal)
  if (typeof source === 'object' && !(source instanceof URL)) {
    let artifacts: EmotionModelArtifacts
    try {
      artifacts = await source.load(signal ? { signal } : {})
    } catch (error) {
      if (signal?.aborted) throw abortedError(signal)
      if (error instanceof MoodlensError) throw error
      throw new MoodlensError('ERR_MODEL_FETCH', 'The emotion model handler failed to load', {
        cause: error,
      })
    }
    throwIfAborted(signal)
    if (typeof artifacts !== 'object' || artifacts === null) {
      throw new MoodlensError(
        'ERR_INVALID_MODEL',
        'Invalid emotion model: the handler returned nothing',
      )
    }
    const spec = parseEmotionModelJson(artifacts.modelJson)
    const weights = toBytes(artifacts.weights)
    checkWeightBytes(spec, weights)
    onBytes?.(weights.byteLength, spec.weightBytes)
    return { spec, weights }
  }

  const modelUrl = new URL(source)
  const spec = parseEmotionModelJson(
    parseJson(await readModelFile(modelUrl, signal, () => {}), modelUrl),
  )
  let loaded = 0
  onBytes?.(0, spec.weightBytes)
  const shards: Uint8Array[] = []
  for (const path of spec.weightPaths) {
    shards.push(
      await readModelFile(weightUrls?.[path] ?? new URL(path, modelUrl), signal, (bytes) => {
        loaded += bytes
        onBytes?.(Math.min(loaded, spec.weightBytes), spec.weightBytes)
      }),
    )
  }
  const weights = concat(
    shards,
    shards.reduce((sum, shard) => sum + shard.byteLength, 0),
  )
  checkWeightBytes(spec, weights)
  return { spec, weights }
}
