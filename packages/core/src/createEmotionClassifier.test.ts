import * as tf from '@tensorflow/tfjs-core'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { TEST_BACKENDS, TEST_WASM_PATHS, useTestBackend } from './__tests__/testBackends.ts'
import { miniMobileNet, randomFace, type TestModel } from './__tests__/testEmotionModel.ts'
import {
  createEmotionClassifier,
  type EmotionClassification,
  type EmotionClassifierOptions,
} from './createEmotionClassifier.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import type { EmotionModelHandler } from './loadEmotionModelFiles.ts'
import { MoodlensError, type MoodlensErrorCode } from './MoodlensError.ts'
import { softmax } from './softmax.ts'

const source = miniMobileNet({ seed: 3 })

function classifierOptions(
  backend: string,
  extra: EmotionClassifierOptions = {},
): EmotionClassifierOptions {
  return { backend, modelUrl: source.handler(), wasmPaths: TEST_WASM_PATHS, ...extra }
}

/** The expected classification: softmax of the reference logits, keyed by the model's labels. */
function expected(model: TestModel, face: Parameters<TestModel['reference']>[0]) {
  const probabilities = softmax(model.reference(face))
  const byEmotion = Object.fromEntries(
    model.labels.map((label, i) => [label, probabilities[i]!]),
  ) as Record<Emotion, number>
  const best = probabilities.indexOf(Math.max(...probabilities))
  return { emotion: model.labels[best]!, confidence: probabilities[best]!, byEmotion }
}

function expectClassification(
  actual: EmotionClassification,
  model: TestModel,
  face: Parameters<TestModel['reference']>[0],
) {
  const { emotion, confidence, byEmotion } = expected(model, face)
  expect(actual.emotion).toBe(emotion)
  expect(actual.confidence).toBeCloseTo(confidence, 5)
  expect(Object.keys(actual.probabilities)).toEqual([...EMOTIONS])
  for (const label of EMOTIONS) {
    expect(actual.probabilities[label]).toBeCloseTo(byEmotion[label], 5)
  }
  const total = Object.values(actual.probabilities).reduce((sum, value) => sum + value, 0)
  expect(total).toBeCloseTo(1, 10)
}

async function rejection(promise: Promise<unknown>): Promise<MoodlensError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MoodlensError)
  return error as MoodlensError
}

async function expectCode(
  promise: Promise<unknown>,
  code: MoodlensErrorCode,
  message?: RegExp,
): Promise<MoodlensError> {
  const error = await rejection(promise)
  expect(error.code).toBe(code)
  if (message) expect(error.message).toMatch(message)
  return error
}

describe.each(TEST_BACKENDS)('createEmotionClassifier on %s', (backend) => {
  beforeAll(() => useTestBackend(backend))

  it('classifies a batch of faces like the reference model', async () => {
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    expect(classifier.backend).toBe(backend)
    expect(classifier.inputSize).toBe(12)
    const faces = [randomFace(11, 12), randomFace(12, 40, 33), randomFace(13, 12)]
    const results = await classifier.classify(faces)
    expect(results).toHaveLength(3)
    results.forEach((result, i) => expectClassification(result, source, faces[i]!))
    // Not all faces look alike to the model: the test would notice a constant output.
    expect(new Set(results.map((result) => result.probabilities.angry.toFixed(4))).size).toBe(3)
    classifier.dispose()
  })

  it('keys probabilities by the labels in the model order', async () => {
    const labels: Emotion[] = ['neutral', 'happy', 'sad', 'angry', 'surprise', 'fear', 'disgust']
    const permuted = miniMobileNet({ seed: 3, labels })
    const classifier = await createEmotionClassifier(
      classifierOptions(backend, { modelUrl: permuted.handler() }),
    )
    const face = randomFace(14, 12)
    const [result] = await classifier.classify([face])
    const logits = softmax(permuted.reference(face))
    labels.forEach((label, i) => expect(result!.probabilities[label]).toBeCloseTo(logits[i]!, 5))
    expectClassification(result!, permuted, face)
    classifier.dispose()
  })

  it('classifies grey tensors like grey bytes and leaves them to the caller', async () => {
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    const face = randomFace(15, 20, 16)
    const as2d = tf.tensor2d(face.data, [16, 20], 'int32')
    const as3d = tf.tensor3d(Float32Array.from(face.data), [16, 20, 1])
    const results = await classifier.classify([as2d, face, as3d])
    for (const result of results) expectClassification(result, source, face)
    expect(as2d.isDisposed || as3d.isDisposed).toBe(false)
    tf.dispose([as2d, as3d])
    classifier.dispose()
  })

  it('runs a batch like the faces one by one', async () => {
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    const faces = [randomFace(16, 12), randomFace(17, 24), randomFace(18, 12)]
    const batch = await classifier.classify(faces)
    for (const [i, face] of faces.entries()) {
      const [single] = await classifier.classify([face])
      for (const label of EMOTIONS) {
        expect(batch[i]!.probabilities[label]).toBeCloseTo(single!.probabilities[label], 5)
      }
    }
    classifier.dispose()
  })

  it('rejects tensor faces holding NaN or Infinity, naming the first', async () => {
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    const fine = tf.ones<tf.Rank.R2>([8, 8])
    const infinite = tf.fill<tf.Rank.R2>([8, 8], Infinity)
    const notANumber = tf.fill<tf.Rank.R2>([8, 8], Number.NaN)
    const before = tf.memory().numTensors
    await expectCode(
      classifier.classify([fine, randomFace(1, 12), infinite, notANumber]),
      'ERR_INVALID_IMAGE',
      /^faces\[2\]: the tensor holds non-finite values$/,
    )
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([fine, infinite, notANumber])
    classifier.dispose()
  })

  it('leaks no tensors: unchanged by classify, back to the baseline after dispose', async () => {
    const baseline = tf.memory().numTensors
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    expect(tf.memory().numTensors).toBeGreaterThan(baseline)
    const zeros = tf.zeros<tf.Rank.R2>([30, 30])
    const loaded = tf.memory().numTensors
    await classifier.classify([randomFace(19, 12), randomFace(20, 50), zeros])
    await classifier.classify([zeros])
    expect(tf.memory().numTensors).toBe(loaded)
    classifier.dispose()
    classifier.dispose()
    expect(tf.memory().numTensors).toBe(baseline + 1)
    zeros.dispose()
  })
})

describe('createEmotionClassifier', () => {
  const backend = TEST_BACKENDS[0]!
  beforeAll(() => useTestBackend(backend))
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  describe('rejects bad faces with ERR_INVALID_IMAGE, naming the face', () => {
    const good = randomFace(1, 12)
    const cases: [string, () => unknown, RegExp][] = [
      ['faces that are not an array', () => good, /faces must be an array/],
      ['a null face', () => [good, null], /faces\[1\]: a face is/],
      ['a string face', () => ['face.png'], /faces\[0\]: a face is/],
      ['float data', () => [{ width: 2, height: 2, data: new Float32Array(4) }], /Uint8Array/],
      ['plain-array data', () => [{ width: 2, height: 1, data: [0, 1] }], /Uint8Array/],
      ['missing data', () => [good, good, { width: 2, height: 2 }], /faces\[2\]: data must be/],
      [
        'empty data',
        () => [{ width: 0, height: 0, data: new Uint8Array(0) }],
        /faces\[0\]: the face is empty/,
      ],
      [
        'zero width',
        () => [{ width: 0, height: 4, data: new Uint8Array(4) }],
        /positive integers, got 0x4/,
      ],
      [
        'fractional height',
        () => [{ width: 2, height: 1.5, data: new Uint8Array(3) }],
        /positive integers, got 2x1.5/,
      ],
      [
        'string width',
        () => [{ width: '2', height: 2, data: new Uint8Array(4) }],
        /positive integers/,
      ],
      [
        'too few bytes',
        () => [good, { width: 3, height: 3, data: new Uint8Array(8) }],
        /faces\[1\]: a 3x3 grey face needs 9 bytes, got 8/,
      ],
      [
        'RGBA bytes',
        () => [{ width: 2, height: 2, data: new Uint8ClampedArray(16) }],
        /needs 4 bytes, got 16/,
      ],
    ]
    it.each(cases)('%s', async (_, faces, message) => {
      const classifier = await createEmotionClassifier(classifierOptions(backend))
      const before = tf.memory().numTensors
      await expectCode(classifier.classify(faces() as never), 'ERR_INVALID_IMAGE', message)
      expect(tf.memory().numTensors).toBe(before)
      classifier.dispose()
    })

    const tensorCases: [string, () => tf.Tensor, RegExp][] = [
      [
        'a rank-1 tensor',
        () => tf.zeros([16]),
        /\[height, width\] or \[height, width, 1\], got \[16\]/,
      ],
      ['an RGB tensor', () => tf.zeros([4, 4, 3]), /got \[4, 4, 3\]/],
      ['a batch tensor', () => tf.zeros([1, 4, 4, 1]), /got \[1, 4, 4, 1\]/],
      ['an empty tensor', () => tf.zeros([0, 4]), /the face is empty/],
      ['a boolean tensor', () => tf.tensor2d([[true, false]], [1, 2], 'bool'), /dtype bool/],
      ['a string tensor', () => tf.tensor2d([['a', 'b']], [1, 2], 'string'), /dtype string/],
      [
        'a tensor holding NaN',
        () =>
          tf.tensor2d([
            [1, Number.NaN],
            [3, 4],
          ]),
        /faces\[1\]: the tensor holds non-finite values/,
      ],
      [
        'a tensor holding Infinity',
        () => tf.tensor3d([1, 2, Infinity, 4], [2, 2, 1]),
        /faces\[1\]: the tensor holds non-finite values/,
      ],
    ]
    it.each(tensorCases)('%s', async (_, makeTensor, message) => {
      const classifier = await createEmotionClassifier(classifierOptions(backend))
      const tensor = makeTensor()
      const before = tf.memory().numTensors
      await expectCode(
        classifier.classify([good, tensor as tf.Tensor2D]),
        'ERR_INVALID_IMAGE',
        message,
      )
      expect(tf.memory().numTensors).toBe(before)
      tensor.dispose()
      classifier.dispose()
    })

    it('a disposed tensor', async () => {
      const classifier = await createEmotionClassifier(classifierOptions(backend))
      const tensor = tf.zeros<tf.Rank.R2>([4, 4])
      tensor.dispose()
      await expectCode(
        classifier.classify([tensor]),
        'ERR_INVALID_IMAGE',
        /faces\[0\]: the tensor is disposed/,
      )
      classifier.dispose()
    })
  })

  it('returns no results for no faces', async () => {
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    await expect(classifier.classify([])).resolves.toEqual([])
    classifier.dispose()
  })

  it('rejects use after dispose with ERR_DISPOSED', async () => {
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    classifier.dispose()
    await expectCode(classifier.classify([randomFace(1, 12)]), 'ERR_DISPOSED')
    await expectCode(classifier.classify([]), 'ERR_DISPOSED')
  })

  it('runs on its own backend even after the application switched', async () => {
    const other = TEST_BACKENDS.find((name) => name !== backend)!
    const classifier = await createEmotionClassifier(classifierOptions(backend))
    await useTestBackend(other)
    const face = randomFace(2, 12)
    const [result] = await classifier.classify([face])
    expect(tf.getBackend()).toBe(backend)
    expectClassification(result!, source, face)
    classifier.dispose()
  })

  it('reports ERR_BACKEND_UNAVAILABLE for a backend nobody registered', async () => {
    await expectCode(
      createEmotionClassifier(classifierOptions('tpu-of-the-future')),
      'ERR_BACKEND_UNAVAILABLE',
      /"tpu-of-the-future": it is not registered/,
    )
  })

  describe('option checks', () => {
    const cases: [string, unknown, RegExp][] = [
      ['options', null, /options must be an object/],
      ['backend', { backend: 42 }, /options.backend must be/],
      ['empty backend', { backend: '' }, /options.backend must be/],
      ['modelUrl', { modelUrl: 42 }, /options.modelUrl must be/],
      ['relative modelUrl', { modelUrl: 'http://[bad' }, /options.modelUrl must be/],
      ['modelUrl handler', { modelUrl: { load: 'now' } }, /options.modelUrl must be/],
      ['signal', { signal: { aborted: false } }, /options.signal must be an AbortSignal/],
      ['onProgress', { onProgress: 'log' }, /options.onProgress must be a function/],
      ['wasmPaths', { wasmPaths: { 'other.wasm': '/x' } }, /options.wasmPaths must be/],
    ]
    it.each(cases)('throws a TypeError naming %s', async (_, options, message) => {
      const load = vi.fn(source.handler().load)
      const attempt =
        options === null
          ? createEmotionClassifier(null as never)
          : createEmotionClassifier({ modelUrl: { load }, ...(options as object) })
      const error: unknown = await attempt.catch((reason: unknown) => reason)
      expect(error).toBeInstanceOf(TypeError)
      expect((error as TypeError).message).toMatch(message)
      expect(load).not.toHaveBeenCalled()
    })
  })

  describe('loading', () => {
    it('reports progress from 0 to 1, never decreasing', async () => {
      const progress: number[] = []
      const classifier = await createEmotionClassifier(
        classifierOptions(backend, { onProgress: (fraction) => progress.push(fraction) }),
      )
      expect(progress[0]).toBe(0)
      expect(progress.at(-1)).toBe(1)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
      classifier.dispose()
    })

    it('rejects with ERR_ABORTED when the signal has already fired, loading nothing', async () => {
      const load = vi.fn(source.handler().load)
      const controller = new AbortController()
      controller.abort(new Error('user left'))
      const error = await expectCode(
        createEmotionClassifier(
          classifierOptions(backend, { modelUrl: { load }, signal: controller.signal }),
        ),
        'ERR_ABORTED',
      )
      expect((error.cause as Error).message).toBe('user left')
      expect(load).not.toHaveBeenCalled()
    })

    it('passes the signal to the handler and rejects with ERR_ABORTED when it fires', async () => {
      const before = tf.memory().numTensors
      const controller = new AbortController()
      const handler: EmotionModelHandler = {
        load: ({ signal }) =>
          new Promise((_, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason as Error))
          }),
      }
      const pending = createEmotionClassifier(
        classifierOptions(backend, { modelUrl: handler, signal: controller.signal }),
      )
      setTimeout(() => controller.abort(), 10)
      await expectCode(pending, 'ERR_ABORTED')
      expect(tf.memory().numTensors).toBe(before)
    })

    it('rejects with ERR_ABORTED when aborted after the files arrived, leaking nothing', async () => {
      const before = tf.memory().numTensors
      const controller = new AbortController()
      const handler: EmotionModelHandler = {
        load: async (options) => {
          const artifacts = await source.handler().load(options)
          controller.abort()
          return artifacts
        },
      }
      await expectCode(
        createEmotionClassifier(
          classifierOptions(backend, { modelUrl: handler, signal: controller.signal }),
        ),
        'ERR_ABORTED',
      )
      expect(tf.memory().numTensors).toBe(before)
    })

    it('wraps a failing handler in ERR_MODEL_FETCH, keeping the cause', async () => {
      const cause = new Error('IndexedDB is full')
      const error = await expectCode(
        createEmotionClassifier(
          classifierOptions(backend, { modelUrl: { load: () => Promise.reject(cause) } }),
        ),
        'ERR_MODEL_FETCH',
      )
      expect(error.cause).toBe(cause)
    })

    it('rejects a malformed model from a handler with ERR_INVALID_MODEL', async () => {
      const json = source.modelJson()
      json.formatVersion = 9
      await expectCode(
        createEmotionClassifier(
          classifierOptions(backend, {
            modelUrl: { load: async () => ({ modelJson: json, weights: source.weights() }) },
          }),
        ),
        'ERR_INVALID_MODEL',
        /formatVersion 9/,
      )
    })

    it('rejects weights shorter than the manifest with ERR_INVALID_MODEL', async () => {
      const weights = source.weights()
      await expectCode(
        createEmotionClassifier(
          classifierOptions(backend, {
            modelUrl: {
              load: async () => ({ modelJson: source.modelJson(), weights: weights.slice(0, 100) }),
            },
          }),
        ),
        'ERR_INVALID_MODEL',
        new RegExp(
          `the weights hold 100 bytes, the weightsManifest describes ${weights.byteLength}`,
        ),
      )
    })

    it('rejects a handler that returns nothing with ERR_INVALID_MODEL', async () => {
      await expectCode(
        createEmotionClassifier(
          classifierOptions(backend, { modelUrl: { load: async () => null as never } }),
        ),
        'ERR_INVALID_MODEL',
      )
    })

    it('accepts weights as a typed-array view', async () => {
      const bytes = new Uint8Array(source.weights().byteLength + 8)
      bytes.set(new Uint8Array(source.weights()), 8)
      const classifier = await createEmotionClassifier(
        classifierOptions(backend, {
          modelUrl: {
            load: async () => ({ modelJson: source.modelJson(), weights: bytes.subarray(8) }),
          },
        }),
      )
      const face = randomFace(3, 12)
      expectClassification((await classifier.classify([face]))[0]!, source, face)
      classifier.dispose()
    })
  })

  describe('fetching model.json and its weights', () => {
    const base = 'https://models.example/emotion/v1/'

    function stubFetch(
      files: Record<string, () => Response>,
    ): ReturnType<typeof vi.fn<(url: URL | string) => Promise<Response>>> {
      const fetchStub = vi.fn(async (url: URL | string) => {
        const respond = files[String(url)]
        return respond ? respond() : new Response('not found', { status: 404 })
      })
      vi.stubGlobal('fetch', fetchStub)
      return fetchStub
    }

    /** A body delivered in several chunks, as a network would. */
    function chunked(bytes: ArrayBuffer, chunks: number): Response {
      const all = new Uint8Array(bytes)
      const size = Math.ceil(all.length / chunks)
      let offset = 0
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= all.length) return controller.close()
          controller.enqueue(all.slice(offset, offset + size))
          offset += size
        },
      })
      return new Response(stream)
    }

    it('loads weights relative to model.json and reports byte progress', async () => {
      const fetchStub = stubFetch({
        [`${base}model.json`]: () => new Response(JSON.stringify(source.modelJson())),
        [`${base}weights.bin`]: () => chunked(source.weights(), 4),
      })
      const progress: number[] = []
      const classifier = await createEmotionClassifier({
        backend,
        modelUrl: `${base}model.json`,
        onProgress: (fraction) => progress.push(fraction),
      })
      expect(fetchStub.mock.calls.map(([url]) => String(url))).toEqual([
        `${base}model.json`,
        `${base}weights.bin`,
      ])
      // 0, four chunks of weights, then ready.
      expect(progress).toHaveLength(6)
      expect(progress.slice(1, 5).every((fraction) => fraction > 0 && fraction < 1)).toBe(true)
      expect(progress).toEqual([...progress].sort((a, b) => a - b))
      const face = randomFace(4, 12)
      expectClassification((await classifier.classify([face]))[0]!, source, face)
      classifier.dispose()
    })

    it('validates model.json before fetching any weight', async () => {
      const json = source.modelJson()
      json.labels = ['happy']
      const fetchStub = stubFetch({
        [`${base}model.json`]: () => new Response(JSON.stringify(json)),
        [`${base}weights.bin`]: () => new Response(source.weights()),
      })
      await expectCode(
        createEmotionClassifier({ backend, modelUrl: new URL(`${base}model.json`) }),
        'ERR_INVALID_MODEL',
        /labels/,
      )
      expect(fetchStub).toHaveBeenCalledTimes(1)
    })

    it('rejects a model.json that is not JSON with ERR_INVALID_MODEL', async () => {
      stubFetch({ [`${base}model.json`]: () => new Response('<html>') })
      await expectCode(
        createEmotionClassifier({ backend, modelUrl: `${base}model.json` }),
        'ERR_INVALID_MODEL',
        /is not JSON/,
      )
    })

    it('reports HTTP errors as ERR_MODEL_FETCH', async () => {
      stubFetch({ [`${base}model.json`]: () => new Response(JSON.stringify(source.modelJson())) })
      await expectCode(
        createEmotionClassifier({ backend, modelUrl: `${base}model.json` }),
        'ERR_MODEL_FETCH',
        /weights\.bin: HTTP 404/,
      )
    })

    it('reports network failures as ERR_MODEL_FETCH with the cause', async () => {
      const cause = new TypeError('Failed to fetch')
      vi.stubGlobal('fetch', () => Promise.reject(cause))
      const error = await expectCode(
        createEmotionClassifier({ backend, modelUrl: `${base}model.json` }),
        'ERR_MODEL_FETCH',
        /Failed to fetch/,
      )
      expect(error.cause).toBe(cause)
    })

    it('maps an abort during the download to ERR_ABORTED', async () => {
      const controller = new AbortController()
      vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
        controller.abort()
        return Promise.reject(init.signal?.reason as Error)
      })
      await expectCode(
        createEmotionClassifier({
          backend,
          modelUrl: `${base}model.json`,
          signal: controller.signal,
        }),
        'ERR_ABORTED',
      )
    })
  })
})
