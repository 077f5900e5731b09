import { describe, expect, it } from 'vitest'
import { EMOTIONS } from '../emotions.ts'
import { distribution } from './__tests__/scriptedFaces.ts'
import { blendProbabilities, emaWeight, leadingEmotion } from './smoothProbabilities.ts'

describe('emaWeight', () => {
  it('gives a new observation half the weight after one half-life', () => {
    expect(emaWeight(250, 250)).toBeCloseTo(0.5, 12)
    expect(emaWeight(500, 250)).toBeCloseTo(0.75, 12)
  })

  it('follows real time: two short steps equal one long step', () => {
    const halfLife = 300
    const w1 = emaWeight(40, halfLife)
    const w2 = emaWeight(60, halfLife)
    // value after two steps towards 1 from 0 equals the value after one 100 ms step
    const twoSteps = 1 - (1 - w1) * (1 - w2)
    expect(twoSteps).toBeCloseTo(emaWeight(100, halfLife), 12)
  })

  it('is 1 without smoothing or after an infinite gap, 0 when no time passed', () => {
    expect(emaWeight(16, 0)).toBe(1)
    expect(emaWeight(Infinity, 250)).toBe(1)
    expect(emaWeight(0, 250)).toBe(0)
    expect(emaWeight(-5, 250)).toBe(0)
  })
})

describe('blendProbabilities', () => {
  it('moves each probability by the weight and keeps the sum at 1', () => {
    const happy = distribution('happy', 0.9)
    const sad = distribution('sad', 0.9)
    const blended = blendProbabilities(happy, sad, 0.25)
    expect(blended.happy).toBeCloseTo(0.9 * 0.75 + (0.1 / 6) * 0.25, 12)
    expect(blended.sad).toBeCloseTo((0.1 / 6) * 0.75 + 0.9 * 0.25, 12)
    expect(EMOTIONS.reduce((sum, e) => sum + blended[e], 0)).toBeCloseTo(1, 12)
  })

  it('keeps the previous value at weight 0 and takes the new one at weight 1', () => {
    const a = distribution('fear')
    const b = distribution('angry')
    expect(blendProbabilities(a, b, 0)).toEqual(a)
    expect(blendProbabilities(a, b, 1)).toEqual(b)
  })
})

describe('leadingEmotion', () => {
  it('returns the most likely emotion and its probability', () => {
    expect(leadingEmotion(distribution('surprise', 0.6))).toEqual({
      emotion: 'surprise',
      confidence: 0.6,
    })
  })

  it('breaks ties by the order of EMOTIONS', () => {
    const tie = { angry: 0, disgust: 0, fear: 0, happy: 0.5, sad: 0.5, surprise: 0, neutral: 0 }
    expect(leadingEmotion(tie).emotion).toBe('happy')
  })
})
