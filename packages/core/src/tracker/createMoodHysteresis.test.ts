import { describe, expect, it } from 'vitest'
import { createMoodHysteresis } from './createMoodHysteresis.ts'

describe('createMoodHysteresis', () => {
  it('reports a first mood only once it has led for minStableMs', () => {
    const h = createMoodHysteresis(1000)
    expect(h.update('happy', 0)).toBeNull()
    expect(h.update('happy', 999)).toBeNull()
    expect(h.update('happy', 1000)).toBe('happy')
    expect(h.mood).toBe('happy')
  })

  it('ignores a challenger that leads for less than minStableMs', () => {
    const h = createMoodHysteresis(500)
    h.update('neutral', 0)
    h.update('neutral', 500)
    expect(h.update('sad', 600)).toBe('neutral')
    expect(h.update('sad', 1000)).toBe('neutral')
    // neutral leads again: the challenge is over
    expect(h.update('neutral', 1050)).toBe('neutral')
    // sad again, but its clock restarts
    expect(h.update('sad', 1100)).toBe('neutral')
    expect(h.update('sad', 1599)).toBe('neutral')
    expect(h.update('sad', 1600)).toBe('sad')
  })

  it('restarts the clock when the challenger changes', () => {
    const h = createMoodHysteresis(300)
    h.update('happy', 0)
    h.update('happy', 300)
    h.update('sad', 400)
    h.update('angry', 600) // sad led 200 ms only
    expect(h.update('angry', 899)).toBe('happy')
    expect(h.update('angry', 900)).toBe('angry')
  })

  it('switches at once with minStableMs 0', () => {
    const h = createMoodHysteresis(0)
    expect(h.update('fear', 0)).toBe('fear')
    expect(h.update('disgust', 1)).toBe('disgust')
  })

  it('clears the mood when there is no face', () => {
    const h = createMoodHysteresis(100)
    h.update('happy', 0)
    h.update('happy', 100)
    expect(h.update(null, 150)).toBeNull()
    expect(h.update('happy', 200)).toBeNull()
    expect(h.update('happy', 300)).toBe('happy')
  })
})
