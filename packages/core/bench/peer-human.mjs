// Baseline 2: @vladmandic/human (MIT), its Node WebAssembly build, with the models shipped in its
// npm package (`models/`): its BlazeFace detector and its emotion model, everything else (mesh,
// iris, description, body, hands, gestures, image filters) switched off, so that it does the same
// work as moodlens. Its frame cache is off too (`cacheSensitivity: 0`, `skipFrames: 0`): on
// repeated identical frames it would otherwise return cached results without running the models.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { rgbaToTensor } from './peer-input.mjs'

const require = createRequire(import.meta.url)

// The package's `exports` only names its tfjs-node build (which cannot be installed here); the
// WebAssembly build sits beside it. Like face-api's, it `require`s the TF.js modules that
// @moodlens/core imports, so all three share one engine.
const distDir = path.dirname(require.resolve('@vladmandic/human'))
const { Human } = require(path.join(distDir, 'human.node-wasm.js'))
const { version } = require(path.join(distDir, '..', 'package.json'))
const modelsUrl = `${pathToFileURL(path.join(distDir, '..', 'models')).href}/`
const wasmDir = `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`

// Human loads `file://` model URLs with `fetch`, which Node does not implement for files (its
// tfjs-node build adds a file handler; the wasm build has none). A TF.js load router for Human's
// own models folder, and nothing else, reads them from disk instead.
let routerRegistered = false
function registerModelRouter(tf) {
  if (routerRegistered) return
  routerRegistered = true
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith(modelsUrl)) return null
    return {
      async load() {
        const file = fileURLToPath(url)
        const model = JSON.parse(await readFile(file, 'utf8'))
        const weightSpecs = []
        const buffers = []
        for (const group of model.weightsManifest) {
          weightSpecs.push(...group.weights)
          for (const part of group.paths) {
            buffers.push(await readFile(path.join(path.dirname(file), part)))
          }
        }
        const weights = Buffer.concat(buffers)
        return {
          modelTopology: model.modelTopology,
          format: model.format,
          generatedBy: model.generatedBy,
          convertedBy: model.convertedBy,
          signature: model.signature,
          userDefinedMetadata: model.userDefinedMetadata,
          weightSpecs,
          weightData: weights.buffer.slice(
            weights.byteOffset,
            weights.byteOffset + weights.byteLength,
          ),
        }
      },
    }
  })
}

/** Loads Human's BlazeFace and emotion model on `backend` (which Human itself activates). */
export async function createHumanPeer({ backend, maxFaces }) {
  const human = new Human({
    backend,
    wasmPath: wasmDir,
    modelBasePath: modelsUrl,
    debug: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: maxFaces, skipFrames: 0, skipTime: 0 },
      mesh: { enabled: false },
      iris: { enabled: false },
      attention: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      emotion: { enabled: true, skipFrames: 0, skipTime: 0 },
    },
  })
  registerModelRouter(human.tf)
  await human.load()
  // Human sets its backend on its first detect; doing it now keeps that out of the timings.
  await human.init()
  return {
    name: `human ${version} (BlazeFace + emotion)`,
    short: 'human',
    /** The emotion GraphModel alone (the accuracy bench runs it on FER2013 faces). */
    emotionModel: human.models.models.emotion,
    async detect(image) {
      const tensor = rgbaToTensor(human.tf, image)
      try {
        const result = await human.detect(tensor)
        if (result.error) throw new Error(`human: ${result.error}`)
        return result.face.map(({ emotion }) => ({
          emotion: emotion?.[0]?.emotion,
          confidence: emotion?.[0]?.score,
        }))
      } finally {
        tensor.dispose()
      }
    },
  }
}
