import { EMOTIONS, type Emotion } from '../emotions.ts'

/**
 * The weight a new observation gets in an exponential moving average whose half-life is
 * `halfLifeMs`, when `elapsedMs` passed since the previous one: `1 - 2^(-elapsed / halfLife)`.
 * Following the real time between frames keeps the smoothing the same at 5 and at 60 frames per
 * second. A half-life of 0 (no smoothing) or a first observation (`elapsedMs` infinite) gives 1.
 *
 * @example
 * ```ts
 * emaWeight(250, 250) // 0.5: after one half-life the new value counts half
 * ```
 */
export function emaWeight(elapsedMs: number, halfLifeMs: number): number {
  if (halfLifeMs === 0) return 1
  if (!(elapsedMs > 0)) return 0
  return 1 - 2 ** (-elapsedMs / halfLifeMs)
}

/**
 * Blends `previous` towards `next` by `weight` (0 keeps `previous`, 1 takes `next`). A convex
 * combination of two distributions is a distribution, so the result still sums to 1.
 *
 * @example
 * ```ts
 * const smoothed = blendProbabilities(track.probabilities, face.probabilities, emaWeight(33, 250))
 * ```
 */
export function blendProbabilities(
  previous: Readonly<Record<Emotion, number>>,
  next: Readonly<Record<Emotion, number>>,
  weight: number,
): Record<Emotion, number> {
  const blended = {} as Record<Emotion, number>
  for (const emotion of EMOTIONS) {
    // (1 - w) a + w b rather than a + w (b - a): exactly `next` at weight 1, `previous` at 0.
    blended[emotion] = (1 - weight) * previous[emotion] + weight * next[emotion]
  }
  return blended
}

/**
 * The most likely emotion of a distribution and its probability; ties go to the emotion listed
 * first in `EMOTIONS`, so the answer is deterministic.
 *
 * @example
 * ```ts
 * const { emotion, confidence } = leadingEmotion(smoothed)
 * ```
 */
export function leadingEmotion(probabilities: Readonly<Record<Emotion, number>>): {
  emotion: Emotion
  confidence: number
} {
  let emotion: Emotion = EMOTIONS[0]
  let confidence = -Infinity
  for (const candidate of EMOTIONS) {
    const p = probabilities[candidate]
    if (p > confidence) {
      emotion = candidate
      confidence = p
    }
  }
  return { emotion, confidence }
}
