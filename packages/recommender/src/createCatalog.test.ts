import { describe, expect, it } from 'vitest'
import { codeOf, optionOf, thrown } from './__tests__/thrown.ts'
import { randomTracks, spotifyLikeTracks } from './__tests__/randomTracks.ts'
import { buildCatalog, catalogInternals, createCatalog } from './createCatalog.ts'
import { WASM_MIN_ROWS } from './createVectorStore.ts'
import { DEFAULT_FEATURES, SPOTIFY_FEATURES } from './featureSpecs.ts'
import type { RecommenderErrorCode } from './RecommenderError.ts'

function expectCode(run: () => unknown, code: RecommenderErrorCode, message?: RegExp): void {
  expect(codeOf(run)).toBe(code)
  if (message) expect((thrown(run) as Error).message).toMatch(message)
}

function expectOption(run: () => unknown, option: string): void {
  expect(optionOf(run)).toBe(option)
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)))

const tracks = [
  { id: 'a', title: 'A', x: 1, y: 10 },
  { id: 'b', title: 'B', x: 2, y: 30 },
  { id: 'c', title: 'C', x: 4, y: 20 },
  { id: 'd', title: 'D', x: 5, y: 60 },
]

describe('createCatalog', () => {
  it('z-scores, weights and scales each row to unit length', () => {
    const catalog = createCatalog(tracks, { features: ['x', { name: 'y', weight: 2 }] })
    const xs = tracks.map((t) => t.x)
    const ys = tracks.map((t) => t.y)
    tracks.forEach((track, row) => {
      const z = [(track.x - mean(xs)) / std(xs), (2 * (track.y - mean(ys))) / std(ys)]
      const norm = Math.hypot(...z)
      expect(catalog.vectors[2 * row]).toBeCloseTo(z[0]! / norm, 6)
      expect(catalog.vectors[2 * row + 1]).toBeCloseTo(z[1]! / norm, 6)
    })
    expect(catalog.features[0]).toMatchObject({
      name: 'x',
      weight: 1,
      normalization: 'zscore',
      min: 1,
      max: 5,
    })
    expect(catalog.features[0]!.mean).toBeCloseTo(3, 12)
    expect(catalog.features[0]!.std).toBeCloseTo(std(xs), 12)
    expect(catalog.features[1]!.weight).toBe(2)
  })

  it("scales by the range for 'minmax' and by a fixed range, centring on the mean", () => {
    const catalog = createCatalog(tracks, {
      features: [
        { name: 'x', normalization: 'minmax' },
        { name: 'y', normalization: { min: 0, max: 100 } },
      ],
    })
    const row = 1 // b: x = 2, y = 30; means 3 and 30
    const z = [(2 - 3) / 4, (30 - 30) / 100]
    expect(catalog.vectors[2 * row]).toBeCloseTo(z[0]! / Math.hypot(...z), 6)
    expect(catalog.vectors[2 * row + 1]).toBeCloseTo(0, 6)
  })

  it('without centring, min-max vectors lie in the positive orthant', () => {
    const catalog = createCatalog(tracks, {
      features: [
        { name: 'x', normalization: 'minmax' },
        { name: 'y', normalization: { min: 0, max: 100 } },
      ],
      center: false,
    })
    expect(catalog.features.map((f) => f.center)).toEqual([1, 0])
    for (const value of catalog.vectors) expect(value).toBeGreaterThanOrEqual(0)
    const b = [(2 - 1) / 4, 30 / 100]
    expect(catalog.vectors[2]).toBeCloseTo(b[0]! / Math.hypot(...b), 6)
    // z-scores are centred whatever `center` says
    const z = createCatalog(tracks, { features: ['x'], center: false })
    expect(z.features[0]!.center).toBeCloseTo(3, 12)
  })

  it('stores unit-length rows, or zero for a track at the centre', () => {
    const catalog = createCatalog(spotifyLikeTracks(1, 500))
    const d = catalog.features.length
    for (let row = 0; row < catalog.size; row++) {
      let sum = 0
      for (let j = 0; j < d; j++) sum += catalog.vectors[row * d + j]! ** 2
      expect(Math.sqrt(sum)).toBeCloseTo(1, 6)
    }
    const centred = createCatalog(
      [
        { id: 'low', x: 0 },
        { id: 'mid', x: 1 },
        { id: 'high', x: 2 },
      ],
      { features: ['x'] },
    )
    expect(Array.from(centred.vectors)).toEqual([-1, 0, 1])
  })

  it('makes a constant feature contribute nothing', () => {
    const catalog = createCatalog(
      [
        { id: 'a', x: 1, k: 7 },
        { id: 'b', x: 2, k: 7 },
      ],
      { features: ['x', 'k'] },
    )
    expect(catalog.features[1]!.scale).toBe(0)
    expect(Array.from(catalog.vectors)).toEqual([-1, 0, 1, 0])
  })

  it('keeps float32 precision for large-magnitude features', () => {
    const base = 1.7e12 // milliseconds since 1970: float32 steps are 131,072 here
    const stamps = Array.from({ length: 50 }, (_, i) => ({
      id: `t${i}`,
      at: base + i * 1000 + (i % 7) * 13,
    }))
    const catalog = createCatalog(stamps, { features: ['at'] })
    const values = stamps.map((s) => s.at - base)
    const m = mean(values)
    const s = std(values)
    const d = catalog.features.length
    expect(d).toBe(1)
    // with one feature every row is ±1; compare the pre-normalisation length instead
    const norms = catalogInternals(catalog).norms
    stamps.forEach((stamp, row) => {
      expect(norms[row]).toBeCloseTo(Math.abs((stamp.at - base - m) / s), 5)
    })
  })

  it('reads the built-in Spotify specs by name, defaulting to all ten', () => {
    const catalog = createCatalog(spotifyLikeTracks(2, 100))
    expect(catalog.features.map((f) => f.name)).toEqual(DEFAULT_FEATURES)
    const mode = catalog.features.find((f) => f.name === 'mode')!
    expect(mode.weight).toBe(0.5)
    expect(mode.normalization).toEqual({ min: 0, max: 1 })
    expect(mode.scale).toBe(1)
    const tweaked = createCatalog(spotifyLikeTracks(2, 100), {
      features: [{ name: 'mode', weight: 2 }],
    })
    expect(tweaked.features[0]).toMatchObject({ weight: 2, normalization: { min: 0, max: 1 } })
    expect(Object.isFrozen(SPOTIFY_FEATURES.valence)).toBe(true)
  })

  it('looks tracks up by id and reports the raw values it used', () => {
    const catalog = createCatalog(tracks, { features: ['x', 'y'] })
    expect(catalog.size).toBe(4)
    expect(catalog.indexOf('c')).toBe(2)
    expect(catalog.indexOf('zz')).toBe(-1)
    expect(catalog.has('d')).toBe(true)
    expect(catalog.has('e')).toBe(false)
    expect(catalog.get('b')?.title).toBe('B')
    expect(catalog.get('nope')).toBeUndefined()
    expect(catalog.value(3, 'y')).toBe(60)
    expect(catalog.tracks.map((t) => t.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(catalog.vectors.length).toBe(8)
    expect(Object.isFrozen(catalog)).toBe(true)
    expect(Object.isFrozen(catalog.tracks)).toBe(true)
    expectOption(() => catalog.value(0, 'z'), 'feature')
    expectOption(() => catalog.value(4, 'x'), 'index')
  })

  it('finds every id of a large catalogue', () => {
    const many = randomTracks(3, 20_000, ['x'])
    const catalog = createCatalog(many, { features: ['x'] })
    for (let i = 0; i < many.length; i += 7) expect(catalog.indexOf(`t${i}`)).toBe(i)
    expect(catalog.indexOf('t20000')).toBe(-1)
  })

  it('stores the same vectors with either kernel', () => {
    const data = spotifyLikeTracks(4, WASM_MIN_ROWS + 10)
    const wasm = buildCatalog(data, {}, 'wasm')
    const js = buildCatalog(data, {}, 'js')
    expect(Array.from(wasm.vectors)).toEqual(Array.from(js.vectors))
  })

  describe('bad data', () => {
    it.each([
      [undefined, /got undefined/],
      [Number.NaN, /got NaN/],
      [Number.POSITIVE_INFINITY, /got Infinity/],
      ['0.5', /got "0\.5"/],
      [null, /got null/],
    ])('names the track and field of a %s value', (value, got) => {
      const bad = [...tracks.slice(0, 2), { id: 'c', x: value, y: 1 }]
      expectCode(
        () => createCatalog(bad, { features: ['x', 'y'] }),
        'ERR_INVALID_FEATURE_VALUE',
        /Track "c" \(index 2\)/,
      )
      expectCode(
        () => createCatalog(bad, { features: ['x', 'y'] }),
        'ERR_INVALID_FEATURE_VALUE',
        /feature "x"/,
      )
      expectCode(
        () => createCatalog(bad, { features: ['x', 'y'] }),
        'ERR_INVALID_FEATURE_VALUE',
        got,
      )
    })

    it('names a duplicate id and both positions', () => {
      const bad = [...tracks, { id: 'b', title: 'B again', x: 9, y: 9 }]
      expectCode(
        () => createCatalog(bad, { features: ['x', 'y'] }),
        'ERR_DUPLICATE_ID',
        /Track 4 .*"b".*row 1/,
      )
    })

    it.each([
      [[null], /Track 0 is not an object/],
      [[{ x: 1 }], /Track 0 has no id/],
      [[{ id: '', x: 1 }], /Track 0 has no id/],
      [[{ id: 7, x: 1 }], /Track 0 has no id/],
    ])('rejects an invalid track %j', (bad, message) => {
      expectCode(
        () => createCatalog(bad as never, { features: ['x'] }),
        'ERR_INVALID_TRACK',
        message,
      )
    })

    it('rejects an empty catalogue', () => {
      expectCode(() => createCatalog([], { features: ['x'] }), 'ERR_EMPTY_CATALOG')
    })
  })

  describe('policies', () => {
    const holes = [
      { id: 'a', x: 1, y: 10 },
      { id: 'b', x: Number.NaN, y: 30 },
      { id: 'c', x: 4 },
      { id: 'd', x: 5, y: 60 },
    ]

    it("'skip' leaves tracks out and lists them", () => {
      const catalog = createCatalog(holes, { features: ['x', 'y'], missing: 'skip' })
      expect(catalog.tracks.map((t) => t.id)).toEqual(['a', 'd'])
      expect(catalog.indexOf('d')).toBe(1)
      expect(catalog.issues).toEqual([
        {
          index: 1,
          id: 'b',
          action: 'skipped',
          feature: 'x',
          reason: expect.stringMatching(/NaN/),
        },
        {
          index: 2,
          id: 'c',
          action: 'skipped',
          feature: 'y',
          reason: expect.stringMatching(/undefined/),
        },
      ])
      // the rows the kernels may read past the last one are zero, not the skipped tracks' NaN
      const { store } = catalogInternals(catalog)
      for (let at = 2 * catalog.size; at < store.data.length; at++) expect(store.data[at]).toBe(0)
    })

    it("'skip' keeps a later track whose id was taken by a skipped one", () => {
      const catalog = createCatalog(
        [
          { id: 'a', x: Number.NaN },
          { id: 'a', x: 1 },
          { id: 'b', x: 2 },
        ],
        {
          features: ['x'],
          missing: 'skip',
        },
      )
      expect(catalog.tracks.map((t) => t.x)).toEqual([1, 2])
    })

    it("'mean' imputes the catalogue mean, which contributes nothing after centring", () => {
      const catalog = createCatalog(holes, { features: ['x', 'y'], missing: 'mean' })
      expect(catalog.size).toBe(4)
      expect(catalog.features[0]!.mean).toBeCloseTo(10 / 3, 12)
      expect(catalog.features[1]!.mean).toBeCloseTo(100 / 3, 12)
      expect(catalog.value(1, 'x')).toBeCloseTo(10 / 3, 12)
      expect(catalog.value(2, 'y')).toBeCloseTo(100 / 3, 12)
      expect(catalog.vectors[2 * 1]).toBe(0)
      expect(catalog.vectors[2 * 2 + 1]).toBe(0)
      expect(catalog.issues.map((i) => [i.id, i.action, i.feature])).toEqual([
        ['b', 'imputed', 'x'],
        ['c', 'imputed', 'y'],
      ])
    })

    it("'mean' cannot impute a feature no track has", () => {
      expectCode(
        () => createCatalog([{ id: 'a', x: 1 }], { features: ['x', 'y'], missing: 'mean' }),
        'ERR_INVALID_FEATURE_VALUE',
        /No track has a finite value for feature "y"/,
      )
    })

    it("'skip' of every track leaves an empty catalogue", () => {
      expectCode(
        () => createCatalog([{ id: 'a' }], { features: ['x'], missing: 'skip' }),
        'ERR_EMPTY_CATALOG',
        /All 1/,
      )
    })

    it("duplicates 'first' keeps the first and lists the rest", () => {
      const catalog = createCatalog([...tracks, { id: 'a', x: 0, y: 0 }], {
        features: ['x', 'y'],
        duplicates: 'first',
      })
      expect(catalog.size).toBe(4)
      expect(catalog.get('a')).toBe(tracks[0])
      expect(catalog.issues).toEqual([
        { index: 4, id: 'a', action: 'duplicate', reason: expect.stringMatching(/row 0/) },
      ])
    })
  })

  describe('options', () => {
    it.each([
      [{ features: [] }, 'features'],
      [{ features: 'valence' }, 'features'],
      [{ features: ['x', 'x'] }, 'features[1]'],
      [{ features: [''] }, 'features[0]'],
      [{ features: [3] }, 'features[0]'],
      [{ features: [{ name: 'x', weight: 0 }] }, 'features[0].weight'],
      [{ features: [{ name: 'x', weight: Number.NaN }] }, 'features[0].weight'],
      [{ features: [{ name: 'x', normalization: 'log' }] }, 'features[0].normalization'],
      [
        { features: [{ name: 'x', normalization: { min: 1, max: 1 } }] },
        'features[0].normalization',
      ],
      [{ features: [{ name: 'x', normalization: { min: 0 } }] }, 'features[0].normalization'],
      [{ features: ['x'], missing: 'zero' }, 'missing'],
      [{ features: ['x'], duplicates: 'last' }, 'duplicates'],
      [{ features: ['x'], center: 'yes' }, 'center'],
    ])('rejects %j naming %s', (options, option) => {
      expectOption(() => createCatalog(tracks, options as never), option)
    })

    it('rejects tracks that are not an array', () => {
      expectOption(() => createCatalog('a,b' as never), 'tracks')
      expectOption(() => createCatalog(tracks, null as never), 'options')
    })
  })

  it('knows its own catalogues only', () => {
    expectOption(() => catalogInternals({ size: 1 }), 'catalog')
    expectOption(() => catalogInternals(undefined), 'catalog')
  })
})
