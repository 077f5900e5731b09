// The detector end to end in Node, on the public-domain photos decoded by decodeImage, on every
// backend Node has here (wasm and cpu).
import { readFile } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ASTRONAUT,
  GRACE_HOPPER,
  iou,
  overlap,
  area,
  closeToReference,
  SOLVAY,
  type FacePhoto,
} from './__tests__/faceFixtures.ts'
import { createEmotionDetector } from './createEmotionDetector.ts'
import type { EmotionDetector, FaceEmotion } from './EmotionDetector.ts'
import { EMOTIONS, valenceArousal } from './emotions.ts'
import { MoodlensError, type MoodlensErrorCode } from './MoodlensError.ts'
import { decodeImage, type DecodedImage } from './node/decodeImage.ts'

const FIXTURES = new URL('./__tests__/fixtures/faces/', import.meta.url)

async function photo({ file }: FacePhoto): Promise<DecodedImage> {
  return decodeImage(await readFile(new URL(file, FIXTURES)))
}

/** A region of an RGBA image, as a new RGBA image. */
function crop(image: DecodedImage, x: number, y: number, width: number, height: number) {
  const data = new Uint8Array(width * height * 4)
  for (let row = 0; row < height; row++) {
    const start = ((y + row) * image.width + x) * 4
    data.set(image.data.subarray(start, start + width * 4), row * width * 4)
  }
  return { width, height, data }
}

async function expectCode(promise: Promise<unknown>, code: MoodlensErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MoodlensError)
  expect((error as MoodlensError).code).toBe(code)
}

function expectOneFaceOn(
  faces: readonly FaceEmotion[],
  photo: FacePhoto,
  sameBoxAsReference = true,
): FaceEmotion {
  expect(faces).toHaveLength(1)
  const [face] = faces as [FaceEmotion]
  const labelled = photo.face!
  // The box covers the labelled face and is not much larger than it.
  expect(overlap(face.box, labelled) / area(labelled)).toBeGreaterThan(0.9)
  expect(iou(face.box, labelled)).toBeGreaterThan(0.5)
  expect(face.faceScore).toBeGreaterThan(0.7)
  expect(face.keypoints.map((point) => point.name)).toEqual([
    'rightEye',
    'leftEye',
    'noseTip',
    'mouthCenter',
    'rightEarTragion',
    'leftEarTragion',
  ])
  expect(face.emotion).toBe(photo.emotion)
  // The same probabilities as Node on wasm (the reference), within 0.02, from the same face box.
  if (sameBoxAsReference) expect(closeToReference(face.probabilities, photo)).toEqual({})
  expect(Object.keys(face.probabilities)).toEqual([...EMOTIONS])
  const total = Object.values(face.probabilities).reduce((sum, value) => sum + value, 0)
  expect(total).toBeCloseTo(1, 5)
  expect(face.confidence).toBe(face.probabilities[face.emotion])
  // valence and arousal from the recommender's circumplex table.
  const point = valenceArousal(face.probabilities)
  expect(face.valence).toBeCloseTo(point.valence, 10)
  expect(face.arousal).toBeCloseTo(point.arousal, 10)
  return face
}

describe.each(['wasm', 'cpu'] as const)('createEmotionDetector on %s (Node)', (backend) => {
  let detector: EmotionDetector
  let astronaut: DecodedImage
  let graceHopper: DecodedImage

  beforeAll(async () => {
    detector = await createEmotionDetector({ backend })
    astronaut = await photo(ASTRONAUT)
    graceHopper = await photo(GRACE_HOPPER)
  }, 60_000)

  afterAll(() => detector.dispose())

  it('says which backend it runs on and why', () => {
    expect(detector.backend).toEqual({ name: backend, reason: `${backend}, as requested` })
  })

  it('finds the one face of the astronaut, happy', async () => {
    const [face] = [expectOneFaceOn(await detector.detect(astronaut), ASTRONAUT)]
    expect(face.valence).toBeGreaterThan(0.5)
  }, 30_000)

  it('finds the one face of Grace Hopper, neutral', async () => {
    expectOneFaceOn(await detector.detect(graceHopper), GRACE_HOPPER)
  }, 30_000)

  it('accepts the photo as an int32 tensor and as a float32 tensor, with the same result', async () => {
    const [fromBytes] = await detector.detect(astronaut)
    const int32 = tf.tidy(() =>
      tf.slice(
        tf.reshape(tf.tensor1d(Int32Array.from(astronaut.data), 'int32'), [512, 512, 4]),
        [0, 0, 0],
        [512, 512, 3],
      ),
    ) as tf.Tensor3D
    const float32 = tf.cast(int32, 'float32')
    try {
      for (const tensor of [int32, float32]) {
        const [face] = await detector.detect(tensor)
        expect(face!.emotion).toBe(fromBytes!.emotion)
        expect(face!.box.x).toBeCloseTo(fromBytes!.box.x, 3)
        expect(face!.confidence).toBeCloseTo(fromBytes!.confidence, 4)
        expect(tensor.isDisposed).toBe(false)
      }
    } finally {
      tf.dispose([int32, float32])
    }
  }, 30_000)

  it('finds no face in a photo region without one', async () => {
    // The wall and shoulder below and beside Grace Hopper's face.
    expect(await detector.detect(crop(graceHopper, 0, 380, 512, 220))).toEqual([])
    // A flat grey image.
    const grey = { width: 200, height: 150, data: new Uint8Array(200 * 150 * 4).fill(128) }
    expect(await detector.detect(grey)).toEqual([])
  }, 30_000)
})

describe('detection options (Node, wasm)', () => {
  let astronaut: DecodedImage

  beforeAll(async () => {
    astronaut = await photo(ASTRONAUT)
  })

  it('minFaceScore drops faces the face detector is less sure of', async () => {
    const strict = await createEmotionDetector({ backend: 'wasm', minFaceScore: 0.99 })
    const lenient = await createEmotionDetector({ backend: 'wasm', minFaceScore: 0.1 })
    try {
      expect(await strict.detect(astronaut)).toEqual([])
      const faces = await lenient.detect(astronaut)
      expect(faces.length).toBeGreaterThanOrEqual(1)
      expect(faces.every((face) => face.faceScore >= 0.1)).toBe(true)
      expect(iou(faces[0]!.box, ASTRONAUT.face!)).toBeGreaterThan(0.5)
    } finally {
      strict.dispose()
      lenient.dispose()
    }
  }, 60_000)

  it('tiling a portrait merges the copies of its face into one', async () => {
    const detector = await createEmotionDetector({ backend: 'wasm', tiling: 'always' })
    try {
      expectOneFaceOn(await detector.detect(astronaut), ASTRONAUT)
    } finally {
      detector.dispose()
    }
  }, 60_000)

  it('alignFaces: false classifies the upright face alike', async () => {
    const aligned = await createEmotionDetector({ backend: 'wasm' })
    const unaligned = await createEmotionDetector({ backend: 'wasm', alignFaces: false })
    try {
      const [a] = await aligned.detect(astronaut)
      const [b] = await unaligned.detect(astronaut)
      expect(b!.emotion).toBe(a!.emotion)
      expect(b!.box).toEqual(a!.box)
    } finally {
      aligned.dispose()
      unaligned.dispose()
    }
  }, 60_000)
})

describe('backends and models (Node)', () => {
  it("'auto' picks wasm in Node and says why", async () => {
    const detector = await createEmotionDetector()
    try {
      expect(detector.backend).toEqual({
        name: 'wasm',
        reason: 'auto: wasm, the first choice in Node',
      })
    } finally {
      detector.dispose()
    }
  }, 60_000)

  it('loads self-hosted models from URLs and from IO handlers, with the same results', async () => {
    const faceDir = new URL('../models/face/short/', import.meta.url)
    const json = JSON.parse(await readFile(new URL('model.json', faceDir), 'utf8')) as {
      modelTopology: object
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]
    }
    const weights = await readFile(new URL('weights.bin', faceDir))
    const handler = tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]!.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    })
    const image = await photo(ASTRONAUT)
    for (const faceModelUrl of [new URL('model.json', faceDir).href, handler]) {
      const detector = await createEmotionDetector({
        backend: 'wasm',
        models: {
          faceModelUrl,
          emotionModelUrl: new URL('../models/emotion/model.json', import.meta.url),
        },
      })
      try {
        expectOneFaceOn(await detector.detect(image), ASTRONAUT)
      } finally {
        detector.dispose()
      }
    }
  }, 60_000)

  it('runs concurrent detect calls independently', async () => {
    const detector = await createEmotionDetector({ backend: 'wasm' })
    try {
      const [astronaut, graceHopper] = [await photo(ASTRONAUT), await photo(GRACE_HOPPER)]
      const [a, b, c] = await Promise.all([
        detector.detect(astronaut),
        detector.detect(graceHopper),
        detector.detect(astronaut),
      ])
      expectOneFaceOn(a!, ASTRONAUT)
      expectOneFaceOn(b!, GRACE_HOPPER)
      expect(c).toEqual(a)
    } finally {
      detector.dispose()
    }
  }, 60_000)
})

describe('the same photo on every Node backend', () => {
  it('gives the same top emotion, probabilities within 0.02', async () => {
    const results = new Map<string, FaceEmotion[]>()
    const images = [await photo(ASTRONAUT), await photo(GRACE_HOPPER)]
    for (const backend of ['wasm', 'cpu']) {
      const detector = await createEmotionDetector({ backend: backend as 'wasm' | 'cpu' })
      const faces: FaceEmotion[] = []
      for (const image of images) faces.push(...(await detector.detect(image)))
      results.set(backend, faces)
      detector.dispose()
    }
    const [wasm, cpu] = [results.get('wasm')!, results.get('cpu')!]
    expect(wasm).toHaveLength(2)
    expect(cpu).toHaveLength(2)
    wasm.forEach((face, index) => {
      const other = cpu[index]!
      expect(other.emotion).toBe(face.emotion)
      for (const emotion of EMOTIONS) {
        expect(Math.abs(other.probabilities[emotion] - face.probabilities[emotion])).toBeLessThan(
          0.02,
        )
      }
    })
  }, 60_000)
})

describe('group photos (Node, wasm)', () => {
  let detector: EmotionDetector
  let solvay: DecodedImage

  beforeAll(async () => {
    detector = await createEmotionDetector({ backend: 'wasm', maxFaces: 40 })
    solvay = await photo(SOLVAY)
  }, 60_000)

  afterAll(() => detector.dispose())

  it('finds the faces of the 29 people of the Solvay photo (tiled automatically)', async () => {
    const faces = await detector.detect(solvay)
    expect(faces.length).toBeGreaterThanOrEqual(20)
    expect(faces.length).toBeLessThanOrEqual(29)
    for (const face of faces) {
      // Heads of people in three rows: upper half, 40 to 110 pixels wide.
      expect(face.box.y + face.box.height / 2).toBeLessThan(SOLVAY.height / 2)
      expect(face.box.width).toBeGreaterThan(40)
      expect(face.box.width).toBeLessThan(110)
      expect(EMOTIONS).toContain(face.emotion)
    }
    // Sorted by faceScore, no two boxes on one face.
    for (let i = 1; i < faces.length; i++) {
      expect(faces[i]!.faceScore).toBeLessThanOrEqual(faces[i - 1]!.faceScore)
      for (let j = 0; j < i; j++) expect(iou(faces[i]!.box, faces[j]!.box)).toBeLessThan(0.3)
    }
  }, 60_000)

  it('finds none of them without tiling (faces too small for one pass)', async () => {
    expect(await detector.detect(solvay, { tiling: 'never' })).toEqual([])
  }, 30_000)

  it('returns at most maxFaces faces, the most certain ones', async () => {
    const few = await createEmotionDetector({ backend: 'wasm', maxFaces: 5 })
    try {
      const all = await detector.detect(solvay)
      const top = await few.detect(solvay)
      expect(top).toHaveLength(5)
      expect(top.map((face) => face.faceScore)).toEqual(
        all.slice(0, 5).map((face) => face.faceScore),
      )
    } finally {
      few.dispose()
    }
  }, 60_000)

  it('the full-range model finds them too', async () => {
    const full = await createEmotionDetector({
      backend: 'wasm',
      maxFaces: 40,
      models: { face: 'full' },
    })
    try {
      expect((await full.detect(solvay)).length).toBeGreaterThanOrEqual(20)
      // Another model, another box: another crop, so other probabilities.
      expectOneFaceOn(await full.detect(await photo(GRACE_HOPPER)), GRACE_HOPPER, false)
    } finally {
      full.dispose()
    }
  }, 60_000)
})

describe('tensors (Node, wasm)', () => {
  it('leaves no tensor behind after 200 detect calls, and none after dispose', async () => {
    const image = await photo(ASTRONAUT)
    // The face region, small, so that 200 calls stay fast; the face is still found.
    const small = crop(image, 130, 40, 190, 190)
    const baseline = tf.memory().numTensors
    const detector = await createEmotionDetector({ backend: 'wasm' })
    const loaded = tf.memory().numTensors
    expect(loaded).toBeGreaterThan(baseline)
    const tensor = tf.tensor3d(new Int32Array(190 * 190 * 3).fill(100), [190, 190, 3], 'int32')
    let faces = 0
    for (let i = 0; i < 200; i++) {
      faces += (await detector.detect(i % 2 === 0 ? small : tensor)).length
    }
    expect(faces).toBe(100)
    expect(tf.memory().numTensors).toBe(loaded + 1)
    tensor.dispose()
    detector.dispose()
    detector.dispose()
    expect(tf.memory().numTensors).toBe(baseline)
    await expectCode(detector.detect(small), 'ERR_DISPOSED')
  }, 120_000)
})
