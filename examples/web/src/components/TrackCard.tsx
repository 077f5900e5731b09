import type { ReactElement } from 'react'
import type { FeedbackSignal, RecommendedTrack } from '../api/types.ts'
import { featureWord } from '../featureWords.ts'

const SIGNALS: readonly { readonly signal: FeedbackSignal; readonly label: string }[] = [
  { signal: 'like', label: 'Like' },
  { signal: 'skip', label: 'Skip' },
  { signal: 'dislike', label: 'Dislike' },
]

const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`

/** One recommended track: what it is, why it was chosen, and the feedback buttons. */
export function TrackCard({
  item,
  position,
  given,
  onFeedback,
}: {
  item: RecommendedTrack
  position: number
  given: FeedbackSignal | undefined
  onFeedback: (signal: FeedbackSignal) => void
}): ReactElement {
  const { track } = item
  // The features that moved the score most, either way; all of them add up to the score.
  const reasons = [...(item.explanation ?? [])]
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, 3)
  const titleId = `track-${position}`
  return (
    <li className="track" aria-labelledby={titleId} data-testid="track">
      <div className="track-head">
        <span>
          <span className="track-title" id={titleId}>
            {position}. {track.name}
          </span>{' '}
          <span className="track-meta">by {track.artist}</span>
        </span>
        <span className="track-meta">
          {track.genre ? `${track.genre} · ` : ''}match {Math.round(item.score * 100)}%
          {item.progress !== undefined && ` · step ${Math.round(item.progress * 100)}% of the way`}
        </span>
      </div>
      {reasons.length > 0 && (
        <div className="why">
          Why this track:
          <ul>
            {reasons.map((reason) => (
              <li key={reason.feature} className={reason.contribution >= 0 ? 'plus' : 'minus'}>
                {featureWord(reason.feature)} {Number(reason.value.toFixed(2))} (
                {signed(reason.contribution)})
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="feedback" role="group" aria-label={`Feedback on ${track.name}`}>
        {SIGNALS.map(({ signal, label }) => (
          <button
            key={signal}
            type="button"
            aria-pressed={given === signal}
            onClick={() => onFeedback(signal)}
          >
            {label}
          </button>
        ))}
      </div>
    </li>
  )
}
