// The emotion models of moodlens and of its two JavaScript peers on the same faces: FER2013's
// PublicTest split (never PrivateTest), read from the shared data folder (../shared/data/fer2013
// from the repository root, or MOODLENS_FER2013_DIR), over the built package:
//   npm run build -w @moodlens/core && node packages/core/bench/peer-accuracy.mjs
// Each model gets the 48x48 grey face through its own preprocessing: moodlens' classifier
// (`classify`, grey bytes), face-api's `faceExpressionNet.predictExpressions` (its own resize to
// 112x112, grey copied into RGB), and Human's emotion model with the preprocessing of its
// `emotion.ts` (0-1 RGB, bilinear to 64x64, weighted grey, `(grey - 0.5) * 2`). Accuracy against
// FER2013's labels and against FER+'s unique majority among the seven emotions. TF.js wasm backend.
import { createReadStream, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createGunzip } from 'node:zlib'
import * as tf from '@tensorflow/tfjs-core'

const require = createRequire(import.meta.url)
const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']
// fer2013new.csv's vote columns, in its order (which differs from FER2013's label order).
const FERPLUS_EMOTIONS = ['neutral', 'happy', 'surprise', 'sad', 'angry', 'disgust', 'fear']
const FACEAPI_EMOTIONS = {
  angry: 'angry',
  disgusted: 'disgust',
  fearful: 'fear',
  happy: 'happy',
  sad: 'sad',
  surprised: 'surprise',
  neutral: 'neutral',
}
const SIDE = 48
const BATCH = 64

function dataDir() {
  const candidates = [
    process.env.MOODLENS_FER2013_DIR,
    fileURLToPath(new URL('../../../../shared/data/fer2013/', import.meta.url)),
    fileURLToPath(new URL('../../../shared/data/fer2013/', import.meta.url)),
  ]
  const found = candidates.find((dir) => dir && existsSync(path.join(dir, 'fer2013.csv.gz')))
  if (!found) {
    throw new Error(
      'Set MOODLENS_FER2013_DIR to the folder holding fer2013.csv.gz and fer2013new.csv ' +
        '(../shared/data/fer2013 from the repository root).',
    )
  }
  return found
}

// Rows of either file that cannot be read are counted and reported, never fatal (data README).
async function readPublicTest(dir) {
  const majorities = []
  for await (const line of createInterface({
    input: createReadStream(path.join(dir, 'fer2013new.csv')),
  })) {
    const [usage, , ...votes] = line.split(',')
    if (usage !== 'PublicTest') continue
    const counts = votes.slice(0, FERPLUS_EMOTIONS.length).map(Number)
    const top = Math.max(...counts)
    const unique = counts.every(Number.isFinite) && counts.filter((c) => c === top).length === 1
    majorities.push(unique ? FERPLUS_EMOTIONS[counts.indexOf(top)] : undefined)
  }
  const rows = []
  let index = -1
  let skipped = 0
  for await (const line of createInterface({
    input: createReadStream(path.join(dir, 'fer2013.csv.gz')).pipe(createGunzip()),
  })) {
    const [label, pixels, usage] = line.split(',')
    if (usage !== 'PublicTest') continue
    index++
    const values = (pixels ?? '').split(' ').map(Number)
    const emotion = EMOTIONS[Number(label)]
    if (
      emotion === undefined ||
      values.length !== SIDE * SIDE ||
      !values.every((value) => Number.isInteger(value) && value >= 0 && value <= 255)
    ) {
      skipped++
      continue
    }
    rows.push({ label: emotion, majority: majorities[index], data: Uint8Array.from(values) })
  }
  if (index + 1 !== majorities.length) {
    throw new Error(
      `fer2013new.csv has ${majorities.length} PublicTest rows, fer2013.csv ${index + 1}`,
    )
  }
  return { rows, skipped }
}

function batches(rows) {
  const out = []
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH))
  return out
}

async function predictMoodlens(rows) {
  const { createEmotionClassifier } = await import('../dist/index.js')
  const classifier = await createEmotionClassifier({ backend: 'wasm' })
  const predictions = []
  for (const batch of batches(rows)) {
    const results = await classifier.classify(
      batch.map(({ data }) => ({ width: SIDE, height: SIDE, data })),
    )
    predictions.push(...results.map(({ emotion }) => emotion))
  }
  classifier.dispose()
  return predictions
}

async function predictFaceApi(rows) {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js')
  const modelDir = path.join(
    path.dirname(require.resolve('@vladmandic/face-api/package.json')),
    'model',
  )
  await faceapi.nets.faceExpressionNet.loadFromDisk(modelDir)
  const predictions = []
  for (const batch of batches(rows)) {
    const inputs = batch.map(({ data }) =>
      tf.tidy(() => tf.tile(tf.tensor3d(data, [SIDE, SIDE, 1], 'int32'), [1, 1, 3])),
    )
    const results = await faceapi.nets.faceExpressionNet.predictExpressions(inputs)
    tf.dispose(inputs)
    for (const expressions of Array.isArray(results) ? results : [results]) {
      predictions.push(FACEAPI_EMOTIONS[expressions.asSortedArray()[0].expression])
    }
  }
  return predictions
}

async function predictHuman(rows) {
  const { createHumanPeer } = await import('./peer-human.mjs')
  const human = await createHumanPeer({ backend: 'wasm', maxFaces: 1 })
  const model = human.emotionModel
  const size = model.inputs[0].shape[2]
  // Human's constants.rgb: the weights of its grey conversion.
  const weights = tf.tensor1d([0.2989, 0.587, 0.114])
  const predictions = []
  for (const batch of batches(rows)) {
    const scores = tf.tidy(() => {
      const grey = tf.tensor4d(
        Float32Array.from(batch.flatMap(({ data }) => Array.from(data, (v) => v / 255))),
        [batch.length, SIDE, SIDE, 1],
      )
      const resized = tf.image.resizeBilinear(tf.tile(grey, [1, 1, 1, 3]), [size, size], false)
      const luma = tf.sum(tf.mul(resized, weights), 3, true)
      return model.execute(tf.mul(tf.sub(luma, 0.5), 2))
    })
    const values = await scores.array()
    scores.dispose()
    for (const row of values) predictions.push(EMOTIONS[row.indexOf(Math.max(...row))])
  }
  weights.dispose()
  return predictions
}

const started = performance.now()
const { rows, skipped } = await readPublicTest(dataDir())
await import('@tensorflow/tfjs-backend-wasm')
await tf.setBackend('wasm')
const models = [
  ['moodlens', predictMoodlens],
  ['face-api 1.7.15 (faceExpressionNet)', predictFaceApi],
  ['human 3.3.6 (emotion)', predictHuman],
]
const results = []
for (const [name, predict] of models) {
  const start = performance.now()
  const predictions = await predict(rows)
  const seconds = (performance.now() - start) / 1000
  const fer = rows.filter((row, i) => predictions[i] === row.label).length / rows.length
  const withMajority = rows.map((row, i) => [row, i]).filter(([row]) => row.majority)
  const ferPlus =
    withMajority.filter(([row, i]) => predictions[i] === row.majority).length / withMajority.length
  const counts = Object.fromEntries(EMOTIONS.map((emotion) => [emotion, 0]))
  for (const prediction of predictions) counts[prediction]++
  results.push({ name, fer, ferPlus, majorityFaces: withMajority.length, seconds, counts })
}

console.log(
  `FER2013 PublicTest: ${rows.length} faces (${skipped} rows skipped: no or malformed pixels); ` +
    `TF.js ${tf.getBackend()}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
)
console.log(
  'model                                 FER2013 acc  FER+ majority acc (n)  seconds  predictions per class',
)
for (const { name, fer, ferPlus, majorityFaces, seconds, counts } of results) {
  console.log(
    `${name.padEnd(36)}  ${(100 * fer).toFixed(2).padStart(10)}%  ` +
      `${(100 * ferPlus).toFixed(2).padStart(9)}% (${majorityFaces})  ${seconds.toFixed(1).padStart(7)}  ` +
      EMOTIONS.map((emotion) => `${emotion} ${counts[emotion]}`).join(', '),
  )
}
