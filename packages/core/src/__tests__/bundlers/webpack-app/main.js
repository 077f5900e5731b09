// A browser app that uses @moodlens/core as its users would. Webpack needs no configuration for
// the package: it copies the models through the package's own `new URL(..., import.meta.url)`
// references, and the wasm backend's binaries through the app's, below (webpack's counterpart of
// Vite's `?url` imports). The test reads the outcome from `window.moodlensResult`.
import { createEmotionDetector } from '@moodlens/core'

const wasmPaths = {
  'tfjs-backend-wasm.wasm': new URL(
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
    import.meta.url,
  ).href,
  'tfjs-backend-wasm-simd.wasm': new URL(
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
    import.meta.url,
  ).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm',
    import.meta.url,
  ).href,
}

async function detectFaces() {
  const image = document.querySelector('img')
  await image.decode()
  const detector = await createEmotionDetector({ backend: 'wasm', wasmPaths })
  try {
    const faces = await detector.detect(image)
    return {
      backend: detector.backend.name,
      faces: faces.map(({ box, emotion, probabilities }) => ({ box, emotion, probabilities })),
    }
  } finally {
    detector.dispose()
  }
}

detectFaces().then(
  (result) => {
    window.moodlensResult = result
  },
  (error) => {
    window.moodlensResult = { error: String(error instanceof Error ? error.stack : error) }
  },
)
