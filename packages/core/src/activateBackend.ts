import * as tf from '@tensorflow/tfjs-core'
import { MoodlensError } from './MoodlensError.ts'

/**
 * A TF.js backend name. The official `cpu`, `wasm` and `webgl` backends are imported and
 * registered on demand; any other name must be registered by the application first.
 *
 * @example
 * ```ts
 * import type { EmotionClassifierBackend } from '@moodlens/core'
 *
 * const backend: EmotionClassifierBackend = 'wasm'
 * ```
 */
export type EmotionClassifierBackend = 'cpu' | 'wasm' | 'webgl' | (string & {})

/**
 * Where the WebAssembly backend finds its `.wasm` binaries: a URL prefix (ending in `/`) or one
 * URL per file, as `setWasmPaths` of `@tensorflow/tfjs-backend-wasm` takes them.
 *
 * @example
 * ```ts
 * import type { WasmPaths } from '@moodlens/core'
 *
 * const paths: WasmPaths = 'https://cdn.jsdelivr.net/npm/@tensorflow/tfjs-backend-wasm@4.22.0/dist/'
 * ```
 */
export type WasmPaths =
  | string
  | {
      readonly 'tfjs-backend-wasm.wasm'?: string
      readonly 'tfjs-backend-wasm-simd.wasm'?: string
      readonly 'tfjs-backend-wasm-threaded-simd.wasm'?: string
    }

function unavailable(name: string, message: string, cause?: unknown): MoodlensError {
  return new MoodlensError('ERR_BACKEND_UNAVAILABLE', `TF.js backend "${name}": ${message}`, {
    cause,
  })
}

// Importing an official backend package registers it (the packages' documented side effect).
async function importBackend(name: string, wasmPaths: WasmPaths | undefined): Promise<void> {
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu')
  else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl')
  else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm')
    // Only effective before the backend's first initialisation, which is when it matters.
    if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths)
  }
}

const OFFICIAL_BACKENDS = new Set(['cpu', 'wasm', 'webgl'])

/**
 * Makes `name` the active TF.js backend, importing and registering the official ones when needed,
 * and returns the name in use. Without a name, keeps the active backend (TF.js initialises the
 * best registered one), or registers `cpu` when none is registered.
 *
 * @throws {@link MoodlensError} `ERR_BACKEND_UNAVAILABLE` when the backend is neither registered
 * nor importable, or fails to initialise.
 *
 * @example
 * ```ts
 * const backend = await activateBackend('wasm', undefined) // 'wasm'
 * ```
 */
export async function activateBackend(
  name: EmotionClassifierBackend | undefined,
  wasmPaths: WasmPaths | undefined,
): Promise<string> {
  if (name === undefined) {
    try {
      await tf.ready()
      return tf.getBackend()
    } catch {
      // No registered backend could start: fall back to the portable one.
      name = 'cpu'
    }
  }
  const registered = tf.findBackendFactory(name) !== null
  // wasm's paths are set through its module, so it is imported for them even when registered.
  if (
    OFFICIAL_BACKENDS.has(name) &&
    (!registered || (name === 'wasm' && wasmPaths !== undefined))
  ) {
    try {
      await importBackend(name, wasmPaths)
    } catch (error) {
      throw unavailable(name, 'its package could not be imported (is it installed?)', error)
    }
  }
  if (!tf.findBackendFactory(name)) {
    throw unavailable(
      name,
      'it is not registered; import its package before creating the classifier',
    )
  }
  let ready: boolean
  try {
    ready = await tf.setBackend(name)
  } catch (error) {
    throw unavailable(name, 'it failed to initialise', error)
  }
  if (!ready) throw unavailable(name, 'it failed to initialise')
  return name
}
