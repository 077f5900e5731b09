import { describe, expect, it } from 'vitest'
import { EMOTIONS, isEmotion } from './emotions.ts'

describe('EMOTIONS', () => {
  it("follows FER2013's label order", () => {
    expect(EMOTIONS).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'])
  })

  it('recognises exactly the seven names', () => {
    for (const emotion of EMOTIONS) expect(isEmotion(emotion)).toBe(true)
    for (const other of ['Happy', 'joy', '', 3, null, undefined, { emotion: 'happy' }]) {
      expect(isEmotion(other)).toBe(false)
    }
  })
})

describe('the shared vocabulary', () => {
  it('is the recommender’s own, not a copy', async () => {
    const recommender = await import('@moodlens/recommender')
    expect(EMOTIONS).toBe(recommender.EMOTIONS)
  })
})
