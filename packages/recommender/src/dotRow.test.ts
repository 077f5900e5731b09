import { describe, expect, it } from 'vitest'
import { dotRow } from './dotRow.ts'

describe('dotRow', () => {
  it('sums features in groups of four, in a fixed order, reading zero-weighted padding', () => {
    // two rows of d = 5, then the store's 4 padding values
    const data = new Float32Array([0.5, -0.25, 1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0])
    const query = new Float64Array([1, 2, 3, 4, 5, 0, 0, 0])
    expect(dotRow(data, 0, 5, query)).toBe(
      0.5 * 1 + -0.25 * 2 + (1 * 3 + 2 * 4) + (4 * 5 + 0 + 0 + 0),
    )
    // row 0's second group reads row 1's first values, row 1's reads past its end land in the
    // padding: both are multiplied by zero query entries
    expect(dotRow(data, 1, 5, query)).toBe(8 * 1 + 16 * 2 + (32 * 3 + 64 * 4) + 128 * 5)
  })

  it('is bit-identical however often it is called', () => {
    const data = Float32Array.from({ length: 12 + 4 }, (_, i) => Math.fround(Math.sin(i + 1) / 3))
    const query = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i) / 2)
    const first = dotRow(data, 0, 12, query)
    const expected =
      0 +
      (data[0]! * query[0]! +
        data[1]! * query[1]! +
        (data[2]! * query[2]! + data[3]! * query[3]!)) +
      (data[4]! * query[4]! +
        data[5]! * query[5]! +
        (data[6]! * query[6]! + data[7]! * query[7]!)) +
      (data[8]! * query[8]! +
        data[9]! * query[9]! +
        (data[10]! * query[10]! + data[11]! * query[11]!))
    expect(first).toBe(expected)
    for (let i = 0; i < 10; i++) expect(dotRow(data, 0, 12, query)).toBe(first)
  })
})
