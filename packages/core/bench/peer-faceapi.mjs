// Baseline 1: @vladmandic/face-api (MIT), its Node WebAssembly build, with the models shipped in
// its npm package (`model/`, read from disk with its own `loadFromDisk`): a face detector (Tiny
// Face Detector by default, the one its docs recommend for real time; SSD MobileNetV1 with
// `--faceapi-detector=ssd`) and its expression model on each face.
import { createRequire } from 'node:module'
import path from 'node:path'
import { rgbaToTensor } from './peer-input.mjs'

const require = createRequire(import.meta.url)

// The node-wasm build `require`s @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm, which resolve
// to the very modules @moodlens/core imports: one TF.js engine, one registry of backends.
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js')
const modelDir = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'model',
)

// face-api's label names, mapped to FER2013's (and moodlens') vocabulary.
const EMOTIONS = {
  angry: 'angry',
  disgusted: 'disgust',
  fearful: 'fear',
  happy: 'happy',
  sad: 'sad',
  surprised: 'surprise',
  neutral: 'neutral',
}

/** Loads face-api's detector and expression model; the caller has set the TF.js backend. */
export async function createFaceApiPeer({ detector = 'tiny' } = {}) {
  const net = detector === 'ssd' ? faceapi.nets.ssdMobilenetv1 : faceapi.nets.tinyFaceDetector
  if (!net.isLoaded) await net.loadFromDisk(modelDir)
  if (!faceapi.nets.faceExpressionNet.isLoaded) {
    await faceapi.nets.faceExpressionNet.loadFromDisk(modelDir)
  }
  const options =
    detector === 'ssd' ? new faceapi.SsdMobilenetv1Options() : new faceapi.TinyFaceDetectorOptions()
  return {
    name: `face-api ${faceapi.version ?? '1.7'} (${detector === 'ssd' ? 'SSD MobileNetV1' : 'Tiny Face Detector'} + expression)`,
    short: 'face-api',
    /** RGBA frame in, `[{ emotion, confidence }]` out, one per face found. */
    async detect(image) {
      const tensor = rgbaToTensor(faceapi.tf, image)
      try {
        const faces = await faceapi.detectAllFaces(tensor, options).withFaceExpressions()
        return faces.map(({ expressions }) => {
          const [top] = expressions.asSortedArray()
          return { emotion: EMOTIONS[top.expression], confidence: top.probability }
        })
      } finally {
        tensor.dispose()
      }
    },
  }
}
