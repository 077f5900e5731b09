// Our BlazeFace runner against the reference it replaces: @tensorflow-models/face-detection's own
// TF.js runtime (createDetector, a devDependency), on the same shipped model and the same pixels.
// The package is CommonJS and not tree-shakable; running the model ourselves keeps its 6.6 kB
// (min+gz) out of applications' bundles, and this test keeps the results the same.
import { readFile } from 'node:fs/promises'
import type * as faceDetection from '@tensorflow-models/face-detection'
import { createSsdAnchors } from '@tensorflow-models/face-detection/dist/shared/calculators/create_ssd_anchors.js'
import {
  FULL_RANGE_DETECTOR_ANCHOR_CONFIG,
  SHORT_RANGE_DETECTOR_ANCHOR_CONFIG,
} from '@tensorflow-models/face-detection/dist/tfjs/constants.js'
import { MediaPipeFaceDetectorTfjs } from '@tensorflow-models/face-detection/dist/tfjs/detector.js'
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestBackend } from './__tests__/testBackends.ts'
import { blazeFaceAnchors } from './blazeFaceAnchors.ts'
import { createBlazeFace, type BlazeFace } from './createBlazeFace.ts'
import { loadFaceModel, type FaceModelType } from './loadFaceModel.ts'
import { decodeImage } from './node/decodeImage.ts'

const TYPES = ['short', 'full'] as const
const MIN_SCORE: Readonly<Record<FaceModelType, number>> = { short: 0.5, full: 0.6 }

async function readPhoto(file: string): Promise<tf.Tensor3D> {
  const url = new URL(`./__tests__/fixtures/faces/${file}`, import.meta.url)
  const image = await decodeImage(await readFile(url))
  return tf.tidy(() =>
    tf.slice(
      tf.tensor3d(Int32Array.from(image.data), [image.height, image.width, 4], 'int32'),
      [0, 0, 0],
      [image.height, image.width, 3],
    ),
  )
}

describe('blazeFaceAnchors', () => {
  it('gives the anchor centres of face-detection, in its order', () => {
    for (const [type, config] of [
      ['short', SHORT_RANGE_DETECTOR_ANCHOR_CONFIG],
      ['full', FULL_RANGE_DETECTOR_ANCHOR_CONFIG],
    ] as const) {
      const reference = createSsdAnchors({ ...config })
      expect(reference.every(({ width, height }) => width === 1 && height === 1)).toBe(true)
      const centres = blazeFaceAnchors(type)
      expect(centres).toHaveLength(2 * reference.length)
      expect(reference).toHaveLength(type === 'short' ? 896 : 2304)
      reference.forEach(({ xCenter, yCenter }, i) => {
        expect([centres[2 * i], centres[2 * i + 1]]).toEqual([xCenter, yCenter])
      })
    }
  })
})

describe('createBlazeFace (Node, wasm)', () => {
  const ours = new Map<FaceModelType, BlazeFace>()
  const reference = new Map<FaceModelType, faceDetection.FaceDetector>()
  const photos = new Map<string, tf.Tensor3D>()

  beforeAll(async () => {
    await useTestBackend('wasm')
    for (const type of TYPES) {
      ours.set(
        type,
        createBlazeFace(type, await loadFaceModel(type, undefined), 50, MIN_SCORE[type]),
      )
      // The class createDetector builds for the tfjs runtime, given the model we load.
      reference.set(
        type,
        new MediaPipeFaceDetectorTfjs(type, await loadFaceModel(type, undefined), 50),
      )
    }
    const solvay = await readPhoto('solvay_1927.jpg')
    const hopper = await readPhoto('grace_hopper.jpg')
    photos.set('astronaut (square)', await readPhoto('astronaut.png'))
    photos.set('Grace Hopper (tall)', hopper)
    photos.set('Grace Hopper, a wide cut', tf.slice(hopper, [100, 0, 0], [301, 512, 3]))
    photos.set('Solvay, one 384-px tile', tf.slice(solvay, [0, 512, 0], [384, 384, 3]))
    photos.set('Solvay, a tall cut of 3 faces', tf.slice(solvay, [60, 900, 0], [420, 233, 3]))
    photos.set('Solvay, the whole (faces too small)', solvay)
    photos.set('a tiny 7x5 image', tf.zeros([5, 7, 3], 'int32'))
  }, 60_000)

  afterAll(() => {
    for (const detector of [...ours.values(), ...reference.values()]) detector.dispose()
    tf.dispose([...photos.values()])
  })

  for (const type of TYPES) {
    it(`${type} range: the same faces, boxes and keypoints as face-detection`, async () => {
      let total = 0
      for (const [name, image] of photos) {
        const [height, width] = image.shape
        const expected = await reference.get(type)!.estimateFaces(image)
        const found = await ours.get(type)!.detectFaces(image)
        expect(found.length, name).toBe(expected.length)
        total += found.length
        // face-detection orders by score too; within a pixel (float32 rounding in a different
        // order), 1e-3 of the image.
        found.forEach((face, i) => {
          const { box, keypoints } = expected[i]!
          expect(face.score).toBeGreaterThanOrEqual(MIN_SCORE[type])
          expect(face.x * width).toBeCloseTo(box.xMin, 1)
          expect(face.y * height).toBeCloseTo(box.yMin, 1)
          expect(face.width * width).toBeCloseTo(box.width, 1)
          expect(face.height * height).toBeCloseTo(box.height, 1)
          expect(face.keypoints).toHaveLength(6)
          face.keypoints.forEach((point, k) => {
            expect(point.x * width).toBeCloseTo(keypoints[k]!.x, 1)
            expect(point.y * height).toBeCloseTo(keypoints[k]!.y, 1)
          })
        })
      }
      // The comparison is not vacuous: faces were found, in several of the cuts.
      expect(total).toBeGreaterThanOrEqual(5)
    }, 60_000)

    it(`${type} range: keeps at most maxFaces, the best ones`, async () => {
      const model = await loadFaceModel(type, undefined)
      const two = createBlazeFace(type, model, 2, MIN_SCORE[type])
      try {
        let compared = 0
        for (const image of photos.values()) {
          const all = await ours.get(type)!.detectFaces(image)
          if (all.length <= 2) continue
          expect(await two.detectFaces(image)).toEqual(all.slice(0, 2))
          expect(all[1]!.score).toBeGreaterThanOrEqual(all[2]!.score)
          compared++
        }
        expect(compared).toBeGreaterThan(0)
      } finally {
        two.dispose()
      }
    })
  }

  it('leaves no tensor behind', async () => {
    const image = photos.get('astronaut (square)')!
    await ours.get('short')!.detectFaces(image)
    const before = tf.memory().numTensors
    for (let i = 0; i < 20; i++) await ours.get('short')!.detectFaces(image)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('refuses a model of the other range, with ERR_INVALID_MODEL', async () => {
    const model = await loadFaceModel('short', undefined)
    try {
      expect(() => createBlazeFace('full', model, 1, 0.5)).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_MODEL' }),
      )
    } finally {
      model.dispose()
    }
  })
})
