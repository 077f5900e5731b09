import { describe, expect, it } from 'vitest'
import { MAIN_FACE_SWITCH_RATIO, pickMainFace } from './pickMainFace.ts'

const face = (id: number, size: number) => ({
  id,
  box: { x: id * 100, y: 0, width: size, height: size },
})

describe('pickMainFace', () => {
  it('is null without faces', () => {
    expect(pickMainFace([], null)).toBeNull()
    expect(pickMainFace([], 3)).toBeNull()
  })

  it('picks the largest face when there is no previous main face', () => {
    expect(pickMainFace([face(1, 50), face(2, 80), face(3, 60)], null)?.id).toBe(2)
  })

  it('gives equal areas to the older track', () => {
    expect(pickMainFace([face(4, 50), face(2, 50)], null)?.id).toBe(2)
  })

  it('keeps the previous main face unless another is clearly larger', () => {
    const side = 100 * Math.sqrt(MAIN_FACE_SWITCH_RATIO)
    expect(pickMainFace([face(1, 100), face(2, 110)], 1)?.id).toBe(1)
    expect(pickMainFace([face(1, 100), face(2, side - 0.01)], 1)?.id).toBe(1)
    expect(pickMainFace([face(1, 100), face(2, side + 0.01)], 1)?.id).toBe(2)
  })

  it('picks the largest when the previous main face is gone', () => {
    expect(pickMainFace([face(2, 40), face(3, 70)], 1)?.id).toBe(3)
  })
})
