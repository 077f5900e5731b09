import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRandom, randomTracks } from './__tests__/randomTracks.ts'
import { buildCatalog, catalogInternals } from './createCatalog.ts'
import { BLOCK_ROWS, QUERY_SLOTS, createVectorStore } from './createVectorStore.ts'
import { dotRow } from './dotRow.ts'
import { scanTopK } from './scanTopK.ts'
import { scoringErrorBound } from './scoringModule.ts'

function unitQuery(seed: number, d: number): Float64Array {
  const random = createRandom(seed)
  const query = new Float64Array(4 * Math.ceil(d / 4))
  let sum = 0
  for (let j = 0; j < d; j++) {
    query[j] = random() * 2 - 1
    sum += query[j]! ** 2
  }
  for (let j = 0; j < d; j++) query[j]! /= Math.sqrt(sum)
  return query
}

/** Every row scored exactly, sorted by score then row, filtered, cut to k. */
function naiveTopK(
  data: Float32Array,
  rows: number,
  d: number,
  query: Float64Array,
  k: number,
  accept?: (row: number) => boolean,
) {
  const all = Array.from({ length: rows }, (_, row) => ({
    row,
    score: dotRow(data, row, d, query),
  }))
  return all
    .filter(({ row }) => accept === undefined || accept(row))
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, k)
}

const kernelCases = [
  ['SIMD (WebAssembly)', 'wasm'],
  ['plain JS', 'js'],
] as const

describe.each(kernelCases)('scanTopK with the %s kernel', (_, kernel) => {
  it('returns exactly the naive top-k, ties to the lower row', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 40 }),
        fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
        fc.integer(),
        (rows, d, k, levels, seed) => {
          const features = Array.from({ length: d }, (_, j) => `f${j}`)
          const catalog = buildCatalog(
            randomTracks(seed, rows, features, levels),
            { features },
            kernel,
          )
          const internals = catalogInternals(catalog)
          expect(internals.store.scorer !== undefined).toBe(kernel === 'wasm')
          const query = unitQuery(seed ^ 0x5bd1e995, d)
          const heap = scanTopK(internals, catalog.size, [query], k, undefined)[0]!
          const expected = naiveTopK(internals.store.data, catalog.size, d, query, k)
          const { indices, scores } = heap.sorted()
          expect(Array.from(indices)).toEqual(expected.map((e) => e.row))
          expect(Array.from(scores)).toEqual(expected.map((e) => e.score))
        },
      ),
      { numRuns: 60 },
    )
  })

  it('asks accept only about rows good enough to enter, and honours it', () => {
    const features = ['a', 'b', 'c', 'd', 'e']
    const catalog = buildCatalog(randomTracks(7, 5000, features), { features }, kernel)
    const internals = catalogInternals(catalog)
    const query = unitQuery(11, 5)
    const asked: number[] = []
    const accept = (row: number) => {
      asked.push(row)
      return row % 3 === 0
    }
    const heap = scanTopK(internals, catalog.size, [query], 25, accept)[0]!
    expect(Array.from(heap.sorted().indices)).toEqual(
      naiveTopK(internals.store.data, catalog.size, 5, query, 25, (row) => row % 3 === 0).map(
        (e) => e.row,
      ),
    )
    expect(asked.length).toBeLessThan(catalog.size / 4)
    expect(asked).toEqual([...asked].sort((x, y) => x - y))
  })

  it('scores many queries at once exactly as one by one', () => {
    const features = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
    const catalog = buildCatalog(
      randomTracks(8, 3 * BLOCK_ROWS + 17, features),
      { features },
      kernel,
    )
    const internals = catalogInternals(catalog)
    const queries = Array.from({ length: QUERY_SLOTS + 5 }, (_, t) => unitQuery(100 + t, 7))
    const together = scanTopK(internals, catalog.size, queries, 10, undefined)
    queries.forEach((query, t) => {
      const alone = scanTopK(internals, catalog.size, [query], 10, undefined)[0]!
      expect(Array.from(together[t]!.sorted().indices)).toEqual(Array.from(alone.sorted().indices))
    })
  })

  it('returns nothing for k = 0 and everything for k >= rows', () => {
    const catalog = buildCatalog(randomTracks(9, 30, ['a', 'b']), { features: ['a', 'b'] }, kernel)
    const internals = catalogInternals(catalog)
    const query = unitQuery(1, 2)
    expect(scanTopK(internals, 30, [query], 0, undefined)[0]!.size).toBe(0)
    expect(scanTopK(internals, 30, [query], 100, undefined)[0]!.size).toBe(30)
  })
})

describe('the SIMD kernel', () => {
  it('stays within its error bound of the exact scores', () => {
    for (const d of [1, 3, 4, 5, 10, 12, 16, 17, 33]) {
      const features = Array.from({ length: d }, (_, j) => `f${j}`)
      // a last block of 7 rows: one group of four, then three one at a time
      const catalog = buildCatalog(
        randomTracks(d, 2 * BLOCK_ROWS + 7, features),
        { features },
        'wasm',
      )
      const { store } = catalogInternals(catalog)
      const scorer = store.scorer!
      const query = unitQuery(d * 31, d)
      scorer.setQuery(0, query)
      const bound = scoringErrorBound(d)
      let worst = 0
      for (let start = 0; start < catalog.size; start += BLOCK_ROWS) {
        const count = Math.min(BLOCK_ROWS, catalog.size - start)
        const max = scorer.score(start, count, 0)
        let blockMax = -Infinity
        for (let r = 0; r < count; r++) {
          const exact = dotRow(store.data, start + r, d, query)
          worst = Math.max(worst, Math.abs(scorer.scores[r]! - exact))
          blockMax = Math.max(blockMax, scorer.scores[r]!)
        }
        expect(max).toBe(blockMax)
      }
      expect(worst).toBeLessThan(bound)
      expect(bound).toBeLessThan(1e-4)
    }
  })

  it('is used for large catalogues by default', () => {
    expect(createVectorStore(10, 4).scorer).toBeUndefined()
    expect(createVectorStore(10, 4, 'wasm').scorer).toBeDefined()
    expect(createVectorStore(5000, 4).scorer).toBeDefined()
    expect(createVectorStore(5000, 4, 'js').scorer).toBeUndefined()
  })
})
