// The in-page half of classifier-browser.mjs, bundled by esbuild with the built package: it runs
// in Chromium, where `import.meta.url` is the served bundle's URL, so the package finds its shipped
// model through its own `new URL('../models/emotion/model.json', import.meta.url)`.
import * as tf from '@tensorflow/tfjs-core'
import { createEmotionClassifier } from '../dist/index.js'
import { median, seededFaces } from './benchFaces.js'

// What WebGL is underneath: headless Chromium without a GPU answers with SwiftShader, a CPU
// rasteriser, which the reader must know to judge the webgl figure. A throwaway canvas, because
// TF.js keeps its own context private.
function webglRenderer() {
  const gl =
    document.createElement('canvas').getContext('webgl2') ??
    document.createElement('canvas').getContext('webgl')
  if (gl === null) return 'no WebGL context'
  const info = gl.getExtension('WEBGL_debug_renderer_info')
  const renderer = info
    ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL)
    : gl.getParameter(gl.RENDERER)
  gl.getExtension('WEBGL_lose_context')?.loseContext()
  return String(renderer)
}

async function backendDetails(backend) {
  if (backend === 'webgl') {
    return { renderer: webglRenderer(), webglVersion: tf.env().getNumber('WEBGL_VERSION') }
  }
  if (backend === 'wasm') {
    return {
      simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
    }
  }
  return {}
}

/**
 * Times `classify` on one backend: per batch, `warmUp` untimed calls then `runs` timed ones;
 * returns the median ms per face and what actually ran.
 */
async function measure({ backend, batches, warmUp, runs, wasmPaths }) {
  const classifier = await createEmotionClassifier({ backend, wasmPaths })
  const results = []
  try {
    for (const batch of batches) {
      const faces = seededFaces(batch, classifier.inputSize)
      for (let i = 0; i < warmUp; i++) await classifier.classify(faces)
      const times = []
      for (let i = 0; i < runs; i++) {
        const start = performance.now()
        await classifier.classify(faces)
        times.push(performance.now() - start)
      }
      results.push({ batch, perFace: median(times) / batch, runs: times.length })
    }
    return {
      requested: backend,
      classifierBackend: classifier.backend,
      activeBackend: tf.getBackend(),
      details: await backendDetails(classifier.backend),
      results,
    }
  } finally {
    classifier.dispose()
  }
}

globalThis.moodlensClassifierBench = measure
