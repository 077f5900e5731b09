// The shipped model on real faces: FER2013's PublicTest split and its FER+ votes, read at test time
// from the shared data folder beside the clone (the images may not be redistributed, so none is
// committed). The exporter evaluated the same float16 weights in PyTorch and wrote its accuracies
// into model.json; TF.js must reproduce them (up to a few faces near a tie), and beyond that only
// robust properties of any trained checkpoint are asserted.
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createGunzip } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEmotionClassifier, type EmotionClassification } from './createEmotionClassifier.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import type { GreyFace } from './preprocessFaces.ts'

const DATA = new URL('../../../../shared/data/fer2013/', import.meta.url)
const FER2013 = fileURLToPath(new URL('fer2013.csv.gz', DATA))
const FERPLUS = fileURLToPath(new URL('fer2013new.csv', DATA))
const MODEL_JSON = fileURLToPath(new URL('../models/emotion/model.json', import.meta.url))
// FER+ vote columns, in fer2013new.csv's order (which differs from FER2013's label order).
const FERPLUS_EMOTIONS: readonly Emotion[] = [
  'neutral',
  'happy',
  'surprise',
  'sad',
  'angry',
  'disgust',
  'fear',
]
/** Accuracies may differ from PyTorch's by a few faces whose top two logits nearly tie. */
const ACCURACY_TOLERANCE = 0.005
const SIDE = 48

interface Row {
  readonly label: Emotion
  /** FER+'s unique majority among the seven emotions, if the votes have one. */
  readonly majority: Emotion | undefined
  readonly face: GreyFace
}

/** FER+ majorities of the PublicTest rows, in file order (aligned with fer2013.csv's rows). */
async function readFerPlusMajorities(): Promise<(Emotion | undefined)[]> {
  const majorities: (Emotion | undefined)[] = []
  const lines = createInterface({ input: createReadStream(FERPLUS) })
  for await (const line of lines) {
    const [usage, , ...votes] = line.split(',')
    if (usage !== 'PublicTest') continue
    const counts = votes.slice(0, FERPLUS_EMOTIONS.length).map(Number)
    const top = Math.max(...counts)
    const unique = counts.filter((count) => count === top).length === 1
    majorities.push(unique ? FERPLUS_EMOTIONS[counts.indexOf(top)] : undefined)
  }
  return majorities
}

/** PublicTest rows; rows without valid pixels are counted, never fatal (the data README's rule). */
async function readPublicTest(): Promise<{ rows: Row[]; skipped: number }> {
  const majorities = await readFerPlusMajorities()
  const rows: Row[] = []
  let skipped = 0
  let index = -1
  const lines = createInterface({ input: createReadStream(FER2013).pipe(createGunzip()) })
  for await (const line of lines) {
    const [label, pixels, usage] = line.split(',')
    if (usage !== 'PublicTest') continue
    index++
    const emotion = EMOTIONS[Number(label)]
    const values = (pixels ?? '').split(' ').map(Number)
    if (
      emotion === undefined ||
      values.length !== SIDE * SIDE ||
      !values.every((value) => Number.isInteger(value) && value >= 0 && value <= 255)
    ) {
      skipped++
      continue
    }
    rows.push({
      label: emotion,
      majority: majorities[index],
      face: { width: SIDE, height: SIDE, data: Uint8Array.from(values) },
    })
  }
  return { rows, skipped }
}

function mirrored({ width, height, data }: GreyFace): GreyFace {
  const flipped = new Uint8Array(data.length)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) flipped[y * width + x] = data[y * width + width - 1 - x]!
  }
  return { width, height, data: flipped }
}

describe('the shipped emotion model on FER2013 PublicTest (Node, wasm)', () => {
  let rows: Row[]
  let skipped: number
  let predictions: EmotionClassification[]
  let mirroredPredictions: EmotionClassification[]
  let metrics: {
    readonly fer2013Accuracy: number
    readonly ferplusMajorityAccuracy: number
    readonly ferplusMajorityN: number
  }

  beforeAll(async () => {
    const modelJson = JSON.parse(await readFile(MODEL_JSON, 'utf8')) as {
      training: { metricsPublicTest: typeof metrics }
    }
    metrics = modelJson.training.metricsPublicTest
    ;({ rows, skipped } = await readPublicTest())
    const classifier = await createEmotionClassifier({ backend: 'wasm' })
    predictions = []
    mirroredPredictions = []
    for (let start = 0; start < rows.length; start += 64) {
      const batch = rows.slice(start, start + 64).map((row) => row.face)
      predictions.push(...(await classifier.classify(batch)))
    }
    // Every fourth face, mirrored, is enough to measure agreement and keeps the test short.
    const sample = rows.filter((_, i) => i % 4 === 0).map((row) => mirrored(row.face))
    for (let start = 0; start < sample.length; start += 64) {
      mirroredPredictions.push(...(await classifier.classify(sample.slice(start, start + 64))))
    }
    classifier.dispose()
  }, 180_000)

  it('reads every PublicTest row with pixels and skips the 10 without', () => {
    expect(rows).toHaveLength(3579)
    expect(skipped).toBe(10)
  })

  it("matches the exporter's PyTorch accuracy on FER2013's labels", () => {
    const accuracy =
      predictions.filter((prediction, i) => prediction.emotion === rows[i]!.label).length /
      rows.length
    console.log(
      `FER2013 labels: TF.js ${accuracy.toFixed(4)}, PyTorch ${metrics.fer2013Accuracy.toFixed(4)}`,
    )
    expect(Math.abs(accuracy - metrics.fer2013Accuracy)).toBeLessThan(ACCURACY_TOLERANCE)
    // ... and that is well above always answering the most common emotion (happy).
    const happy = rows.filter((row) => row.label === 'happy').length
    expect(happy).toBe(891)
    expect(accuracy).toBeGreaterThan(happy / rows.length + 0.2)
  })

  it("matches the exporter's PyTorch accuracy on the FER+ majority votes", () => {
    const voted = rows.flatMap((row, i) =>
      row.majority ? [{ row, prediction: predictions[i]! }] : [],
    )
    expect(voted).toHaveLength(metrics.ferplusMajorityN)
    const accuracy =
      voted.filter(({ row, prediction }) => prediction.emotion === row.majority).length /
      voted.length
    console.log(
      `FER+ majority: TF.js ${accuracy.toFixed(4)}, PyTorch ${metrics.ferplusMajorityAccuracy.toFixed(4)}`,
    )
    expect(Math.abs(accuracy - metrics.ferplusMajorityAccuracy)).toBeLessThan(ACCURACY_TOLERANCE)
    expect(accuracy).toBeGreaterThan(0.7)
  })

  it('recognises most happy faces, and is usually right when it says happy', () => {
    const happy = rows.filter((row) => row.label === 'happy').length
    const saidHappy = predictions.filter((prediction) => prediction.emotion === 'happy').length
    const hits = predictions.filter(
      (prediction, i) => prediction.emotion === 'happy' && rows[i]!.label === 'happy',
    ).length
    expect(hits / happy).toBeGreaterThan(0.7)
    expect(hits / saidHappy).toBeGreaterThan(0.7)
  })

  it('mostly sees the same emotion in a face and its mirror image', () => {
    const agreeing = mirroredPredictions.filter(
      (prediction, i) => prediction.emotion === predictions[i * 4]!.emotion,
    ).length
    expect(mirroredPredictions).toHaveLength(Math.ceil(rows.length / 4))
    expect(agreeing / mirroredPredictions.length).toBeGreaterThan(0.85)
  })

  it('returns probabilities that sum to 1 for every face', () => {
    for (const { probabilities, confidence } of predictions) {
      const values = Object.values(probabilities)
      expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9)
      expect(confidence).toBe(Math.max(...values))
    }
  })
})
