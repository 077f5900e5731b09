import { describe, expect, it } from 'vitest'
import { EMOTION_COORDINATES } from './emotionCoordinates.ts'
import { EMOTIONS } from './emotions.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { moodCoordinates, valenceArousal } from './valenceArousal.ts'

describe('EMOTION_COORDINATES', () => {
  it('holds the Russell & Mehrabian (1977) PAD ratings, neutral at the origin', () => {
    // The published values (docs/mood-profile.md), as a known-answer table.
    expect(EMOTION_COORDINATES).toEqual({
      angry: { valence: -0.51, arousal: 0.59, dominance: 0.25 },
      disgust: { valence: -0.6, arousal: 0.35, dominance: 0.11 },
      fear: { valence: -0.64, arousal: 0.6, dominance: -0.43 },
      happy: { valence: 0.81, arousal: 0.51, dominance: 0.46 },
      sad: { valence: -0.63, arousal: -0.27, dominance: -0.33 },
      surprise: { valence: 0.4, arousal: 0.67, dominance: -0.13 },
      neutral: { valence: 0, arousal: 0, dominance: 0 },
    })
  })

  it('places the emotions in the circumplex quadrants Russell (1980) describes', () => {
    const { angry, disgust, fear, happy, sad, surprise } = EMOTION_COORDINATES
    for (const negativeAroused of [angry, disgust, fear]) {
      expect(negativeAroused.valence).toBeLessThan(0)
      expect(negativeAroused.arousal).toBeGreaterThan(0)
    }
    expect(happy.valence).toBeGreaterThan(0)
    expect(happy.arousal).toBeGreaterThan(0)
    expect(surprise.arousal).toBeGreaterThan(happy.arousal)
    expect(sad.valence).toBeLessThan(0)
    expect(sad.arousal).toBeLessThan(0)
  })

  it('cannot be modified', () => {
    expect(Object.isFrozen(EMOTION_COORDINATES)).toBe(true)
    for (const emotion of EMOTIONS) expect(Object.isFrozen(EMOTION_COORDINATES[emotion])).toBe(true)
  })
})

describe('valenceArousal', () => {
  it("returns an emotion's own point for a certain mood", () => {
    for (const emotion of EMOTIONS) {
      const { valence, arousal } = EMOTION_COORDINATES[emotion]
      expect(valenceArousal(emotion)).toEqual({ valence, arousal })
    }
  })

  it('weights the points by probability', () => {
    const point = valenceArousal({ happy: 0.5, sad: 0.5 })
    expect(point.valence).toBeCloseTo((0.81 - 0.63) / 2, 12)
    expect(point.arousal).toBeCloseTo((0.51 - 0.27) / 2, 12)
    const mixed = valenceArousal({ angry: 0.2, fear: 0.3, neutral: 0.5 })
    expect(mixed.valence).toBeCloseTo(0.2 * -0.51 + 0.3 * -0.64, 12)
    expect(mixed.arousal).toBeCloseTo(0.2 * 0.59 + 0.3 * 0.6, 12)
  })

  it('includes dominance in moodCoordinates', () => {
    expect(moodCoordinates({ happy: 0.5, fear: 0.5 }).dominance).toBeCloseTo((0.46 - 0.43) / 2, 12)
  })

  it('accepts a table of your own, validated', () => {
    const custom = { ...EMOTION_COORDINATES, happy: { valence: 1, arousal: 0.2, dominance: 0 } }
    expect(valenceArousal('happy', custom)).toEqual({ valence: 1, arousal: 0.2 })
    const broken = {
      ...EMOTION_COORDINATES,
      sad: { valence: Number.NaN, arousal: 0, dominance: 0 },
    }
    expect(() => valenceArousal('happy', broken)).toThrow(InvalidOptionError)
    expect(() => valenceArousal('happy', broken)).toThrow(/coordinates\.sad\.valence/)
  })

  it('rejects what is not a distribution', () => {
    expect(() => valenceArousal({ happy: 2 })).toThrow(/sum to 1/)
  })
})
