import { describe, expect, it } from 'vitest'
import { timeTicks } from './timeTicks.ts'

describe('timeTicks', () => {
  it('puts about five ticks on whole seconds within the range', () => {
    expect(timeTicks(10_200, 20_100)).toEqual([12_000, 14_000, 16_000, 18_000, 20_000])
  })

  it('never steps by less than the minimum, so short ranges get distinct labels', () => {
    expect(timeTicks(10_100, 12_900)).toEqual([11_000, 12_000])
    expect(timeTicks(10_100, 10_900)).toEqual([])
  })

  it('steps by whole minutes when asked to', () => {
    expect(timeTicks(0, 3_600_000, 4, 60_000)).toEqual([
      0, 900_000, 1_800_000, 2_700_000, 3_600_000,
    ])
  })
})
