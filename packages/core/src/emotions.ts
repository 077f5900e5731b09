/**
 * The seven emotions moodlens recognises, in FER2013's label order (index 0 is `angry`). Model
 * outputs, probability records and the recommender's profiles all use this order.
 *
 * @example
 * ```ts
 * import { EMOTIONS } from '@moodlens/core'
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
 * import type { Emotion } from '@moodlens/core'
 *
 * const mood: Emotion = 'surprise'
 * ```
 */
export type Emotion = (typeof EMOTIONS)[number]

/**
 * Whether `value` is one of the seven {@link EMOTIONS} (case-sensitive).
 *
 * @example
 * ```ts
 * import { isEmotion } from '@moodlens/core'
 *
 * isEmotion('happy') // true
 * isEmotion('joy') // false
 * ```
 */
export function isEmotion(value: unknown): value is Emotion {
  return typeof value === 'string' && (EMOTIONS as readonly string[]).includes(value)
}
