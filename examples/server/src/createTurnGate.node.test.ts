import { describe, expect, it } from 'vitest'
import { createTurnGate } from './createTurnGate.ts'

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('createTurnGate', () => {
  it('admits at most perTurn requests per event-loop turn, in arrival order', async () => {
    const gate = createTurnGate(3)
    const order: number[] = []
    const admitted = Array.from({ length: 7 }, (_, i) => gate.admit().then(() => order.push(i)))
    expect(gate.waiting).toBe(7)
    await nextTurn()
    await Promise.resolve()
    expect(order).toEqual([0, 1, 2])
    expect(gate.waiting).toBe(4)
    await nextTurn()
    await Promise.resolve()
    expect(order).toEqual([0, 1, 2, 3, 4, 5])
    await Promise.all(admitted)
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(gate.waiting).toBe(0)
  })

  it('starts again after going idle', async () => {
    const gate = createTurnGate(1)
    await gate.admit()
    await gate.admit()
    expect(gate.waiting).toBe(0)
  })

  it('refuses a quota that is not a positive integer', () => {
    expect(() => createTurnGate(0)).toThrow(TypeError)
    expect(() => createTurnGate(1.5)).toThrow(/perTurn/)
  })
})
