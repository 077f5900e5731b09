import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeOf, optionOf, thrown } from './__tests__/thrown.ts'
import { spotifyLikeTracks } from './__tests__/randomTracks.ts'
import { catalogInternals, createCatalog } from './createCatalog.ts'
import { EMOTIONS } from './emotions.ts'
import { RecommenderError } from './RecommenderError.ts'
import {
  createTasteProfile,
  DEFAULT_TASTE_PROFILE_OPTIONS,
  TasteProfile,
  type Feedback,
} from './TasteProfile.ts'

const catalog = createCatalog(spotifyLikeTracks(21, 500))
const { d, store } = catalogInternals(catalog)
const rowVector = (id: string) => {
  const row = catalog.indexOf(id)
  return Object.fromEntries(catalog.features.map((f, j) => [f.name, store.data[row * d + j]!]))
}
const norm = (offset: Readonly<Record<string, number>>) => Math.hypot(...Object.values(offset))

describe('TasteProfile', () => {
  it('starts empty with the default options', () => {
    const taste = createTasteProfile()
    expect(taste).toBeInstanceOf(TasteProfile)
    expect(taste.options).toEqual(DEFAULT_TASTE_PROFILE_OPTIONS)
    expect(taste.feedbackCount).toBe(0)
    expect(taste.offset('happy')).toEqual({})
  })

  it('moves the mood offset toward a liked track (Rocchio) and away from a disliked one', () => {
    const taste = createTasteProfile({ learningRate: 0.2 })
    taste.learn(catalog, { trackId: 's7', signal: 'like', mood: 'happy' })
    const x = rowVector('s7')
    for (const [feature, value] of Object.entries(taste.offset('happy'))) {
      expect(value).toBeCloseTo(0.2 * x[feature]!, 6)
    }
    taste.learn(catalog, { trackId: 's7', signal: 'dislike', mood: 'happy' })
    // 0.9 * 0.2x - 0.2x = -0.02x
    for (const [feature, value] of Object.entries(taste.offset('happy'))) {
      expect(value).toBeCloseTo(-0.02 * x[feature]!, 6)
    }
    expect(taste.feedbackCount).toBe(2)
  })

  it('keeps moods apart and spreads mixed moods by probability', () => {
    const taste = createTasteProfile({ learningRate: 0.1 })
    taste.learn(catalog, { trackId: 's1', signal: 1, mood: { sad: 0.75, neutral: 0.25 } })
    const x = rowVector('s1')
    expect(taste.offset('happy')).toEqual({})
    expect(taste.offset('sad')['valence']).toBeCloseTo(0.075 * x['valence']!, 6)
    expect(taste.offset('neutral')['valence']).toBeCloseTo(0.025 * x['valence']!, 6)
    expect(taste.offset({ sad: 0.5, neutral: 0.5 })['valence']).toBeCloseTo(0.05 * x['valence']!, 6)
  })

  it('uses the numeric values of the named signals', () => {
    const taste = createTasteProfile({ signals: { skip: -0.5 } })
    taste.learn(catalog, { trackId: 's2', signal: 'skip', mood: 'sad' })
    expect(taste.offset('sad')['energy']).toBeCloseTo(0.2 * -0.5 * rowVector('s2')['energy']!, 6)
  })

  it('stays bounded and fades old feedback', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            track: fc.integer({ min: 0, max: catalog.size - 1 }),
            signal: fc.oneof(
              fc.constantFrom('like' as const, 'skip' as const, 'dislike' as const),
              fc.double({ min: -1, max: 1, noNaN: true }),
            ),
            mood: fc.constantFrom(...EMOTIONS),
          }),
          { maxLength: 60 },
        ),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        (events, maxOffset) => {
          const taste = createTasteProfile({ learningRate: 1, maxOffset })
          taste.learn(
            catalog,
            events.map((e) => ({
              trackId: catalog.tracks[e.track]!.id,
              signal: e.signal,
              mood: e.mood,
            })),
          )
          for (const emotion of EMOTIONS)
            expect(norm(taste.offset(emotion))).toBeLessThanOrEqual(maxOffset * (1 + 1e-9))
        },
      ),
    )
    const taste = createTasteProfile({ decay: 0.5, learningRate: 0.1 })
    taste.learn(catalog, { trackId: 's3', signal: 'like', mood: 'fear' })
    const first = norm(taste.offset('fear'))
    taste.learn(catalog, { trackId: 's3', signal: 0, mood: 'fear' })
    expect(norm(taste.offset('fear'))).toBeCloseTo(first / 2, 9)
  })

  it('round-trips through JSON exactly', () => {
    const taste = createTasteProfile({ learningRate: 0.3, decay: 0.8, maxOffset: 0.4 })
    const events: Feedback[] = [
      { trackId: 's4', signal: 'like', mood: 'happy' },
      { trackId: 's5', signal: 'dislike', mood: { sad: 0.5, angry: 0.5 } },
      { trackId: 's6', signal: 0.3, mood: 'neutral' },
    ]
    taste.learn(catalog, events)
    const restored = TasteProfile.fromJSON(JSON.parse(JSON.stringify(taste)))
    expect(restored.toJSON()).toEqual(taste.toJSON())
    expect(restored.options).toEqual(taste.options)
    expect(restored.feedbackCount).toBe(3)
    for (const emotion of EMOTIONS) expect(restored.offset(emotion)).toEqual(taste.offset(emotion))
    // and keeps learning the same way
    taste.learn(catalog, events[0]!)
    restored.learn(catalog, events[0]!)
    expect(restored.toJSON()).toEqual(taste.toJSON())
    restored.reset()
    expect(restored.feedbackCount).toBe(0)
    expect(restored.offset('happy')).toEqual({})
  })

  it('validates a batch whole before learning any of it', () => {
    const taste = createTasteProfile()
    expect(
      codeOf(() =>
        taste.learn(catalog, [
          { trackId: 's1', signal: 'like', mood: 'happy' },
          { trackId: 'nope', signal: 'like', mood: 'happy' },
        ]),
      ),
    ).toBe('ERR_UNKNOWN_TRACK')
    expect(taste.feedbackCount).toBe(0)
    expect(taste.offset('happy')).toEqual({})
  })

  it.each([
    [null, 'ERR_INVALID_FEEDBACK'],
    [{ trackId: 3, signal: 'like', mood: 'happy' }, 'ERR_INVALID_FEEDBACK'],
    [{ trackId: 'missing', signal: 'like', mood: 'happy' }, 'ERR_UNKNOWN_TRACK'],
    [{ trackId: 's1', signal: 'love', mood: 'happy' }, 'ERR_INVALID_FEEDBACK'],
    [{ trackId: 's1', signal: 2, mood: 'happy' }, 'ERR_INVALID_FEEDBACK'],
    [{ trackId: 's1', signal: Number.NaN, mood: 'happy' }, 'ERR_INVALID_FEEDBACK'],
    [{ trackId: 's1', signal: 'like', mood: 'calm' }, 'ERR_INVALID_FEEDBACK'],
    [{ trackId: 's1', signal: 'like', mood: { happy: 0.4 } }, 'ERR_INVALID_FEEDBACK'],
  ])('rejects feedback %j with %s', (feedback, code) => {
    expect(codeOf(() => createTasteProfile().learn(catalog, feedback as never))).toBe(code)
  })

  it('keeps the mood error as the cause', () => {
    const caught = thrown(() =>
      createTasteProfile().learn(catalog, { trackId: 's1', signal: 'like', mood: 'calm' as never }),
    )
    expect(caught).toBeInstanceOf(RecommenderError)
    expect((caught as Error).cause).toBeInstanceOf(RecommenderError)
    expect(((caught as Error).cause as RecommenderError).code).toBe('ERR_UNKNOWN_EMOTION')
  })

  it.each([
    [{ learningRate: 0 }, 'learningRate'],
    [{ learningRate: 1.5 }, 'learningRate'],
    [{ decay: -0.1 }, 'decay'],
    [{ maxOffset: 0 }, 'maxOffset'],
    [{ maxOffset: Number.POSITIVE_INFINITY }, 'maxOffset'],
    [{ signals: { like: 2 } }, 'signals.like'],
    [{ signals: 'loud' }, 'signals'],
  ])('rejects option %j naming %s', (options, option) => {
    expect(optionOf(() => createTasteProfile(options as never))).toBe(option)
  })

  describe('fromJSON', () => {
    const good = (() => {
      const taste = createTasteProfile()
      taste.learn(catalog, { trackId: 's1', signal: 'like', mood: 'happy' })
      return JSON.parse(JSON.stringify(taste)) as Record<string, unknown>
    })()
    const withOffsets = (happy: unknown) => ({
      ...good,
      offsets: { ...(good['offsets'] as object), happy },
    })

    it.each([
      ['not an object', 'taste', /"\(root\)"/],
      ['null', null, /"\(root\)"/],
      ['a future version', { ...good, version: 2 }, /"version"/],
      ['an unknown field', { ...good, extra: 1 }, /"extra"/],
      ['a missing field', { ...good, feedbackCount: undefined }, /"feedbackCount"/],
      ['a negative count', { ...good, feedbackCount: -1 }, /"feedbackCount"/],
      [
        'bad options',
        { ...good, options: { ...(good['options'] as object), decay: 3 } },
        /"options\.decay"/,
      ],
      [
        'missing signals',
        { ...good, options: { ...(good['options'] as object), signals: undefined } },
        /"options\.signals"/,
      ],
      [
        'an unknown emotion',
        { ...good, offsets: { ...(good['offsets'] as object), bored: {} } },
        /"offsets\.bored"/,
      ],
      ['a non-finite offset', withOffsets({ energy: 'Infinity' }), /"offsets\.happy\.energy"/],
      ['an oversized offset', withOffsets({ energy: 5 }), /"offsets\.happy"/],
      ['an array of offsets', withOffsets([1, 2]), /"offsets\.happy"/],
    ])('rejects %s', (_, json, message) => {
      expect(codeOf(() => TasteProfile.fromJSON(json))).toBe('ERR_INVALID_PROFILE')
      expect(() => TasteProfile.fromJSON(json)).toThrow(message)
    })

    it('keeps a "__proto__" feature as data', () => {
      const json = JSON.parse(
        JSON.stringify({ ...good, offsets: { ...(good['offsets'] as object), sad: {} } }).replace(
          '"sad":{}',
          '"sad":{"__proto__":0.1}',
        ),
      )
      const taste = TasteProfile.fromJSON(json)
      expect(Object.getOwnPropertyDescriptor(taste.offset('sad'), '__proto__')?.value).toBe(0.1)
    })
  })
})
