import { describe, expect, it } from 'vitest'
import { renderHook } from './__tests__/renderHook.tsx'
import { createTestCatalog } from './__tests__/testCatalog.ts'
import { useMoodJourney } from './useMoodJourney.ts'

const catalog = createTestCatalog()

describe('useMoodJourney', () => {
  it('moves from the current mood to the goal without repeats', async () => {
    const hook = await renderHook(
      (length: number) => useMoodJourney({ catalog, from: 'sad', to: 'happy', length }),
      6,
    )
    const { steps, error } = hook.current
    expect(error).toBeNull()
    expect(steps).toHaveLength(6)
    expect(new Set(steps.map((step) => step.id)).size).toBe(6)
    expect(steps[0]!.progress).toBe(0)
    expect(steps[5]!.progress).toBe(1)
    expect(steps[5]!.track.valence).toBeGreaterThan(steps[0]!.track.valence)

    const before = hook.current.steps
    await hook.rerender(6)
    expect(hook.current.steps).toBe(before)
    await hook.unmount()
  })

  it('reports a bad length as an error', async () => {
    const hook = await renderHook(
      (length: number) => useMoodJourney({ catalog, from: 'sad', to: 'happy', length }),
      1,
    )
    expect(hook.current.steps).toEqual([])
    expect(hook.current.error).toBeInstanceOf(TypeError)
    expect((hook.current.error as TypeError & { code?: string }).code).toBe('ERR_INVALID_OPTION')
    await hook.unmount()
  })
})
