// Options, bad inputs, cancellation and disposal of the detector, in Node and in Chromium.
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IN_BROWSER, TEST_WASM_PATHS } from './__tests__/testBackends.ts'
import { createEmotionDetector, type EmotionDetectorOptions } from './createEmotionDetector.ts'
import type { DetectorInput, EmotionDetector } from './EmotionDetector.ts'
import { MoodlensError, type MoodlensErrorCode } from './MoodlensError.ts'

async function codeOf(promise: Promise<unknown>): Promise<MoodlensErrorCode> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MoodlensError)
  return (error as MoodlensError).code
}

const BACKEND = 'wasm'
const base: EmotionDetectorOptions = { backend: BACKEND, wasmPaths: TEST_WASM_PATHS }

function rgba(width: number, height: number, value = 128): DetectorInput {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(value) }
}

describe('createEmotionDetector options', () => {
  it.each([
    [{ backend: 'tpu' }, 'options.backend'],
    [{ maxFaces: 0 }, 'options.maxFaces'],
    [{ maxFaces: 2.5 }, 'options.maxFaces'],
    [{ minFaceScore: 1.5 }, 'options.minFaceScore'],
    [{ minFaceScore: Number.NaN }, 'options.minFaceScore'],
    [{ models: { face: 'medium' } }, 'options.models.face'],
    [{ models: { faceModelUrl: 42 } }, 'options.models.faceModelUrl'],
    [{ models: { emotionModelUrl: 42 } }, 'options.models.emotionModelUrl'],
    [{ tiling: 'sometimes' }, 'options.tiling'],
    [{ tileSize: 8 }, 'options.tileSize'],
    [{ alignFaces: 'yes' }, 'options.alignFaces'],
    [{ maxPixels: -1 }, 'options.maxPixels'],
    [{ wasmPaths: 3 }, 'options.wasmPaths'],
    [{ signal: {} }, 'options.signal'],
    [{ onProgress: 'log' }, 'options.onProgress'],
  ])('rejects %o with a TypeError naming %s', async (options, name) => {
    await expect(createEmotionDetector(options as EmotionDetectorOptions)).rejects.toThrow(
      new RegExp(`^createEmotionDetector: ${name.replace(/\./g, '\\.')} must be`),
    )
    await expect(createEmotionDetector(options as EmotionDetectorOptions)).rejects.toBeInstanceOf(
      TypeError,
    )
  })

  it('rejects a non-object', async () => {
    await expect(createEmotionDetector(null as never)).rejects.toBeInstanceOf(TypeError)
  })

  it('stops loading with ERR_ABORTED when the signal fires, before or during loading', async () => {
    expect(await codeOf(createEmotionDetector({ ...base, signal: AbortSignal.abort() }))).toBe(
      'ERR_ABORTED',
    )
    const controller = new AbortController()
    const loading = createEmotionDetector({
      ...base,
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction > 0) controller.abort()
      },
    })
    expect(await codeOf(loading)).toBe('ERR_ABORTED')
  })

  it('reports a model that cannot be fetched or is not a model', async () => {
    const missing = new URL('./__tests__/fixtures/no-such-model/model.json', import.meta.url)
    expect(
      await codeOf(createEmotionDetector({ ...base, models: { faceModelUrl: missing } })),
    ).toBe('ERR_MODEL_FETCH')
    const notJson = new URL('./__tests__/fixtures/faces/README.md', import.meta.url)
    expect(
      await codeOf(createEmotionDetector({ ...base, models: { faceModelUrl: notJson } })),
    ).toBe('ERR_INVALID_MODEL')
    const wrongModel = {
      load: () =>
        Promise.resolve({
          modelTopology: { node: [] },
          weightSpecs: [],
          weightData: new ArrayBuffer(0),
        }),
    }
    expect(
      await codeOf(createEmotionDetector({ ...base, models: { faceModelUrl: wrongModel } })),
    ).toBe('ERR_INVALID_MODEL')
  })

  it('explains that the tensorflow backend needs @tensorflow/tfjs-node', async () => {
    const error: unknown = await createEmotionDetector({ backend: 'tensorflow' }).catch(
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(MoodlensError)
    expect((error as MoodlensError).code).toBe('ERR_BACKEND_UNAVAILABLE')
    expect((error as MoodlensError).message).toMatch(
      IN_BROWSER ? /runs in Node only/ : /install @tensorflow\/tfjs-node/,
    )
  })

  it('explains that webgpu must be imported by the application', async () => {
    const error: unknown = await createEmotionDetector({ backend: 'webgpu' }).catch(
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(MoodlensError)
    expect((error as MoodlensError).code).toBe('ERR_BACKEND_UNAVAILABLE')
    expect((error as MoodlensError).message).toMatch(/webgpu/)
  })

  it('reports progress from 0 to 1, never decreasing', async () => {
    const reports: number[] = []
    const detector = await createEmotionDetector({
      ...base,
      onProgress: (fraction) => reports.push(fraction),
    })
    detector.dispose()
    expect(reports[0]).toBe(0)
    expect(reports.at(-1)).toBe(1)
    expect(reports.length).toBeGreaterThan(2)
    for (let i = 1; i < reports.length; i++) {
      expect(reports[i]).toBeGreaterThan(reports[i - 1]!)
    }
  })
})

describe('detect: bad input', () => {
  let detector: EmotionDetector

  beforeAll(async () => {
    detector = await createEmotionDetector({ ...base, maxPixels: 1000 * 1000 })
  })

  afterAll(() => detector.dispose())

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'photo.jpg'],
    ['a number', 42],
    ['an object without pixels', { width: 2, height: 2 }],
    ['float pixels', { width: 1, height: 1, data: new Float32Array(4) }],
  ])('refuses %s with ERR_UNSUPPORTED_IMAGE', async (_, input) => {
    expect(await codeOf(detector.detect(input as DetectorInput))).toBe('ERR_UNSUPPORTED_IMAGE')
  })

  it.each([
    ['zero-sized', { width: 0, height: 0, data: new Uint8Array(0) }],
    ['of fractional size', { width: 1.5, height: 2, data: new Uint8Array(12) }],
    ['of negative size', { width: -1, height: 2, data: new Uint8Array(8) }],
    ['shorter than its size', { width: 4, height: 4, data: new Uint8Array(63) }],
    ['longer than its size', { width: 4, height: 4, data: new Uint8Array(65) }],
  ])('refuses an RGBA image %s with ERR_INVALID_IMAGE', async (_, input) => {
    expect(await codeOf(detector.detect(input as DetectorInput))).toBe('ERR_INVALID_IMAGE')
  })

  it('refuses images over maxPixels with ERR_IMAGE_TOO_LARGE, before reading them', async () => {
    expect(await codeOf(detector.detect(rgba(1001, 1000)))).toBe('ERR_IMAGE_TOO_LARGE')
    // Not even the pixel buffer is looked at.
    const huge = { width: 100_000, height: 100_000, data: new Uint8Array(4) }
    expect(await codeOf(detector.detect(huge))).toBe('ERR_IMAGE_TOO_LARGE')
    expect(await detector.detect(rgba(1000, 1000))).toEqual([])
  })

  it('refuses tensors of the wrong rank, depth or dtype, empty or disposed', async () => {
    const cases: [tf.Tensor, MoodlensErrorCode][] = [
      [tf.zeros([4, 4]), 'ERR_UNSUPPORTED_IMAGE'],
      [tf.zeros([4, 4, 4]), 'ERR_UNSUPPORTED_IMAGE'],
      [tf.zeros([1, 4, 4, 3]), 'ERR_UNSUPPORTED_IMAGE'],
      [tf.zeros([4, 4, 3], 'bool'), 'ERR_UNSUPPORTED_IMAGE'],
      [tf.zeros([0, 4, 3]), 'ERR_INVALID_IMAGE'],
      [tf.zeros([2000, 2000, 3]), 'ERR_IMAGE_TOO_LARGE'],
    ]
    const disposed = tf.zeros([4, 4, 3])
    disposed.dispose()
    cases.push([disposed, 'ERR_INVALID_IMAGE'])
    for (const [tensor, code] of cases) {
      expect(await codeOf(detector.detect(tensor as tf.Tensor3D))).toBe(code)
    }
    tf.dispose(cases.map(([tensor]) => tensor))
  })

  it('gives [] for a tensor without a face, and leaves the tensor to the caller', async () => {
    const tensor = tf.fill([64, 48, 3], 200, 'int32') as tf.Tensor3D
    const before = tf.memory().numTensors
    expect(await detector.detect(tensor)).toEqual([])
    expect(tensor.isDisposed).toBe(false)
    expect(tf.memory().numTensors).toBe(before)
    tensor.dispose()
  })

  it('rejects bad detect options with a TypeError', async () => {
    await expect(detector.detect(rgba(8, 8), { signal: 'stop' as never })).rejects.toBeInstanceOf(
      TypeError,
    )
    await expect(detector.detect(rgba(8, 8), { tiling: 'maybe' as never })).rejects.toThrow(
      /^detect: options\.tiling must be/,
    )
  })

  it('honours its own signal with ERR_ABORTED', async () => {
    expect(await codeOf(detector.detect(rgba(64, 64), { signal: AbortSignal.abort() }))).toBe(
      'ERR_ABORTED',
    )
    const controller = new AbortController()
    const pending = detector.detect(rgba(640, 480), { signal: controller.signal })
    controller.abort()
    expect(await codeOf(pending)).toBe('ERR_ABORTED')
    // The detector still works afterwards.
    expect(await detector.detect(rgba(64, 64))).toEqual([])
  })
})

describe('dispose', () => {
  it('is idempotent; detect then rejects with ERR_DISPOSED, also a call in flight', async () => {
    const detector = await createEmotionDetector(base)
    const inFlight = detector.detect(rgba(320, 240))
    detector.dispose()
    detector.dispose()
    expect(await codeOf(inFlight)).toBe('ERR_DISPOSED')
    expect(await codeOf(detector.detect(rgba(32, 32)))).toBe('ERR_DISPOSED')
  })
})
