/**
 * The exact score of row `row` against `query`: a float64 dot product in one fixed order, so every
 * path (the JS scan, the re-scoring of SIMD candidates, explanations, tests) gets bit-identical
 * values. Features are taken in groups of four, `(x0 q0 + x1 q1) + (x2 q2 + x3 q3)`, and the groups
 * added left to right.
 *
 * `query` has `4 * ceil(d / 4)` entries, zero past `d`; the store pads its data so that the reads
 * past the last row's `d` values stay in bounds. Those reads meet zero query entries and add
 * exactly 0.
 */
export function dotRow(data: Float32Array, row: number, d: number, query: Float64Array): number {
  const o = row * d
  let sum = 0
  for (let j = 0; j < d; j += 4) {
    sum +=
      data[o + j]! * query[j]! +
      data[o + j + 1]! * query[j + 1]! +
      (data[o + j + 2]! * query[j + 2]! + data[o + j + 3]! * query[j + 3]!)
  }
  return sum
}
