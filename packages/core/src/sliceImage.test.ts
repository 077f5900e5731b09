import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { TEST_BACKENDS, useTestBackend } from './__tests__/testBackends.ts'
import { sliceImage } from './sliceImage.ts'

// [top, left, height, width] regions of a 7x9 image: inner, full rows, one pixel, one column,
// the whole image, a corner.
const REGIONS: readonly (readonly [number, number, number, number])[] = [
  [2, 3, 4, 5],
  [1, 0, 3, 9],
  [6, 8, 1, 1],
  [0, 4, 7, 1],
  [0, 0, 7, 9],
  [5, 6, 2, 3],
]

describe.each(TEST_BACKENDS)('sliceImage on %s', (backend) => {
  it('gives what tf.slice gives, for int32 and float32 images of 1, 3 and 4 channels', async () => {
    await useTestBackend(backend)
    for (const [dtype, channels] of [
      ['int32', 3],
      ['float32', 3],
      ['int32', 1],
      ['float32', 4],
    ] as const) {
      const values = Array.from({ length: 7 * 9 * channels }, (_, i) => (i * 37) % 256)
      const image = tf.tensor3d(values, [7, 9, channels], dtype)
      for (const [top, left, height, width] of REGIONS) {
        const before = tf.memory().numTensors
        const ours = sliceImage(image, top, left, height, width)
        const reference = tf.slice(image, [top, left, 0], [height, width, channels])
        expect(ours.shape).toEqual([height, width, channels])
        expect(ours.dtype).toBe(dtype)
        expect(await ours.array()).toEqual(await reference.array())
        tf.dispose([ours, reference])
        expect(tf.memory().numTensors).toBe(before)
      }
      // The image itself is left as it was.
      expect(Array.from(await image.data())).toEqual(values)
      image.dispose()
    }
  })
})
