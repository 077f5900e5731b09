/**
 * The seven emotions moodlens recognises, in FER2013's label order (index 0 is `angry`). Model
 * outputs, probability records and the recommender's profiles all use this order.
 * `@moodlens/recommender` owns this vocabulary; `@moodlens/core` re-exports it.
 *
 * @example
 * ```ts
 * import { EMOTIONS } from '@moodlens/recommender'
 *
 * const label = EMOTIONS[3] // 'happy'
 * ```
 */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const

/**
 * One of the seven {@link EMOTIONS}.
 *
 * @example
 * ```ts
 * import type { Emotion } from '@moodlens/recommender'
 *
 * const mood: Emotion = 'surprise'
 * ```
 */
export type Emotion = (typeof EMOTIONS)[number]

/**
 * A probability for each of the seven {@link EMOTIONS}, as an emotion classifier returns them.
 *
 * @example
 * ```ts
 * import type { EmotionProbabilities } from '@moodlens/recommender'
 *
 * const detected: EmotionProbabilities = {
 *   angry: 0.02, disgust: 0.01, fear: 0.02, happy: 0.7, sad: 0.05, surprise: 0.1, neutral: 0.1,
 * }
 * ```
 */
export type EmotionProbabilities = Record<Emotion, number>

/**
 * Whether `value` is one of the seven {@link EMOTIONS} (case-sensitive).
 *
 * @example
 * ```ts
 * import { isEmotion } from '@moodlens/recommender'
 *
 * isEmotion('happy') // true
 * isEmotion('joy') // false
 * ```
 */
export function isEmotion(value: unknown): value is Emotion {
  return typeof value === 'string' && (EMOTIONS as readonly string[]).includes(value)
}
