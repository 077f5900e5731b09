import type { DetectorOptions } from '@moodlens/react/emotion'
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'

/**
 * The detector's options, one object for the app's lifetime (the hook loads once per identity).
 * The wasm backend's binaries are served by the app itself: Vite copies each `?url` import into
 * the build, so nothing is fetched from a CDN. The models come the same way, from `@moodlens/core`'s
 * own `new URL('../models/…', import.meta.url)` references.
 */
export const DETECTOR_OPTIONS: DetectorOptions = Object.freeze({
  wasmPaths: {
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  },
})
