import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeOf } from './__tests__/thrown.ts'
import { EMOTIONS } from './emotions.ts'
import { toEmotionProbabilities } from './toEmotionProbabilities.ts'

describe('toEmotionProbabilities', () => {
  it('makes a name certain', () => {
    expect(toEmotionProbabilities('fear')).toEqual({
      angry: 0,
      disgust: 0,
      fear: 1,
      happy: 0,
      sad: 0,
      surprise: 0,
      neutral: 0,
    })
  })

  it('fills missing emotions with 0 and rescales a near-1 sum to exactly 1', () => {
    const p = toEmotionProbabilities({ happy: 0.33, sad: 0.33, neutral: 0.33 })
    expect(p.happy).toBeCloseTo(1 / 3, 12)
    expect(p.angry).toBe(0)
    expect(EMOTIONS.reduce((sum, e) => sum + p[e], 0)).toBeCloseTo(1, 12)
  })

  it('returns a frozen record', () => {
    expect(Object.isFrozen(toEmotionProbabilities('happy'))).toBe(true)
  })

  it('accepts every distribution within tolerance, keeping proportions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 7, maxLength: 7 }),
        (raw) => {
          const sum = raw.reduce((a, b) => a + b, 0)
          fc.pre(sum > 1e-6)
          const input = Object.fromEntries(EMOTIONS.map((e, i) => [e, raw[i]! / sum]))
          const p = toEmotionProbabilities(input)
          for (const e of EMOTIONS) expect(p[e]).toBeCloseTo(input[e]!, 9)
        },
      ),
    )
  })

  it.each([
    ['joy', 'ERR_UNKNOWN_EMOTION'],
    [{ happy: 0.5, contempt: 0.5 }, 'ERR_UNKNOWN_EMOTION'],
    [{ happy: 0.5 }, 'ERR_INVALID_DISTRIBUTION'],
    [{ happy: 50, sad: 50 }, 'ERR_INVALID_DISTRIBUTION'],
    [{ happy: 1.5, sad: -0.5 }, 'ERR_INVALID_DISTRIBUTION'],
    [{ happy: Number.NaN }, 'ERR_INVALID_DISTRIBUTION'],
    [{ happy: Number.POSITIVE_INFINITY }, 'ERR_INVALID_DISTRIBUTION'],
    [{ happy: '1' }, 'ERR_INVALID_DISTRIBUTION'],
    [{}, 'ERR_INVALID_DISTRIBUTION'],
    [null, 'ERR_INVALID_DISTRIBUTION'],
    [[0.5, 0.5], 'ERR_INVALID_DISTRIBUTION'],
    [3, 'ERR_INVALID_DISTRIBUTION'],
  ])('rejects %j with %s', (input, code) => {
    expect(codeOf(() => toEmotionProbabilities(input as never))).toBe(code)
  })

  it('names the offending emotion', () => {
    expect(() => toEmotionProbabilities({ happy: 1, sad: -0.1 } as never)).toThrow(/"sad"/)
  })
})
