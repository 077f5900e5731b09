import { RecommenderError } from '@moodlens/recommender'
import { act } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { renderHook } from './__tests__/renderHook.tsx'
import { createTestCatalog } from './__tests__/testCatalog.ts'
import { useTasteProfile } from './useTasteProfile.ts'

const catalog = createTestCatalog()
const KEY = 'moodlens-test:taste'

describe('useTasteProfile', () => {
  afterEach(() => localStorage.removeItem(KEY))

  it('learns from feedback and persists across mounts', async () => {
    const hook = await renderHook(() => useTasteProfile({ storageKey: KEY }), undefined)
    const empty = hook.current.profile
    expect(empty.feedbackCount).toBe(0)

    let error: Error | null = new Error('not called')
    await act(async () => {
      error = hook.current.learn(catalog, { trackId: 'song-002', signal: 'like', mood: 'sad' })
    })
    expect(error).toBeNull()
    expect(hook.current.profile).not.toBe(empty)
    expect(empty.feedbackCount).toBe(0)
    expect(hook.current.profile.feedbackCount).toBe(1)
    expect(JSON.parse(localStorage.getItem(KEY)!)).toEqual(hook.current.profile.toJSON())
    await hook.unmount()

    const again = await renderHook(() => useTasteProfile({ storageKey: KEY }), undefined)
    expect(again.current.profile.feedbackCount).toBe(1)
    expect(again.current.profile.offset('sad')).toEqual(hook.current.profile.offset('sad'))

    await act(async () => again.current.reset())
    expect(again.current.profile.feedbackCount).toBe(0)
    expect(localStorage.getItem(KEY)).toBeNull()
    await again.unmount()
  })

  it('returns the error for feedback on an unknown track and changes nothing', async () => {
    const hook = await renderHook(() => useTasteProfile(), undefined)
    const before = hook.current.profile
    let error: Error | null = null
    await act(async () => {
      error = hook.current.learn(catalog, {
        trackId: 'no-such-song',
        signal: 'like',
        mood: 'happy',
      })
    })
    expect(error).toBeInstanceOf(RecommenderError)
    expect((error as unknown as RecommenderError).code).toBe('ERR_UNKNOWN_TRACK')
    expect(hook.current.profile).toBe(before)
    await hook.unmount()
  })

  it('starts afresh from a corrupt stored value and says why', async () => {
    localStorage.setItem(KEY, '{"version": 99')
    const hook = await renderHook(() => useTasteProfile({ storageKey: KEY }), undefined)
    expect(hook.current.profile.feedbackCount).toBe(0)
    expect(hook.current.error).toBeInstanceOf(SyntaxError)
    await hook.unmount()
  })
})
