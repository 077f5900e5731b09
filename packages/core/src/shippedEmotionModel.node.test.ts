// The shipped model on real faces: FER2013's PublicTest split, read at test time from the shared
// data folder beside the clone (the images may not be redistributed, so none is committed).
// Only robust properties are asserted: they must hold for any trained checkpoint, not one run.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createGunzip } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEmotionClassifier, type EmotionClassification } from './createEmotionClassifier.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import type { GreyFace } from './preprocessFaces.ts'

const FER2013 = fileURLToPath(
  new URL('../../../../shared/data/fer2013/fer2013.csv.gz', import.meta.url),
)
const SIDE = 48

interface Row {
  readonly label: Emotion
  readonly face: GreyFace
}

/** PublicTest rows; rows without valid pixels are counted, never fatal (the data README's rule). */
async function readPublicTest(): Promise<{ rows: Row[]; skipped: number }> {
  const rows: Row[] = []
  let skipped = 0
  const lines = createInterface({ input: createReadStream(FER2013).pipe(createGunzip()) })
  for await (const line of lines) {
    const [label, pixels, usage] = line.split(',')
    if (usage !== 'PublicTest') continue
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

  beforeAll(async () => {
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

  it('beats always answering the most common emotion', () => {
    const counts = new Map<Emotion, number>()
    for (const { label } of rows) counts.set(label, (counts.get(label) ?? 0) + 1)
    const majorityRate = Math.max(...counts.values()) / rows.length
    const accuracy =
      predictions.filter((prediction, i) => prediction.emotion === rows[i]!.label).length /
      rows.length
    expect(majorityRate).toBeCloseTo(891 / 3579, 6) // happy
    expect(accuracy).toBeGreaterThan(majorityRate + 0.05)
  })

  it('recognises most happy faces, and is usually right when it says happy', () => {
    const happy = rows.filter((row) => row.label === 'happy').length
    const saidHappy = predictions.filter((prediction) => prediction.emotion === 'happy').length
    const hits = predictions.filter(
      (prediction, i) => prediction.emotion === 'happy' && rows[i]!.label === 'happy',
    ).length
    expect(hits / happy).toBeGreaterThan(0.5)
    expect(hits / saidHappy).toBeGreaterThan(0.5)
  })

  it('mostly sees the same emotion in a face and its mirror image', () => {
    const agreeing = mirroredPredictions.filter(
      (prediction, i) => prediction.emotion === predictions[i * 4]!.emotion,
    ).length
    expect(mirroredPredictions).toHaveLength(Math.ceil(rows.length / 4))
    expect(agreeing / mirroredPredictions.length).toBeGreaterThan(0.8)
  })

  it('returns probabilities that sum to 1 for every face', () => {
    for (const { probabilities, confidence } of predictions) {
      const values = Object.values(probabilities)
      expect(Math.abs(values.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9)
      expect(confidence).toBe(Math.max(...values))
    }
  })
})
