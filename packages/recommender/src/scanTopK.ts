import { BLOCK_ROWS, QUERY_SLOTS } from './createVectorStore.ts'
import type { CatalogInternals } from './createCatalog.ts'
import { dotRow } from './dotRow.ts'
import { TopK } from './TopK.ts'

/**
 * Exact top-`k` rows for each query (unit vectors of `dPadded` entries), among the first `rows`
 * rows, keeping only rows `accept` approves (it is asked only about rows good enough to enter the
 * top `k` so far, in increasing row order). Ties go to the lower row.
 *
 * With the SIMD scorer, each cache-sized block of rows is scored in float32 against every query in
 * turn; a row whose float32 score comes within the scorer's error bound of a query's current
 * threshold is re-scored exactly with {@link dotRow}, so the result equals an exact float64 scan.
 */
export function scanTopK(
  internals: CatalogInternals,
  rows: number,
  queries: readonly Float64Array[],
  k: number,
  accept: ((row: number) => boolean) | undefined,
): TopK[] {
  const { d, store } = internals
  const data = store.data
  const heaps = queries.map(() => new TopK(k))
  if (k === 0) return heaps
  const scorer = store.scorer
  if (scorer === undefined) {
    queries.forEach((query, t) => {
      const heap = heaps[t]!
      let threshold = -Infinity
      for (let row = 0; row < rows; row++) {
        const score = dotRow(data, row, d, query)
        if (score > threshold && (accept === undefined || accept(row))) {
          threshold = heap.push(score, row)
        }
      }
    })
    return heaps
  }
  const epsilon = scorer.errorBound
  const scores = scorer.scores
  for (let first = 0; first < queries.length; first += QUERY_SLOTS) {
    const batch = queries.slice(first, first + QUERY_SLOTS)
    batch.forEach((query, slot) => scorer.setQuery(slot, query))
    const thresholds = new Float64Array(batch.length).fill(-Infinity)
    for (let start = 0; start < rows; start += BLOCK_ROWS) {
      const count = Math.min(BLOCK_ROWS, rows - start)
      for (let slot = 0; slot < batch.length; slot++) {
        let threshold = thresholds[slot]!
        if (scorer.score(start, count, slot) <= threshold - epsilon) continue
        const query = batch[slot]!
        const heap = heaps[first + slot]!
        let bar = threshold - epsilon
        for (let r = 0; r < count; r++) {
          if (scores[r]! <= bar) continue
          const row = start + r
          const score = dotRow(data, row, d, query)
          if (score > threshold && (accept === undefined || accept(row))) {
            threshold = heap.push(score, row)
            bar = threshold - epsilon
          }
        }
        thresholds[slot] = threshold
      }
    }
  }
  return heaps
}
