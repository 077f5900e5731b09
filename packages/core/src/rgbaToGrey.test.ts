import { describe, expect, it } from 'vitest'
import { MoodlensError } from './MoodlensError.ts'
import { rgbaToGrey } from './rgbaToGrey.ts'

describe('rgbaToGrey', () => {
  it('applies the BT.601 luma weights and ignores alpha', () => {
    const data = new Uint8ClampedArray([
      255, 0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 128, 255, 255, 255, 255, 0, 0, 0, 255, 10, 20, 30,
      255,
    ])
    const grey = rgbaToGrey({ width: 3, height: 2, data })
    expect(grey.width).toBe(3)
    expect(grey.height).toBe(2)
    const expected = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
      [0, 0, 0],
      [10, 20, 30],
    ].map(([r, g, b]) => Math.round(0.299 * r! + 0.587 * g! + 0.114 * b!))
    expect(Array.from(grey.data)).toEqual(expected)
  })

  it('rejects data whose length does not match the dimensions', () => {
    const bad = () => rgbaToGrey({ width: 2, height: 2, data: new Uint8ClampedArray(15) })
    expect(bad).toThrow(MoodlensError)
    expect(bad).toThrow(/needs 16 bytes, got 15/)
    try {
      bad()
    } catch (error) {
      expect((error as MoodlensError).code).toBe('ERR_INVALID_IMAGE')
      expect((error as MoodlensError).name).toBe('MoodlensError')
    }
  })

  it.each([
    [0, 1],
    [1.5, 2],
    [-1, 4],
    [Number.NaN, 1],
  ])('rejects %s x %s dimensions', (width, height) => {
    expect(() => rgbaToGrey({ width, height, data: new Uint8ClampedArray(0) })).toThrow(
      /positive integers/,
    )
  })
})
