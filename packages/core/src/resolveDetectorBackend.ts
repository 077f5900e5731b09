import * as tf from '@tensorflow/tfjs-core'
import { activateBackend, type WasmPaths } from './activateBackend.ts'
import type { DetectorBackend } from './EmotionDetector.ts'
import { MoodlensError } from './MoodlensError.ts'

/**
 * The backends `createEmotionDetector` can run on. `auto` picks one: `webgl` in browsers (falling
 * back to `wasm`, then `cpu`), `wasm` in Node (falling back to `cpu`). `webgpu` needs
 * `@tensorflow/tfjs-backend-webgpu` imported by the application; `tensorflow` needs
 * `@tensorflow/tfjs-node` or `@tensorflow/tfjs-node-gpu` installed (Node only).
 *
 * @example
 * ```ts
 * import type { DetectorBackendName } from '@moodlens/core'
 *
 * const backend: DetectorBackendName = 'wasm'
 * ```
 */
export type DetectorBackendName = 'auto' | 'webgl' | 'wasm' | 'cpu' | 'webgpu' | 'tensorflow'

/**
 * The backend `createEmotionDetector` uses unless told otherwise.
 *
 * @example
 * ```ts
 * import { DEFAULT_DETECTOR_BACKEND } from '@moodlens/core'
 *
 * console.log(DEFAULT_DETECTOR_BACKEND) // 'auto'
 * ```
 */
export const DEFAULT_DETECTOR_BACKEND: DetectorBackendName = 'auto'

/** The names `backend` accepts, for option checking. */
export const DETECTOR_BACKENDS: readonly DetectorBackendName[] = [
  'auto',
  'webgl',
  'wasm',
  'cpu',
  'webgpu',
  'tensorflow',
]

// Node, as opposed to browsers and their workers (Deno and Bun count as Node here: no WebGL).
function inNode(): boolean {
  const node = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions
    ?.node
  return typeof node === 'string' && typeof (globalThis as { window?: unknown }).window !== 'object'
}

function unavailable(name: string, message: string, cause?: unknown): MoodlensError {
  return new MoodlensError('ERR_BACKEND_UNAVAILABLE', `TF.js backend "${name}": ${message}`, {
    cause,
  })
}

// Packages the application may or may not have installed. The specifier is computed and marked
// so that bundlers neither resolve it (a missing optional package must not break a build) nor
// bundle it; only runtimes that resolve bare specifiers themselves (Node) can load it this way.
async function importOptional(scope: string, name: string): Promise<void> {
  const specifier = [scope, name].join('/')
  await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)
}

async function setRegistered(name: string): Promise<void> {
  let ready: boolean
  try {
    ready = await tf.setBackend(name)
  } catch (error) {
    throw unavailable(name, 'it failed to initialise', error)
  }
  if (!ready) throw unavailable(name, 'it failed to initialise')
}

async function activateTensorflow(): Promise<string> {
  if (!inNode()) throw unavailable('tensorflow', 'it runs in Node only')
  if (tf.findBackendFactory('tensorflow') === null) {
    const failures: unknown[] = []
    for (const name of ['tfjs-node', 'tfjs-node-gpu']) {
      try {
        await importOptional('@tensorflow', name)
        break
      } catch (error) {
        failures.push(error)
      }
    }
    if (tf.findBackendFactory('tensorflow') === null) {
      throw unavailable(
        'tensorflow',
        'install @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu (optional peer dependencies ' +
          'of @moodlens/core) to use it',
        new AggregateError(failures, 'neither package could be imported'),
      )
    }
  }
  await setRegistered('tensorflow')
  return 'the native TensorFlow backend of @tensorflow/tfjs-node, as requested'
}

async function activateWebgpu(): Promise<string> {
  if (tf.findBackendFactory('webgpu') === null) {
    try {
      await importOptional('@tensorflow', 'tfjs-backend-webgpu')
    } catch (error) {
      throw unavailable(
        'webgpu',
        "import '@tensorflow/tfjs-backend-webgpu' in the application before creating the detector",
        error,
      )
    }
  }
  if (tf.findBackendFactory('webgpu') === null) {
    throw unavailable('webgpu', "import '@tensorflow/tfjs-backend-webgpu' first")
  }
  await setRegistered('webgpu')
  return 'WebGPU, as requested'
}

async function firstAvailable(
  candidates: readonly string[],
  wasmPaths: WasmPaths | undefined,
  where: string,
): Promise<DetectorBackend> {
  const skipped: string[] = []
  for (const name of candidates) {
    try {
      await activateBackend(name, wasmPaths)
      const because =
        skipped.length === 0
          ? `auto: ${name}, the first choice ${where}`
          : `auto: ${name}, the first choice ${where} that started (${skipped.join('; ')})`
      return { name, reason: because }
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error)
      skipped.push(`${name} unavailable: ${detail}`)
    }
  }
  throw unavailable('auto', `no backend could start: ${skipped.join('; ')}`)
}

/**
 * Registers (importing the official packages on demand) and activates the detector's backend,
 * and says why it was chosen.
 *
 * @throws {@link MoodlensError} `ERR_BACKEND_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const { name, reason } = await resolveDetectorBackend('auto', undefined)
 * ```
 */
export async function resolveDetectorBackend(
  requested: DetectorBackendName,
  wasmPaths: WasmPaths | undefined,
): Promise<DetectorBackend> {
  switch (requested) {
    case 'auto':
      return inNode()
        ? firstAvailable(['wasm', 'cpu'], wasmPaths, 'in Node')
        : firstAvailable(['webgl', 'wasm', 'cpu'], wasmPaths, 'in browsers')
    case 'tensorflow':
      return { name: 'tensorflow', reason: await activateTensorflow() }
    case 'webgpu':
      return { name: 'webgpu', reason: await activateWebgpu() }
    default:
      return {
        name: await activateBackend(requested, wasmPaths),
        reason: `${requested}, as requested`,
      }
  }
}
