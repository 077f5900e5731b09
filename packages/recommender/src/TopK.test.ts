import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TopK } from './TopK.ts'

/** The reference: sort everything by score, then index, and cut. */
function naive(entries: readonly (readonly [number, number])[], k: number) {
  return [...entries].sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k)
}

describe('TopK', () => {
  it('equals a full sort, ties broken by the lower index, whatever the insertion order', () => {
    fc.assert(
      fc.property(
        // few distinct scores, so that ties are common
        fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (scores, k, seed) => {
          const entries = scores.map((score, index) => [score / 4, index] as const)
          // a seeded shuffle: insertion order must not matter
          const order = entries.map((_, i) => i)
          let state = seed
          for (let i = order.length - 1; i > 0; i--) {
            state = (Math.imul(state, 1103515245) + 12345) | 0
            const j = Math.abs(state) % (i + 1)
            ;[order[i], order[j]] = [order[j]!, order[i]!]
          }
          const heap = new TopK(k)
          for (const i of order) heap.push(entries[i]![0], entries[i]![1])
          const { scores: kept, indices } = heap.sorted()
          const expected = naive(entries, k)
          expect(Array.from(indices)).toEqual(expected.map((e) => e[1]))
          expect(Array.from(kept)).toEqual(expected.map((e) => e[0]))
        },
      ),
    )
  })

  it('reports the threshold to beat', () => {
    const heap = new TopK(2)
    expect(heap.threshold).toBe(-Infinity)
    heap.push(0.5, 0)
    expect(heap.threshold).toBe(-Infinity)
    expect(heap.push(0.7, 1)).toBe(0.5)
    expect(heap.push(0.6, 2)).toBe(0.6)
    expect(heap.push(0.1, 3)).toBe(0.6)
    expect(heap.size).toBe(2)
    expect(Array.from(heap.sorted().indices)).toEqual([1, 2])
  })
})
