import { describe, expect, it } from 'vitest'
import { optionOf } from './__tests__/thrown.ts'
import { EMOTION_COORDINATES } from './emotionCoordinates.ts'
import { EMOTIONS } from './emotions.ts'
import {
  createMoodProfile,
  DEFAULT_FEATURE_MAPPING,
  DEFAULT_MOOD_PROFILE,
  validateMoodProfile,
} from './moodProfile.ts'

describe('DEFAULT_MOOD_PROFILE', () => {
  it('derives every target linearly from the circumplex coordinates', () => {
    for (const emotion of EMOTIONS) {
      const { valence, arousal, dominance } = EMOTION_COORDINATES[emotion]
      for (const [feature, c] of Object.entries(DEFAULT_FEATURE_MAPPING)) {
        const expected =
          valence * (c.valence ?? 0) + arousal * (c.arousal ?? 0) + dominance * (c.dominance ?? 0)
        expect(DEFAULT_MOOD_PROFILE[emotion][feature]).toBeCloseTo(expected, 12)
      }
    }
  })

  it('maps valence to the valence feature and arousal to energy, tempo and loudness', () => {
    expect(DEFAULT_MOOD_PROFILE.happy['valence']).toBeCloseTo(0.81, 12)
    expect(DEFAULT_MOOD_PROFILE.sad['valence']).toBeCloseTo(-0.63, 12)
    expect(DEFAULT_MOOD_PROFILE.angry['energy']).toBeCloseTo(0.59, 12)
    expect(DEFAULT_MOOD_PROFILE.sad['energy']).toBeLessThan(0)
    expect(DEFAULT_MOOD_PROFILE.surprise['tempo']).toBeGreaterThan(0)
    expect(DEFAULT_MOOD_PROFILE.fear['loudness']).toBeGreaterThan(0)
    expect(DEFAULT_MOOD_PROFILE.sad['acousticness']).toBeGreaterThan(0)
  })

  it('puts neutral at the centre of every feature', () => {
    for (const value of Object.values(DEFAULT_MOOD_PROFILE.neutral)) expect(value).toBe(0)
  })

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_MOOD_PROFILE)).toBe(true)
    expect(Object.isFrozen(DEFAULT_MOOD_PROFILE.happy)).toBe(true)
  })
})

describe('createMoodProfile', () => {
  it('uses your mapping and coordinates', () => {
    const profile = createMoodProfile({
      mapping: { bpm: { arousal: 2 }, brightness: { valence: 1, dominance: 1 } },
      coordinates: { ...EMOTION_COORDINATES, happy: { valence: 1, arousal: 0.5, dominance: 0.5 } },
    })
    expect(profile.happy).toEqual({ bpm: 1, brightness: 1.5 })
    expect(profile.sad['bpm']).toBeCloseTo(-0.54, 12)
  })

  it('keeps a "__proto__" feature as data', () => {
    const profile = createMoodProfile({ mapping: JSON.parse('{"__proto__": {"valence": 1}}') })
    expect(Object.getOwnPropertyDescriptor(profile.happy, '__proto__')?.value).toBeCloseTo(0.81, 12)
  })

  it.each([
    [{ mapping: { energy: { arousal: Number.NaN } } }, 'mapping.energy.arousal'],
    [{ mapping: { energy: 3 } }, 'mapping.energy'],
    [{ mapping: null }, 'mapping'],
    [{ coordinates: { ...EMOTION_COORDINATES, fear: undefined } }, 'coordinates.fear'],
    [
      { coordinates: { ...EMOTION_COORDINATES, fear: { valence: 0, arousal: '1', dominance: 0 } } },
      'coordinates.fear.arousal',
    ],
  ])('rejects %j naming %s', (options, option) => {
    expect(optionOf(() => createMoodProfile(options as never))).toBe(option)
  })
})

describe('validateMoodProfile', () => {
  it('requires finite targets for all seven emotions', () => {
    expect(validateMoodProfile(DEFAULT_MOOD_PROFILE, 'p')).toBe(DEFAULT_MOOD_PROFILE)
    const partial = Object.fromEntries(
      Object.entries(DEFAULT_MOOD_PROFILE).filter(([e]) => e !== 'happy'),
    )
    expect(() => validateMoodProfile(partial, 'p')).toThrow(/"p\.happy"/)
    expect(() =>
      validateMoodProfile({ ...DEFAULT_MOOD_PROFILE, sad: { energy: Infinity } }, 'p'),
    ).toThrow(/"p\.sad\.energy"/)
  })
})
