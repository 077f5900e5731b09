// Parity of the shipped model between the PyTorch exporter and this TF.js interpreter: the fixture
// holds PyTorch's logits for face crops and synthetic images, computed from the same exported
// (folded, float16-rounded) weights, so the two sides differ only by float32 arithmetic.
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import parity from './__tests__/fixtures/emotion-parity.json'
import { TEST_BACKENDS, TEST_WASM_PATHS, useTestBackend } from './__tests__/testBackends.ts'
import { buildEmotionModel, type EmotionModel } from './buildEmotionModel.ts'
import { createEmotionClassifier, defaultEmotionModelUrl } from './createEmotionClassifier.ts'
import { EMOTIONS } from './emotions.ts'
import { loadEmotionModelFiles } from './loadEmotionModelFiles.ts'
import { facesToBatch, type GreyFace } from './preprocessFaces.ts'
import { softmax } from './softmax.ts'

/** The brief's bound on |TF.js logit - PyTorch logit|. */
const LOGIT_TOLERANCE = 1e-3

interface ParityCase {
  readonly name: string
  readonly width: number
  readonly height: number
  readonly pixels: string
  readonly logits: readonly number[]
}

const cases = parity.cases as readonly ParityCase[]
const faces: GreyFace[] = cases.map(({ width, height, pixels }) => ({
  width,
  height,
  data: Uint8Array.from(atob(pixels), (char) => char.charCodeAt(0)),
}))

describe.each(TEST_BACKENDS)('the shipped emotion model on %s', (backend) => {
  let model: EmotionModel

  beforeAll(async () => {
    await useTestBackend(backend)
    const { spec, weights } = await loadEmotionModelFiles(defaultEmotionModelUrl())
    model = buildEmotionModel(spec, weights)
  })
  afterAll(() => model.dispose())

  it('has the fixture input size and the FER2013 label order', () => {
    expect(model.spec.inputSize).toBe(parity.inputSize)
    expect(model.spec.labels).toEqual(parity.labels)
    expect(cases.length).toBeGreaterThanOrEqual(10)
    for (const face of faces) expect(face.data).toHaveLength(parity.inputSize ** 2)
  })

  it(`gives PyTorch's logits within ${LOGIT_TOLERANCE} on every parity case`, async () => {
    const logits = tf.tidy(() => model.predict(facesToBatch(faces, model.spec)))
    const actual = (await logits.array()) as number[][]
    logits.dispose()
    const deviations = cases.map(({ name, logits: expected }, i) => ({
      name,
      deviation: Math.max(...expected.map((value, j) => Math.abs(actual[i]![j]! - value))),
    }))
    const worst = deviations.reduce((a, b) => (b.deviation > a.deviation ? b : a))
    console.log(
      `parity on ${backend}: worst |logit difference| ${worst.deviation.toExponential(2)} (${worst.name})`,
    )
    expect(worst.deviation, `worst case: ${worst.name}`).toBeLessThan(LOGIT_TOLERANCE)
  })

  it('classifies the parity cases through the public API like PyTorch', async () => {
    const classifier = await createEmotionClassifier({ backend, wasmPaths: TEST_WASM_PATHS })
    const results = await classifier.classify(faces)
    classifier.dispose()
    results.forEach((result, i) => {
      const expected = softmax(cases[i]!.logits)
      EMOTIONS.forEach((emotion, j) => {
        expect(Math.abs(result.probabilities[emotion] - expected[j]!)).toBeLessThan(LOGIT_TOLERANCE)
      })
      const sorted = [...expected].sort((a, b) => b - a)
      // Only where PyTorch's top emotion leads clearly is the argmax a stable expectation.
      if (sorted[0]! - sorted[1]! > 0.01) {
        expect(result.emotion).toBe(EMOTIONS[expected.indexOf(sorted[0]!)])
      }
    })
  })
})
