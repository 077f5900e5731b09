import {
  EMOTIONS,
  toEmotionProbabilities,
  type Emotion,
  type EmotionProbabilities,
  type MoodInput,
} from '@moodlens/recommender'

/**
 * Where the current mood came from: the camera, the person picking it by hand, or the server's
 * history (the last mood saved, restored after a reload).
 */
export type MoodSource = 'camera' | 'manual' | 'saved'

/** How each source is shown beside the mood. */
export const MOOD_SOURCE_WORDS: Readonly<Record<MoodSource, string>> = {
  camera: 'from the camera',
  manual: 'picked by you',
  saved: 'your last saved mood',
}

/** One point of the mood timeline. */
export interface MoodSample {
  readonly at: number
  readonly probabilities: EmotionProbabilities
}

/** The mood the playlist follows, and how it moved over the last minutes. */
export interface MoodState {
  readonly current:
    | {
        readonly emotion: Emotion
        readonly probabilities: EmotionProbabilities
        readonly source: MoodSource
        readonly at: number
      }
    | undefined
  readonly timeline: readonly MoodSample[]
}

/** A framework-free store of the mood, read in React with `useExternalStore`. */
export interface MoodStore {
  subscribe(listener: () => void): () => void
  getSnapshot(): MoodState
  getServerSnapshot(): MoodState
  /**
   * Records a mood (a name or a distribution). `emotion` overrides the main emotion (default: the
   * most likely one), e.g. with a tracker's hysteresis-stable mood; `at` defaults to now.
   */
  set(mood: MoodInput, source: MoodSource, options?: { emotion?: Emotion; at?: number }): void
}

/** How much of the past the timeline keeps. */
export const DEFAULT_TIMELINE_WINDOW_MS: number = 5 * 60_000

// A chart of a few hundred points stays readable and cheap to redraw at camera rate.
const MIN_SAMPLE_SPACING_MS = 1000

function dominant(probabilities: EmotionProbabilities): Emotion {
  let best: Emotion = 'neutral'
  for (const emotion of EMOTIONS) {
    if (probabilities[emotion] > probabilities[best]) best = emotion
  }
  return best
}

const EMPTY: MoodState = { current: undefined, timeline: [] }

/** Creates an empty mood store; `windowMs` bounds the timeline. */
export function createMoodStore(windowMs: number = DEFAULT_TIMELINE_WINDOW_MS): MoodStore {
  let state = EMPTY
  const listeners = new Set<() => void>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    getServerSnapshot: () => EMPTY,
    set(mood, source, options = {}) {
      const probabilities = toEmotionProbabilities(mood)
      const at = options.at ?? Date.now()
      const last = state.timeline.at(-1)
      const kept = state.timeline.filter((sample) => sample.at >= at - windowMs)
      const timeline =
        last !== undefined && at - last.at < MIN_SAMPLE_SPACING_MS && source === 'camera'
          ? kept
          : [...kept, { at, probabilities }]
      state = {
        current: { emotion: options.emotion ?? dominant(probabilities), probabilities, source, at },
        timeline,
      }
      for (const listener of listeners) listener()
    },
  }
}
