import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { roundToFloat16 } from './__tests__/float16.ts'
import { TEST_BACKENDS, useTestBackend } from './__tests__/testBackends.ts'
import {
  miniMobileNet,
  randomFace,
  TestModelBuilder,
  type TestFace,
  type TestModel,
} from './__tests__/testEmotionModel.ts'
import { buildEmotionModel, type EmotionModel } from './buildEmotionModel.ts'
import { loadEmotionModelFiles } from './loadEmotionModelFiles.ts'
import { facesToBatch } from './preprocessFaces.ts'

async function build(model: TestModel): Promise<EmotionModel> {
  const { spec, weights } = await loadEmotionModelFiles(model.handler())
  return buildEmotionModel(spec, weights)
}

async function logitsOf(model: EmotionModel, faces: readonly TestFace[]): Promise<number[][]> {
  const logits = tf.tidy(() => model.predict(facesToBatch(faces, model.spec)))
  try {
    return (await logits.array()) as number[][]
  } finally {
    logits.dispose()
  }
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance: number) {
  expect(actual).toHaveLength(expected.length)
  const worst = Math.max(...actual.map((value, i) => Math.abs(value - expected[i]!)))
  expect(worst).toBeLessThan(tolerance)
}

describe.each(TEST_BACKENDS)('the emotion graph on %s', (backend) => {
  beforeAll(() => useTestBackend(backend))

  it('matches the double-precision reference on a MobileNetV2-shaped graph (float16 weights)', async () => {
    const source = miniMobileNet({ seed: 7 })
    const model = await build(source)
    const faces = [randomFace(1, 12), randomFace(2, 12), randomFace(3, 12)]
    const logits = await logitsOf(model, faces)
    faces.forEach((face, i) => expectClose(logits[i]!, source.reference(face), 1e-4))
    // The faces differ, so must their logits: a graph ignoring its input cannot pass.
    const spread = Math.max(...logits[0]!.map((value, i) => Math.abs(value - logits[1]![i]!)))
    expect(spread).toBeGreaterThan(1e-2)
    model.dispose()
  })

  it('reads float32 weights manifests', async () => {
    const source = miniMobileNet({ seed: 8, float16: false, inputSize: 16 })
    const model = await build(source)
    const faces = [randomFace(4, 16), randomFace(5, 16)]
    const logits = await logitsOf(model, faces)
    faces.forEach((face, i) => expectClose(logits[i]!, source.reference(face), 1e-4))
    model.dispose()
  })

  it('resizes faces of any size bilinearly with half-pixel centres', async () => {
    const source = miniMobileNet({ seed: 9 })
    const model = await build(source)
    const faces = [randomFace(6, 31, 17), randomFace(7, 12), randomFace(8, 5, 9)]
    const logits = await logitsOf(model, faces)
    faces.forEach((face, i) => expectClose(logits[i]!, source.reference(face), 1e-4))
    model.dispose()
  })

  it('decodes float16 weights to the exact half-precision values', async () => {
    // input -> pool -> dense: with scale 1 and offset 0, a uniform face of grey g gives
    // logits = g * kernel + bias, which exposes the decoded weights themselves.
    const kernel = [0.1, -0.2, 0.3, 1 / 3, 65504, 1e-5, -7.25]
    const bias = [0.7, 0.01, -1.1, 2.2, 0, 1e-7, 3.14159]
    const source = new TestModelBuilder({ seed: 1, float16: true })
      .globalAveragePool('input', 'pool')
      .dense('pool', 'logits', 7, { kernel, bias })
      .build({ inputSize: 4, scale: 1, offset: 0 })
    const model = await build(source)
    const face = (grey: number) => ({ width: 4, height: 4, data: new Uint8Array(16).fill(grey) })
    const [zero, one] = await logitsOf(model, [face(0), face(1)])
    expect(zero).toEqual(bias.map(roundToFloat16))
    expect(one!.map((value, i) => value - zero![i]!)).toEqual(kernel.map(roundToFloat16))
    // The half-precision values really differ from the float32 ones.
    expect(roundToFloat16(0.1)).toBe(0.0999755859375)
    model.dispose()
  })

  it('creates its weight tensors once and leaks none', async () => {
    const before = tf.memory().numTensors
    const model = await build(miniMobileNet())
    const weightTensors = tf.memory().numTensors - before
    expect(weightTensors).toBe(18) // 8 convolutions and 1 dense layer, each with a bias
    await logitsOf(model, [randomFace(1, 12), randomFace(2, 30)])
    expect(tf.memory().numTensors).toBe(before + weightTensors)
    model.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('releases weights the manifest lists but the graph does not use', async () => {
    const source = miniMobileNet()
    const modelJson = source.modelJson()
    const [group] = modelJson.weightsManifest as { weights: object[] }[]
    group!.weights.push({ name: 'unused/kernel', shape: [4, 4], dtype: 'float32' })
    const weights = new Uint8Array(source.weights().byteLength + 64)
    weights.set(new Uint8Array(source.weights()))
    const { spec, weights: bytes } = await loadEmotionModelFiles({
      load: async () => ({ modelJson, weights }),
    })
    const before = tf.memory().numTensors
    const model = buildEmotionModel(spec, bytes)
    expect(tf.memory().numTensors - before).toBe(18)
    const face = randomFace(3, 12)
    expectClose((await logitsOf(model, [face]))[0]!, source.reference(face), 1e-4)
    model.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
