import { EMOTIONS, type EmotionProbabilities } from '@moodlens/recommender'
import type { ReactElement } from 'react'
import { EMOTION_COLORS, EMOTION_LABELS } from '../emotionStyle.ts'

/** The seven emotion probabilities as labelled horizontal bars. */
export function EmotionBars({
  probabilities,
}: {
  probabilities: EmotionProbabilities | undefined
}): ReactElement {
  return (
    <ul className="bars" aria-label="Emotion probabilities">
      {EMOTIONS.map((emotion) => {
        const percent = Math.round((probabilities?.[emotion] ?? 0) * 100)
        return (
          <li key={emotion} className="bar-row">
            <span className="bar-label" id={`bar-${emotion}`}>
              {EMOTION_LABELS[emotion]}
            </span>
            <span
              className="bar-track"
              role="meter"
              aria-labelledby={`bar-${emotion}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              aria-valuetext={`${percent}%`}
            >
              <span
                className="bar-fill"
                style={{ width: `${percent}%`, background: EMOTION_COLORS[emotion] }}
              />
            </span>
            <span className="bar-value">{probabilities ? `${percent}%` : '–'}</span>
          </li>
        )
      })}
    </ul>
  )
}
