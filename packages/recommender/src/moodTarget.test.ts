import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMOTIONS } from './emotions.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { DEFAULT_MOOD_PROFILE, type MoodProfile } from './moodProfile.ts'
import { moodTarget } from './moodTarget.ts'
import { RecommenderError } from './RecommenderError.ts'

const probabilities = fc
  .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 7, maxLength: 7 })
  .filter((raw) => raw.reduce((a, b) => a + b, 0) > 1e-3)
  .map((raw) => {
    const sum = raw.reduce((a, b) => a + b, 0)
    return Object.fromEntries(EMOTIONS.map((e, i) => [e, raw[i]! / sum]))
  })

describe('moodTarget', () => {
  it("gives an emotion its profile's targets", () => {
    for (const emotion of EMOTIONS) {
      const target = moodTarget(emotion)
      for (const [feature, value] of Object.entries(DEFAULT_MOOD_PROFILE[emotion])) {
        expect(target.features[feature]).toBeCloseTo(value, 12)
      }
      expect(target.mood?.[emotion]).toBe(1)
    }
  })

  it('blends the emotions by probability', () => {
    fc.assert(
      fc.property(probabilities, (p) => {
        const target = moodTarget(p)
        for (const feature of Object.keys(DEFAULT_MOOD_PROFILE.happy)) {
          const expected = EMOTIONS.reduce(
            (sum, e) => sum + p[e]! * DEFAULT_MOOD_PROFILE[e][feature]!,
            0,
          )
          expect(target.features[feature]).toBeCloseTo(expected, 9)
        }
      }),
    )
  })

  it('uses a mood profile of your own', () => {
    const profile: MoodProfile = {
      angry: { bpm: 1 },
      disgust: { bpm: 0 },
      fear: { bpm: 0.5 },
      happy: { bpm: 0.8, brightness: 1 },
      sad: { bpm: -1 },
      surprise: { bpm: 0.9 },
      neutral: {},
    }
    const target = moodTarget({ happy: 0.5, sad: 0.5 }, { moodProfile: profile })
    expect(target.features['bpm']).toBeCloseTo(-0.1, 12)
    expect(target.features['brightness']).toBeCloseTo(0.5, 12)
  })

  describe("'uplift'", () => {
    it('moves step of the way from the mood toward the goal', () => {
      const sad = moodTarget('sad').features
      const happy = moodTarget('happy').features
      for (const step of [0, 0.25, 0.5, 1]) {
        const uplift = moodTarget('sad', { strategy: 'uplift', step }).features
        for (const feature of Object.keys(sad)) {
          expect(uplift[feature]).toBeCloseTo(
            (1 - step) * sad[feature]! + step * happy[feature]!,
            12,
          )
        }
      }
    })

    it('keeps the detected mood for taste profiles and reports the blend', () => {
      const target = moodTarget('angry', {
        strategy: 'uplift',
        goal: { happy: 0.5, neutral: 0.5 },
        step: 0.4,
      })
      expect(target.mood?.angry).toBe(1)
      expect(target.blend?.angry).toBeCloseTo(0.6, 12)
      expect(target.blend?.happy).toBeCloseTo(0.2, 12)
      expect(target.blend?.neutral).toBeCloseTo(0.2, 12)
    })

    it('raises valence for every negative mood with the default goal', () => {
      for (const emotion of ['angry', 'disgust', 'fear', 'sad'] as const) {
        const match = moodTarget(emotion).features['valence']!
        const uplift = moodTarget(emotion, { strategy: 'uplift' }).features['valence']!
        expect(uplift).toBeGreaterThan(match)
      }
    })
  })

  it('rejects bad moods with typed errors', () => {
    expect(() => moodTarget('ecstatic' as never)).toThrow(RecommenderError)
    expect(() => moodTarget('happy', { strategy: 'uplift', goal: { happy: 3 } })).toThrow(
      /sum to 1/,
    )
  })

  it.each([
    [{ strategy: 'boost' }, 'strategy'],
    [{ step: 1.5 }, 'step'],
    [{ step: Number.NaN }, 'step'],
    [{ moodProfile: { happy: {} } }, 'moodProfile.angry'],
  ])('rejects option %j naming %s', (options, option) => {
    expect(() => moodTarget('happy', options as never)).toThrow(InvalidOptionError)
    expect(() => moodTarget('happy', options as never)).toThrow(`"${option}"`)
  })
})
