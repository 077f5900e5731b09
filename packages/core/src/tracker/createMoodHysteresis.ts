import type { Emotion } from '../emotions.ts'

/**
 * Keeps a mood steady: a new leading emotion replaces the current mood only once it has led for
 * `minStableMs` without interruption. See {@link createMoodHysteresis}.
 */
export interface MoodHysteresis {
  /**
   * Feeds the emotion that leads at `timestampMs` (`null` when there is no face) and returns the
   * stable mood. `null` clears the mood at once: with no face there is nothing to be stable about.
   */
  update(leader: Emotion | null, timestampMs: number): Emotion | null
  /** The stable mood, or `null` before any emotion has led for `minStableMs`. */
  readonly mood: Emotion | null
}

/**
 * Creates the hysteresis behind the tracker's `mood`. The first mood also has to lead for
 * `minStableMs`, so a single odd frame at start-up never becomes the mood.
 *
 * @example
 * ```ts
 * const hysteresis = createMoodHysteresis(1000)
 * hysteresis.update('happy', 0) // null
 * hysteresis.update('happy', 1000) // 'happy'
 * hysteresis.update('sad', 1100) // still 'happy'
 * ```
 */
export function createMoodHysteresis(minStableMs: number): MoodHysteresis {
  let mood: Emotion | null = null
  let candidate: Emotion | null = null
  let candidateSince = 0
  return {
    get mood() {
      return mood
    },
    update(leader, timestampMs) {
      if (leader === null) {
        mood = null
        candidate = null
      } else if (leader === mood) {
        candidate = null
      } else {
        if (leader !== candidate) {
          candidate = leader
          candidateSince = timestampMs
        }
        if (timestampMs - candidateSince >= minStableMs) {
          mood = leader
          candidate = null
        }
      }
      return mood
    },
  }
}
