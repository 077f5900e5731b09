import { describe, expect, it } from 'vitest'
import { createMoodStore } from './createMoodStore.ts'

const T0 = 1_700_000_000_000

describe('createMoodStore', () => {
  it('starts empty and records a mood picked by name as a certain one', () => {
    const store = createMoodStore()
    expect(store.getSnapshot()).toEqual({ current: undefined, timeline: [] })
    store.set('sad', 'manual', { at: T0 })
    const { current, timeline } = store.getSnapshot()
    expect(current).toMatchObject({ emotion: 'sad', source: 'manual', at: T0 })
    expect(current?.probabilities.sad).toBe(1)
    expect(current?.probabilities.happy).toBe(0)
    expect(timeline).toHaveLength(1)
  })

  it('names the most likely emotion unless told which one is stable', () => {
    const store = createMoodStore()
    const mood = { happy: 0.5, neutral: 0.3, sad: 0.2 }
    store.set(mood, 'camera', { at: T0 })
    expect(store.getSnapshot().current?.emotion).toBe('happy')
    store.set(mood, 'camera', { at: T0 + 2000, emotion: 'neutral' })
    expect(store.getSnapshot().current?.emotion).toBe('neutral')
  })

  it('keeps at most one camera sample per second in the timeline, but every mood picked by hand', () => {
    const store = createMoodStore()
    store.set('happy', 'camera', { at: T0 })
    store.set('sad', 'camera', { at: T0 + 400 })
    store.set('fear', 'camera', { at: T0 + 900 })
    expect(store.getSnapshot().timeline).toHaveLength(1)
    expect(store.getSnapshot().current?.emotion).toBe('fear')
    store.set('angry', 'manual', { at: T0 + 950 })
    store.set('happy', 'camera', { at: T0 + 2000 })
    expect(store.getSnapshot().timeline.map((sample) => sample.at)).toEqual([
      T0,
      T0 + 950,
      T0 + 2000,
    ])
  })

  it('forgets samples older than its window', () => {
    const store = createMoodStore(60_000)
    store.set('happy', 'manual', { at: T0 })
    store.set('sad', 'manual', { at: T0 + 30_000 })
    store.set('fear', 'manual', { at: T0 + 61_000 })
    expect(store.getSnapshot().timeline.map((sample) => sample.at)).toEqual([
      T0 + 30_000,
      T0 + 61_000,
    ])
  })

  it('notifies subscribers with a new snapshot, and stops after unsubscribing', () => {
    const store = createMoodStore()
    const seen: unknown[] = []
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot()))
    const before = store.getSnapshot()
    store.set('happy', 'manual')
    expect(seen).toHaveLength(1)
    expect(seen[0]).not.toBe(before)
    unsubscribe()
    store.set('sad', 'manual')
    expect(seen).toHaveLength(1)
  })

  it('refuses a mood that is not a distribution over the seven emotions', () => {
    const store = createMoodStore()
    expect(() => store.set({ joy: 1 } as never, 'manual')).toThrow(
      expect.objectContaining({ code: 'ERR_UNKNOWN_EMOTION' }),
    )
    expect(store.getSnapshot().current).toBeUndefined()
  })
})
