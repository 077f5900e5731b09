import { RecommenderError, type MoodInput } from '@moodlens/recommender'
import { describe, expect, it } from 'vitest'
import { renderHook } from './__tests__/renderHook.tsx'
import { createTestCatalog } from './__tests__/testCatalog.ts'
import { useRecommendations } from './useRecommendations.ts'

const catalog = createTestCatalog()
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length

describe('useRecommendations', () => {
  it('ranks the catalogue for the mood', async () => {
    const hook = await renderHook(
      (mood: MoodInput) => useRecommendations({ catalog, mood, k: 6 }),
      'happy' as MoodInput,
    )
    const happy = hook.current.recommendations
    expect(hook.current.error).toBeNull()
    expect(happy).toHaveLength(6)

    await hook.rerender('sad')
    const sad = hook.current.recommendations
    expect(mean(happy.map((rec) => rec.track.valence))).toBeGreaterThan(
      mean(sad.map((rec) => rec.track.valence)),
    )
    await hook.unmount()
  })

  it('keeps the same list while the mood only jitters, and recomputes when it really changes', async () => {
    const jitter = (happy: number): MoodInput => ({ happy, neutral: 1 - happy })
    const hook = await renderHook(
      (mood: MoodInput) => useRecommendations({ catalog, mood, k: 5 }),
      jitter(0.8),
    )
    const first = hook.current.recommendations

    await hook.rerender(jitter(0.81))
    await hook.rerender(jitter(0.79))
    expect(hook.current.recommendations).toBe(first)

    await hook.rerender({ sad: 0.9, neutral: 0.1 })
    expect(hook.current.recommendations).not.toBe(first)
    expect(hook.current.recommendations.map((rec) => rec.id)).not.toEqual(
      first.map((rec) => rec.id),
    )
    await hook.unmount()
  })

  it('honours exclude and the uplift strategy', async () => {
    const hook = await renderHook(
      (exclude: string[]) =>
        useRecommendations({
          catalog,
          mood: 'sad',
          strategy: 'uplift',
          goal: 'happy',
          k: 4,
          exclude,
        }),
      [] as string[],
    )
    const firstIds = hook.current.recommendations.map((rec) => rec.id)
    await hook.rerender(firstIds.slice(0, 2))
    const ids = hook.current.recommendations.map((rec) => rec.id)
    expect(ids).toHaveLength(4)
    expect(ids).not.toContain(firstIds[0])
    expect(ids).not.toContain(firstIds[1])
    await hook.unmount()
  })

  it('reports a bad mood as a typed error instead of throwing', async () => {
    const hook = await renderHook((mood: MoodInput) => useRecommendations({ catalog, mood }), {
      happy: 3,
    } as MoodInput)
    expect(hook.current.recommendations).toEqual([])
    expect(hook.current.error).toBeInstanceOf(RecommenderError)
    await hook.rerender('neutral')
    expect(hook.current.error).toBeNull()
    expect(hook.current.recommendations.length).toBeGreaterThan(0)
    await hook.unmount()
  })
})
