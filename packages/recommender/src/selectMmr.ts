import { dotRow } from './dotRow.ts'

/**
 * Maximal marginal relevance (Carbonell & Goldstein, 1998): from a pool of candidates ordered by
 * relevance, picks `k` one at a time, each maximising
 * `lambda * relevance - (1 - lambda) * (highest cosine to a track already picked)`.
 * `lambda = 1` keeps the pool's order; lower values trade relevance for variety. Ties go to the
 * candidate earlier in the pool. Returns positions in the pool, in picking order.
 */
export function selectMmr(
  data: Float32Array,
  d: number,
  dPadded: number,
  rows: Int32Array,
  relevance: Float64Array,
  k: number,
  lambda: number,
): number[] {
  const size = rows.length
  const picked: number[] = []
  const used = new Uint8Array(size)
  const closest = new Float64Array(size).fill(-Infinity)
  const row = new Float64Array(dPadded)
  while (picked.length < Math.min(k, size)) {
    let best = -1
    let bestValue = -Infinity
    for (let c = 0; c < size; c++) {
      if (used[c] === 1) continue
      const value =
        picked.length === 0
          ? lambda * relevance[c]!
          : lambda * relevance[c]! - (1 - lambda) * closest[c]!
      if (best < 0 || value > bestValue) {
        best = c
        bestValue = value
      }
    }
    picked.push(best)
    used[best] = 1
    const offset = rows[best]! * d
    for (let j = 0; j < d; j++) row[j] = data[offset + j]!
    for (let c = 0; c < size; c++) {
      if (used[c] === 1) continue
      const similarity = dotRow(data, rows[c]!, d, row)
      if (similarity > closest[c]!) closest[c] = similarity
    }
  }
  return picked
}
