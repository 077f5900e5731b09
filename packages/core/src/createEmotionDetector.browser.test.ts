// The detector in Chromium on webgl and wasm, with the photos loaded through Vite like an
// application's assets, and every DOM input kind.
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  area,
  ASTRONAUT,
  closeToReference,
  GRACE_HOPPER,
  iou,
  overlap,
  type FacePhoto,
} from './__tests__/faceFixtures.ts'
import { TEST_WASM_PATHS } from './__tests__/testBackends.ts'
import { createEmotionDetector } from './createEmotionDetector.ts'
import type { DetectorInput, EmotionDetector, FaceEmotion } from './EmotionDetector.ts'
import { EMOTIONS } from './emotions.ts'
import { MoodlensError, type MoodlensErrorCode } from './MoodlensError.ts'

const URLS: Record<string, URL> = {
  'astronaut.png': new URL('./__tests__/fixtures/faces/astronaut.png', import.meta.url),
  'grace_hopper.jpg': new URL('./__tests__/fixtures/faces/grace_hopper.jpg', import.meta.url),
}

async function bitmap({ file }: FacePhoto): Promise<ImageBitmap> {
  const response = await fetch(URLS[file]!)
  return createImageBitmap(await response.blob())
}

async function imageElement({ file }: FacePhoto): Promise<HTMLImageElement> {
  const image = new Image()
  image.src = URLS[file]!.href
  await image.decode()
  return image
}

function canvasOf(source: CanvasImageSource, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  canvas.getContext('2d')!.drawImage(source, 0, 0)
  return canvas
}

async function codeOf(promise: Promise<unknown>): Promise<MoodlensErrorCode> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MoodlensError)
  return (error as MoodlensError).code
}

function expectOneFaceOn(faces: readonly FaceEmotion[], photo: FacePhoto): FaceEmotion {
  expect(faces).toHaveLength(1)
  const [face] = faces as [FaceEmotion]
  expect(overlap(face.box, photo.face!) / area(photo.face!)).toBeGreaterThan(0.9)
  expect(iou(face.box, photo.face!)).toBeGreaterThan(0.5)
  expect(face.emotion).toBe(photo.emotion)
  // The same probabilities as Node on wasm (the reference), within 0.02.
  expect(closeToReference(face.probabilities, photo)).toEqual({})
  return face
}

describe('backend auto in Chromium', () => {
  it('picks webgl and says why', async () => {
    const detector = await createEmotionDetector()
    try {
      expect(detector.backend.name).toBe('webgl')
      expect(detector.backend.reason).toMatch(/^auto: webgl/)
    } finally {
      detector.dispose()
    }
  })
})

describe('the photos on webgl and wasm', () => {
  const results = new Map<string, FaceEmotion[]>()

  for (const backend of ['webgl', 'wasm'] as const) {
    it(`${backend}: one face on each portrait, with the expected emotion`, async () => {
      const detector = await createEmotionDetector({ backend, wasmPaths: TEST_WASM_PATHS })
      try {
        expect(detector.backend.name).toBe(backend)
        const faces: FaceEmotion[] = []
        for (const photo of [ASTRONAUT, GRACE_HOPPER]) {
          faces.push(expectOneFaceOn(await detector.detect(await bitmap(photo)), photo))
        }
        results.set(backend, faces)
      } finally {
        detector.dispose()
      }
    })
  }

  it('webgl and wasm agree: same top emotion, probabilities within 0.02', () => {
    const [webgl, wasm] = [results.get('webgl')!, results.get('wasm')!]
    expect(webgl).toHaveLength(2)
    expect(wasm).toHaveLength(2)
    webgl.forEach((face, index) => {
      const other = wasm[index]!
      expect(other.emotion).toBe(face.emotion)
      for (const emotion of EMOTIONS) {
        expect(Math.abs(other.probabilities[emotion] - face.probabilities[emotion])).toBeLessThan(
          0.02,
        )
      }
    })
  })
})

describe.each(['webgl', 'wasm'] as const)('every DOM input kind on %s', (backend) => {
  let detector: EmotionDetector
  let reference: FaceEmotion

  beforeAll(async () => {
    detector = await createEmotionDetector({ backend, wasmPaths: TEST_WASM_PATHS })
    reference = expectOneFaceOn(await detector.detect(await bitmap(ASTRONAUT)), ASTRONAUT)
  })

  afterAll(() => detector.dispose())

  function expectSame(faces: readonly FaceEmotion[]): void {
    const [face] = faces as [FaceEmotion]
    expect(faces).toHaveLength(1)
    expect(face.emotion).toBe(reference.emotion)
    expect(iou(face.box, reference.box)).toBeGreaterThan(0.95)
    expect(Math.abs(face.confidence - reference.confidence)).toBeLessThan(0.02)
  }

  it('HTMLImageElement', async () => {
    expectSame(await detector.detect(await imageElement(ASTRONAUT)))
  })

  it('an HTMLImageElement shown at another size: boxes in its width x height', async () => {
    const image = await imageElement(ASTRONAUT)
    image.width = 256
    image.height = 256
    document.body.append(image)
    try {
      const [face] = await detector.detect(image)
      expect(face!.emotion).toBe(reference.emotion)
      const half = {
        x: reference.box.x / 2,
        y: reference.box.y / 2,
        width: reference.box.width / 2,
        height: reference.box.height / 2,
      }
      expect(iou(face!.box, half)).toBeGreaterThan(0.8)
    } finally {
      image.remove()
    }
  })

  it('HTMLCanvasElement (2D) and its ImageData', async () => {
    const canvas = canvasOf(await bitmap(ASTRONAUT), 512, 512)
    expectSame(await detector.detect(canvas))
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, 512, 512)
    expectSame(await detector.detect(pixels))
    expectSame(await detector.detect({ width: 512, height: 512, data: pixels.data }))
  })

  it('a canvas holding a WebGL context (read without a 2D context)', async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 320
    canvas.height = 240
    const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true })!
    gl.clearColor(0.5, 0.5, 0.5, 1)
    gl.clear(gl.COLOR_BUFFER_BIT)
    expect(await detector.detect(canvas)).toEqual([])
  })

  it('OffscreenCanvas', async () => {
    const canvas = new OffscreenCanvas(512, 512)
    canvas.getContext('2d')!.drawImage(await bitmap(ASTRONAUT), 0, 0)
    expectSame(await detector.detect(canvas))
  })

  it('a playing HTMLVideoElement', async () => {
    const canvas = canvasOf(await bitmap(ASTRONAUT), 512, 512)
    const video = document.createElement('video')
    video.muted = true
    video.srcObject = canvas.captureStream(10)
    await video.play()
    while (video.readyState < 2 || video.videoWidth === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    try {
      const faces = await detector.detect(video)
      expect(faces).toHaveLength(1)
      expect(iou(faces[0]!.box, reference.box)).toBeGreaterThan(0.8)
    } finally {
      video.pause()
      video.srcObject = null
    }
  })

  it('refuses DOM inputs without pixels with ERR_INVALID_IMAGE', async () => {
    const inputs: DetectorInput[] = []
    inputs.push(new Image()) // no src: not loaded
    const broken = new Image()
    broken.src = 'data:image/png;base64,AAAA'
    await broken.decode().catch(() => undefined)
    inputs.push(broken)
    const closed = await bitmap(ASTRONAUT)
    closed.close()
    inputs.push(closed)
    inputs.push(document.createElement('video')) // no source
    const empty = document.createElement('canvas')
    empty.width = 0
    inputs.push(empty)
    inputs.push(new OffscreenCanvas(0, 10))
    for (const input of inputs)
      expect(await codeOf(detector.detect(input))).toBe('ERR_INVALID_IMAGE')
  })

  it('refuses other DOM objects with ERR_UNSUPPORTED_IMAGE', async () => {
    for (const input of [document.createElement('div'), new Blob([]), document]) {
      expect(await codeOf(detector.detect(input as unknown as DetectorInput))).toBe(
        'ERR_UNSUPPORTED_IMAGE',
      )
    }
  })

  it('leaves no tensor behind', async () => {
    const image = await imageElement(GRACE_HOPPER)
    await detector.detect(image)
    const before = tf.memory().numTensors
    for (let i = 0; i < 10; i++) expectOneFaceOn(await detector.detect(image), GRACE_HOPPER)
    expect(tf.memory().numTensors).toBe(before)
  })
})
