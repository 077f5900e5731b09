import { EMOTIONS, type Emotion } from '@moodlens/recommender'
import type { ReactElement } from 'react'
import { EMOTION_COLORS, EMOTION_LABELS } from '../emotionStyle.ts'

/** Seven buttons for choosing a mood by hand (no camera, or the camera refused). */
export function MoodPicker({
  value,
  onPick,
  label = 'How do you feel?',
}: {
  value: Emotion | undefined
  onPick: (emotion: Emotion) => void
  label?: string
}): ReactElement {
  return (
    <fieldset className="mood-picker">
      <legend>{label}</legend>
      <div className="mood-buttons">
        {EMOTIONS.map((emotion) => (
          <button
            key={emotion}
            type="button"
            aria-pressed={value === emotion}
            onClick={() => onPick(emotion)}
            style={{ borderColor: EMOTION_COLORS[emotion] }}
          >
            {EMOTION_LABELS[emotion]}
          </button>
        ))}
      </div>
    </fieldset>
  )
}
