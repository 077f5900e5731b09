import { EMOTIONS, toEmotionProbabilities, type MoodInput } from '@moodlens/recommender'

/**
 * A string that changes only when the mood changes by at least `resolution` in some emotion's
 * probability, so that hooks fed a smoothed mood every frame recompute only on real changes.
 * Invalid moods key by their JSON, so the hook recomputes and reports the error.
 */
export function moodKey(mood: MoodInput, resolution: number): string {
  if (typeof mood === 'string') return mood
  try {
    const probabilities = toEmotionProbabilities(mood)
    return EMOTIONS.map((emotion) => Math.round(probabilities[emotion] / resolution)).join(',')
  } catch {
    return `invalid:${JSON.stringify(mood)}`
  }
}
