import { describe, expect, it } from 'vitest'
import { optionOf } from './__tests__/thrown.ts'
import { spotifyLikeTracks, type TestTrack } from './__tests__/randomTracks.ts'
import { buildCatalog, catalogInternals, createCatalog } from './createCatalog.ts'
import { createMoodJourney, type MoodJourneyStep } from './createMoodJourney.ts'
import { moodTarget } from './moodTarget.ts'
import { recommend } from './recommend.ts'
import { createTasteProfile } from './TasteProfile.ts'

const tracks = spotifyLikeTracks(11, 4000)
const catalog = createCatalog(tracks)

function distance(a: MoodJourneyStep<TestTrack>, b: MoodJourneyStep<TestTrack>): number {
  const { d, store } = catalogInternals(catalog)
  let sum = 0
  for (let j = 0; j < d; j++)
    sum += (store.data[a.index * d + j]! - store.data[b.index * d + j]!) ** 2
  return Math.sqrt(sum)
}

const meanNeighbourDistance = (steps: readonly MoodJourneyStep<TestTrack>[]) =>
  steps.slice(1).reduce((sum, step, i) => sum + distance(steps[i]!, step), 0) / (steps.length - 1)

describe('createMoodJourney', () => {
  const journey = createMoodJourney(catalog, { from: 'sad', to: 'happy', length: 12 })

  it('has the requested length and never repeats a track', () => {
    expect(journey).toHaveLength(12)
    expect(new Set(journey.map((s) => s.id)).size).toBe(12)
  })

  it('starts at the listener mood and ends at the goal', () => {
    expect(journey.map((s) => s.progress)).toEqual(Array.from({ length: 12 }, (_, i) => i / 11))
    expect(journey[0]!.target.features).toEqual(moodTarget('sad').features)
    for (const [feature, value] of Object.entries(moodTarget('happy').features)) {
      expect(journey[11]!.target.features[feature]).toBeCloseTo(value, 12)
    }
    // the first pick is the best match for the starting mood
    expect(journey[0]!.id).toBe(recommend(catalog, 'sad', { k: 1 })[0]!.id)
  })

  it('moves valence up step by step, from sad music to happy music', () => {
    const valence = journey.map((s) => s.track.valence as number)
    const third = (from: number) => valence.slice(from, from + 4).reduce((a, b) => a + b, 0) / 4
    expect(third(0)).toBeLessThan(0.35)
    expect(third(4)).toBeGreaterThan(third(0))
    expect(third(8)).toBeGreaterThan(third(4))
    expect(third(8)).toBeGreaterThan(0.65)
    // each step's target moves monotonically
    const targets = journey.map((s) => s.target.features['valence']!)
    for (let i = 1; i < targets.length; i++) expect(targets[i]).toBeGreaterThan(targets[i - 1]!)
  })

  it('scores each track against its own step target', () => {
    for (const step of journey) {
      expect(step.score).toBeGreaterThan(0.3)
      expect(step.score).toBeLessThanOrEqual(1)
    }
  })

  it('makes neighbours sound more alike as smoothness grows', () => {
    const rough = createMoodJourney(catalog, {
      from: 'angry',
      to: 'happy',
      length: 15,
      smoothness: 0,
    })
    const smooth = createMoodJourney(catalog, {
      from: 'angry',
      to: 'happy',
      length: 15,
      smoothness: 0.6,
    })
    expect(meanNeighbourDistance(smooth)).toBeLessThan(meanNeighbourDistance(rough))
  })

  it('honours filters, exclusions, explanations, a taste profile and the JS kernel alike', () => {
    const exclude = recommend(catalog, 'sad', { k: 5 }).map((r) => r.id)
    const taste = createTasteProfile()
    taste.learn(catalog, { trackId: 's3', signal: 'like', mood: 'sad' })
    const options = {
      from: 'sad',
      to: 'surprise',
      length: 8,
      exclude,
      filter: { tempo: { min: 80 } },
      explain: true,
      profile: taste,
    } as const
    const steps = createMoodJourney(catalog, options)
    expect(steps).toHaveLength(8)
    for (const step of steps) {
      expect(exclude).not.toContain(step.id)
      expect(step.track.tempo).toBeGreaterThanOrEqual(80)
      expect(step.explanation).toHaveLength(catalog.features.length)
    }
    const js = buildCatalog(tracks, {}, 'js')
    expect(createMoodJourney(js, options).map((s) => s.id)).toEqual(steps.map((s) => s.id))
  })

  it('stops early when filters leave too few tracks', () => {
    const steps = createMoodJourney(catalog, {
      from: 'sad',
      to: 'happy',
      length: 10,
      filter: (t) => t.id < 's2',
    })
    // only s0, s1 and s10..s19 pass
    expect(steps).toHaveLength(10)
    const few = createMoodJourney(catalog, {
      from: 'sad',
      to: 'happy',
      length: 10,
      filter: (t) => t.id === 's0' || t.id === 's1',
    })
    expect(few.map((s) => s.id).sort()).toEqual(['s0', 's1'])
  })

  it.each([
    [{ length: 1 }, 'length'],
    [{ length: 2.5 }, 'length'],
    [{ length: undefined }, 'length'],
    [{ smoothness: 1 }, 'smoothness'],
    [{ smoothness: -0.1 }, 'smoothness'],
    [{ moodProfile: {} }, 'moodProfile.angry'],
    [{ k: undefined, exclude: 'abc' }, 'exclude'],
  ])('rejects %j naming %s', (bad, option) => {
    const run = () =>
      createMoodJourney(catalog, { from: 'sad', to: 'happy', length: 5, ...bad } as never)
    expect(optionOf(run)).toBe(option)
  })

  it('rejects bad moods with typed errors', () => {
    expect(() =>
      createMoodJourney(catalog, { from: 'calm' as never, to: 'happy', length: 3 }),
    ).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_EMOTION' }))
  })
})
