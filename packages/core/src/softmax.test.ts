import { describe, expect, it } from 'vitest'
import { softmax } from './softmax.ts'

describe('softmax', () => {
  it('turns logits into probabilities in their ratio of exponentials', () => {
    const [a, b] = softmax([0, Math.log(3)])
    expect(a).toBeCloseTo(0.25, 12)
    expect(b).toBeCloseTo(0.75, 12)
  })

  it('does not overflow for large logits and sums to 1', () => {
    const probabilities = softmax([1000, 1000, 999, -1000])
    expect(probabilities.every(Number.isFinite)).toBe(true)
    expect(probabilities[0]).toBeCloseTo(probabilities[1]!, 12)
    expect(probabilities[2]! / probabilities[0]!).toBeCloseTo(Math.exp(-1), 12)
    expect(probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12)
  })

  it('reads typed arrays', () => {
    expect(softmax(new Float32Array([2, 2]))).toEqual([0.5, 0.5])
  })
})
