// The backends each test environment runs the classifier on, and how the wasm backend finds its
// binaries there. Backends are registered on demand by activateBackend, as in applications (the
// root vitest config pre-bundles the backend packages so the browser page never reloads mid-run).
import * as tf from '@tensorflow/tfjs-core'
import { activateBackend, type WasmPaths } from '../activateBackend.ts'

export const IN_BROWSER: boolean = typeof window !== 'undefined'

/** Node: the binaries sit beside the backend's Node build. Browser: Vite serves node_modules. */
export const TEST_WASM_PATHS: WasmPaths | undefined = IN_BROWSER
  ? '/node_modules/@tensorflow/tfjs-backend-wasm/dist/'
  : undefined

export const TEST_BACKENDS: readonly string[] = IN_BROWSER
  ? ['cpu', 'webgl', 'wasm']
  : ['cpu', 'wasm']

export async function useTestBackend(name: string): Promise<void> {
  await activateBackend(name, TEST_WASM_PATHS)
  if (tf.getBackend() !== name) throw new Error(`backend ${name} is not active`)
}
