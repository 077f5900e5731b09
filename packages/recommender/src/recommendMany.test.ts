import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRandom, randomTracks, spotifyLikeTracks } from './__tests__/randomTracks.ts'
import { buildCatalog, createCatalog } from './createCatalog.ts'
import { QUERY_SLOTS } from './createVectorStore.ts'
import { EMOTIONS } from './emotions.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { moodTarget } from './moodTarget.ts'
import { recommend } from './recommend.ts'
import { recommendMany } from './recommendMany.ts'
import type { RecommendTarget } from './resolveQuery.ts'
import { createTasteProfile } from './TasteProfile.ts'

describe('recommendMany', () => {
  it('equals one recommend call per target, with the same options', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 2 * QUERY_SLOTS + 3 }),
        fc.constantFrom('wasm' as const, 'js' as const),
        (seed, rows, count, kernel) => {
          const features = ['a', 'b', 'c', 'd', 'e']
          const catalog = buildCatalog(randomTracks(seed, rows, features), { features }, kernel)
          const random = createRandom(seed)
          const targets: RecommendTarget[] = Array.from({ length: count }, () => ({
            features: Object.fromEntries(features.map((f) => [f, random() - 0.5])),
          }))
          const exclude = ['t1', 't2', 't3']
          const options = { k: 7, exclude, filter: { a: { min: 0.1 } } }
          const together = recommendMany(catalog, targets, options)
          expect(together).toHaveLength(count)
          targets.forEach((target, t) =>
            expect(together[t]).toEqual(recommend(catalog, target, options)),
          )
        },
      ),
      { numRuns: 25 },
    )
  })

  it('handles moods, neutral ones, diversity, explanations and taste profiles in one batch', () => {
    const catalog = createCatalog(spotifyLikeTracks(5, 2500))
    const taste = createTasteProfile()
    taste.learn(catalog, { trackId: 's1', signal: 'like', mood: 'happy' })
    const targets: RecommendTarget[] = [
      ...EMOTIONS,
      { happy: 0.5, sad: 0.5 },
      moodTarget('sad', { strategy: 'uplift' }),
    ]
    const options = { k: 5, diversity: { lambda: 0.6 }, explain: true, profile: taste }
    const together = recommendMany(catalog, targets, options)
    targets.forEach((target, t) => expect(together[t]).toEqual(recommend(catalog, target, options)))
  })

  it('returns an empty list for no targets and names a bad target by position', () => {
    const catalog = createCatalog(spotifyLikeTracks(6, 10))
    expect(recommendMany(catalog, [])).toEqual([])
    expect(() => recommendMany(catalog, ['happy', { features: { energy: '1' } }] as never)).toThrow(
      /"targets\[1\]\.features\.energy"/,
    )
    expect(() => recommendMany(catalog, 'happy' as never)).toThrow(InvalidOptionError)
  })
})
