import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeOf, optionOf } from './__tests__/thrown.ts'
import {
  createRandom,
  randomTracks,
  spotifyLikeTracks,
  type TestTrack,
} from './__tests__/randomTracks.ts'
import { buildCatalog, catalogInternals, createCatalog, type Catalog } from './createCatalog.ts'
import { dotRow } from './dotRow.ts'
import type { MoodTarget } from './moodTarget.ts'
import type { Recommendation } from './rankCatalog.ts'
import { recommend } from './recommend.ts'
import { resolveQuery } from './resolveQuery.ts'
import { createTasteProfile } from './TasteProfile.ts'

const FEATURES = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5']

function randomTarget(seed: number, features = FEATURES): MoodTarget {
  const random = createRandom(seed)
  return { features: Object.fromEntries(features.map((f) => [f, random() * 4 - 2])) }
}

/** Every track scored exactly, filtered, sorted by score then row, cut to k. */
function naive(
  catalog: Catalog<TestTrack>,
  target: MoodTarget,
  k: number,
  keep: (track: TestTrack) => boolean = () => true,
) {
  const { d, store } = catalogInternals(catalog)
  const query = resolveQuery(catalog, target, undefined).vector
  return catalog.tracks
    .map((track, row) => ({ id: track.id, row, score: dotRow(store.data, row, d, query) }))
    .filter(({ row }) => keep(catalog.tracks[row]!))
    .sort((a, b) => b.score - a.score || a.row - b.row)
    .slice(0, k)
}

const ids = (results: readonly Recommendation<TestTrack>[]) => results.map((r) => r.id)

const catalogArbitrary = fc.record({
  seed: fc.integer(),
  rows: fc.integer({ min: 1, max: 400 }),
  levels: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
  kernel: fc.constantFrom('wasm' as const, 'js' as const),
})

function makeCatalog({
  seed,
  rows,
  levels,
  kernel,
}: {
  seed: number
  rows: number
  levels: number | undefined
  kernel: 'wasm' | 'js'
}) {
  return buildCatalog(randomTracks(seed, rows, FEATURES, levels), { features: FEATURES }, kernel)
}

describe('recommend: properties', () => {
  it('returns min(k, size) distinct tracks, scores in [-1, 1], best first, equal to a full sort', () => {
    fc.assert(
      fc.property(
        catalogArbitrary,
        fc.integer({ min: 1, max: 60 }),
        fc.integer(),
        (spec, k, targetSeed) => {
          const catalog = makeCatalog(spec)
          const target = randomTarget(targetSeed)
          const results = recommend(catalog, target, { k })
          expect(results.length).toBe(Math.min(k, catalog.size))
          expect(new Set(ids(results)).size).toBe(results.length)
          for (const [i, result] of results.entries()) {
            expect(result.score).toBeGreaterThanOrEqual(-1)
            expect(result.score).toBeLessThanOrEqual(1)
            if (i > 0) expect(result.score).toBeLessThanOrEqual(results[i - 1]!.score)
            expect(result.track).toBe(catalog.tracks[result.index])
            expect(result.id).toBe(result.track.id)
          }
          expect(ids(results)).toEqual(naive(catalog, target, k).map((e) => e.id))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('ranks the same whatever positive factor scales the target', () => {
    fc.assert(
      fc.property(
        catalogArbitrary.filter((spec) => spec.levels === undefined),
        fc.integer(),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        (spec, targetSeed, factor) => {
          const catalog = makeCatalog(spec)
          const target = randomTarget(targetSeed)
          const scaled = {
            features: Object.fromEntries(
              Object.entries(target.features).map(([f, v]) => [f, v * factor]),
            ),
          }
          const a = recommend(catalog, target, { k: 15 })
          const b = recommend(catalog, scaled, { k: 15 })
          expect(
            b.map((r) => r.score).map((s, i) => Math.abs(s - a[i]!.score) < 1e-12),
          ).not.toContain(false)
          // order can differ only between scores equal to rounding
          b.forEach((r, i) => {
            if (r.id !== a[i]!.id) expect(Math.abs(r.score - a[i]!.score)).toBeLessThan(1e-12)
          })
        },
      ),
      { numRuns: 100 },
    )
  })

  it('never returns an excluded id, and otherwise equals the full sort', () => {
    fc.assert(
      fc.property(
        catalogArbitrary,
        fc.integer(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (spec, seed, share) => {
          const catalog = makeCatalog(spec)
          const random = createRandom(seed)
          const excluded = catalog.tracks.filter(() => random() < share).map((t) => t.id)
          const target = randomTarget(seed)
          const results = recommend(catalog, target, { k: 20, exclude: new Set(excluded) })
          for (const id of ids(results)) expect(excluded).not.toContain(id)
          expect(ids(results)).toEqual(
            naive(catalog, target, 20, (t) => !excluded.includes(t.id)).map((e) => e.id),
          )
        },
      ),
      { numRuns: 100 },
    )
  })

  it('honours per-feature ranges and predicates, and otherwise equals the full sort', () => {
    fc.assert(
      fc.property(
        catalogArbitrary,
        fc.integer(),
        fc.constantFrom(...FEATURES),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (spec, seed, feature, a, b) => {
          const catalog = makeCatalog(spec)
          const [min, max] = a <= b ? [a, b] : [b, a]
          const target = randomTarget(seed)
          const inRange = (t: TestTrack) =>
            (t[feature] as number) >= min && (t[feature] as number) <= max
          const ranged = recommend(catalog, target, { k: 10, filter: { [feature]: { min, max } } })
          for (const r of ranged) expect(inRange(r.track)).toBe(true)
          expect(ids(ranged)).toEqual(naive(catalog, target, 10, inRange).map((e) => e.id))
          const even = (t: TestTrack) => Number(t.id.slice(1)) % 2 === 0
          const filtered = recommend(catalog, target, { k: 10, filter: (t) => even(t) })
          for (const r of filtered) expect(even(r.track)).toBe(true)
          expect(ids(filtered)).toEqual(naive(catalog, target, 10, even).map((e) => e.id))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('with MMR lambda = 1 equals plain top-k', () => {
    fc.assert(
      fc.property(
        catalogArbitrary,
        fc.integer({ min: 1, max: 30 }),
        fc.integer(),
        (spec, k, seed) => {
          const catalog = makeCatalog(spec)
          const target = randomTarget(seed)
          const plain = recommend(catalog, target, { k })
          const mmr = recommend(catalog, target, { k, diversity: { lambda: 1 } })
          expect(ids(mmr)).toEqual(ids(plain))
          expect(mmr.map((r) => r.score)).toEqual(plain.map((r) => r.score))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('gives identical results with the SIMD and the JS kernel', () => {
    fc.assert(
      fc.property(catalogArbitrary, fc.integer(), (spec, seed) => {
        const wasm = makeCatalog({ ...spec, kernel: 'wasm' })
        const js = makeCatalog({ ...spec, kernel: 'js' })
        const target = randomTarget(seed)
        const a = recommend(wasm, target, { k: 25, explain: true })
        const b = recommend(js, target, { k: 25, explain: true })
        expect(a.map(({ track: _t, ...rest }) => rest)).toEqual(
          b.map(({ track: _t, ...rest }) => rest),
        )
      }),
      { numRuns: 60 },
    )
  })
})

describe('recommend', () => {
  const tracks = spotifyLikeTracks(42, 3000)
  const catalog = createCatalog(tracks)

  it('ranks by mood: happy above sad on valence and energy', () => {
    const mean = (xs: readonly TestTrack[], f: string) =>
      xs.reduce((s, t) => s + (t[f] as number), 0) / xs.length
    const happy = recommend(catalog, 'happy').map((r) => r.track)
    const sad = recommend(catalog, 'sad').map((r) => r.track)
    expect(mean(happy, 'valence')).toBeGreaterThan(mean(tracks, 'valence') + 0.2)
    expect(mean(sad, 'valence')).toBeLessThan(mean(tracks, 'valence') - 0.2)
    expect(mean(happy, 'energy')).toBeGreaterThan(mean(sad, 'energy'))
  })

  it('returns 20 by default and at most the catalogue', () => {
    expect(recommend(catalog, 'happy')).toHaveLength(20)
    const tiny = createCatalog(tracks.slice(0, 3))
    expect(recommend(tiny, 'happy', { k: 10 })).toHaveLength(3)
  })

  it('explains each score as per-feature contributions that add up to it', () => {
    for (const result of recommend(catalog, { sad: 0.6, fear: 0.4 }, { k: 5, explain: true })) {
      const explanation = result.explanation!
      expect(explanation.map((c) => c.feature)).toEqual(catalog.features.map((f) => f.name))
      const sum = explanation.reduce((s, c) => s + c.contribution, 0)
      expect(sum).toBeCloseTo(result.score, 9)
      for (const c of explanation) expect(c.value).toBe(result.track[c.feature])
      // the mood's main feature carries the most weight
      const valence = explanation.find((c) => c.feature === 'valence')!
      expect(valence.contribution).toBeGreaterThan(0)
    }
    expect(recommend(catalog, 'happy', { k: 1 })[0]).not.toHaveProperty('explanation')
  })

  it('ranks tracks by closeness to the catalogue centre for a target with no direction', () => {
    const results = recommend(catalog, 'neutral', { k: 10 })
    const { norms } = catalogInternals(catalog)
    const closest = Array.from(norms, (norm, row) => ({ norm, row }))
      .sort((a, b) => a.norm - b.norm || a.row - b.row)
      .slice(0, 10)
      .map((e) => e.row)
    expect(results.map((r) => r.index)).toEqual(closest)
    for (const r of results) expect(r.score).toBe(0)
    expect(recommend(catalog, { features: {} }, { k: 10 }).map((r) => r.index)).toEqual(closest)
    const explained = recommend(catalog, 'neutral', { k: 1, explain: true })[0]!
    expect(explained.explanation!.every((c) => c.contribution === 0)).toBe(true)
  })

  it('filters on a field that is not a feature by reading the track', () => {
    const withPopularity = tracks.map((t, i) => ({
      ...t,
      popularity: i % 10 === 0 ? 'n/a' : i % 100,
    }))
    const popular = createCatalog(withPopularity)
    const results = recommend(popular, 'happy', { k: 50, filter: { popularity: { min: 90 } } })
    expect(results.length).toBe(50)
    for (const r of results) expect(r.track.popularity).toBeGreaterThanOrEqual(90)
  })

  it('filters an imputed value as the mean it was given', () => {
    const holes = createCatalog(
      [
        { id: 'a', x: 0 },
        { id: 'b', x: 10 },
        { id: 'c', x: Number.NaN },
      ],
      { features: ['x'], missing: 'mean' },
    )
    expect(
      recommend(holes, { features: { x: 1 } }, { filter: { x: { min: 4, max: 6 } } }).map(
        (r) => r.id,
      ),
    ).toEqual(['c'])
  })

  it('re-ranks for variety with MMR', () => {
    const similarity = (results: readonly Recommendation<TestTrack>[]) => {
      const { d, store } = catalogInternals(catalog)
      let sum = 0
      let pairs = 0
      for (const a of results) {
        for (const b of results) {
          if (a.index >= b.index) continue
          let dot = 0
          for (let j = 0; j < d; j++)
            dot += store.data[a.index * d + j]! * store.data[b.index * d + j]!
          sum += dot
          pairs++
        }
      }
      return sum / pairs
    }
    const plain = recommend(catalog, 'surprise', { k: 10 })
    const varied = recommend(catalog, 'surprise', { k: 10, diversity: { lambda: 0.3 } })
    expect(similarity(varied)).toBeLessThan(similarity(plain) - 0.05)
    expect(varied[0]!.id).toBe(plain[0]!.id)
    expect(new Set(ids(varied)).size).toBe(10)
    // the pool bounds where picks come from
    const pool = new Set(ids(recommend(catalog, 'surprise', { k: 12 })))
    for (const id of ids(
      recommend(catalog, 'surprise', { k: 10, diversity: { lambda: 0, candidates: 12 } }),
    )) {
      expect(pool.has(id)).toBe(true)
    }
  })

  it('tilts results toward what a taste profile learned for the mood', () => {
    const before = recommend(catalog, 'sad', { k: 20 })
    const taste = createTasteProfile({ learningRate: 0.5 })
    // the listener, when sad, keeps liking loud, energetic tracks
    const energetic = [...tracks]
      .sort((a, b) => (b.energy as number) - (a.energy as number))
      .slice(0, 5)
    for (const track of energetic)
      taste.learn(catalog, { trackId: track.id, signal: 'like', mood: 'sad' })
    const after = recommend(catalog, 'sad', { k: 20, profile: taste })
    const meanEnergy = (rs: readonly Recommendation<TestTrack>[]) =>
      rs.reduce((s, r) => s + (r.track.energy as number), 0) / rs.length
    expect(meanEnergy(after)).toBeGreaterThan(meanEnergy(before) + 0.1)
    // other moods are untouched
    expect(ids(recommend(catalog, 'happy', { profile: taste }))).toEqual(
      ids(recommend(catalog, 'happy')),
    )
    // a hand-written target without a mood ignores the profile
    const target = { features: { energy: 1 } }
    expect(ids(recommend(catalog, target, { profile: taste }))).toEqual(
      ids(recommend(catalog, target)),
    )
  })

  describe('bad input', () => {
    it('rejects a target that shares no feature with the catalogue', () => {
      const other = createCatalog(
        [
          { id: 'a', bpm: 100 },
          { id: 'b', bpm: 120 },
        ],
        { features: ['bpm'] },
      )
      expect(codeOf(() => recommend(other, 'happy'))).toBe('ERR_TARGET_MISMATCH')
      expect(() => recommend(other, 'happy')).toThrow(/bpm/)
    })

    it('rejects bad moods with typed errors', () => {
      expect(() => recommend(catalog, 'bored' as never)).toThrow(
        expect.objectContaining({ code: 'ERR_UNKNOWN_EMOTION' }),
      )
      expect(() => recommend(catalog, { happy: 0.2 })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_DISTRIBUTION' }),
      )
    })

    it.each([
      [{ k: 0 }, 'k'],
      [{ k: 2.5 }, 'k'],
      [{ k: -1 }, 'k'],
      [{ k: '5' }, 'k'],
      [{ k: null }, 'k'],
      [{ filter: 3 }, 'filter'],
      [{ filter: { energy: 0.5 } }, 'filter.energy'],
      [{ filter: { energy: { min: '0.5' } } }, 'filter.energy.min'],
      [{ filter: { energy: { max: Number.NaN } } }, 'filter.energy.max'],
      [{ filter: { energy: { min: 0.8, max: 0.2 } } }, 'filter.energy'],
      [{ exclude: 's1' }, 'exclude'],
      [{ exclude: [1, 2] }, 'exclude'],
      [{ diversity: 0.5 }, 'diversity'],
      [{ diversity: { lambda: 1.5 } }, 'diversity.lambda'],
      [{ diversity: { lambda: 0.5, candidates: 5 } }, 'diversity.candidates'],
      [{ profile: {} }, 'profile'],
      [{ explain: 'yes' }, 'explain'],
    ])('rejects %j naming %s', (options, option) => {
      expect(optionOf(() => recommend(catalog, 'happy', options as never))).toBe(option)
    })

    it('rejects a hand-written target with a bad feature value, and a foreign catalogue', () => {
      expect(() => recommend(catalog, { features: { energy: Number.NaN } })).toThrow(
        /"target\.features\.energy"/,
      )
      expect(() => recommend(catalog, { features: 'energy' } as never)).toThrow(
        /"target\.features"/,
      )
      expect(() => recommend({ ...catalog }, 'happy')).toThrow(/"catalog"/)
    })
  })
})
