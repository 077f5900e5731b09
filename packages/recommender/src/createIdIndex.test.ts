import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createIdIndex } from './createIdIndex.ts'

describe('createIdIndex', () => {
  it('maps ids to rows like a Map, first row wins', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }),
        fc.array(fc.string({ maxLength: 6 })),
        (ids, probes) => {
          const rows: string[] = []
          const index = createIdIndex(ids.length, (row) => rows[row]!)
          const reference = new Map<string, number>()
          for (const id of ids) {
            const before = reference.get(id)
            expect(index.add(id, rows.length)).toBe(before ?? -1)
            if (before === undefined) {
              reference.set(id, rows.length)
              rows.push(id)
            }
          }
          for (const id of [...ids, ...probes]) expect(index.get(id)).toBe(reference.get(id) ?? -1)
        },
      ),
    )
  })

  it('stays correct when full to its capacity with similar ids', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `track-${i}`)
    const index = createIdIndex(ids.length, (row) => ids[row]!)
    ids.forEach((id, row) => expect(index.add(id, row)).toBe(-1))
    ids.forEach((id, row) => expect(index.get(id)).toBe(row))
    expect(index.get('track-5000')).toBe(-1)
    expect(index.get('')).toBe(-1)
  })
})
