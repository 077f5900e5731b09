import { useExternalStore } from '@moodlens/react'
import { EMOTIONS, isEmotion, type Emotion } from '@moodlens/recommender'
import { useEffect, useState, type ReactElement } from 'react'
import { describeError } from '../api/describeError.ts'
import type { FeedbackSignal, RecommendationsResponse, RecommendedTrack } from '../api/types.ts'
import { useServices } from '../appContext.ts'
import { MoodPicker } from '../components/MoodPicker.tsx'
import { TrackCard } from '../components/TrackCard.tsx'
import { EMOTION_LABELS } from '../emotionStyle.ts'
import { MOOD_SOURCE_WORDS } from '../mood/createMoodStore.ts'

/** How many tracks a playlist has, and the journey's default length. */
const PLAYLIST_LENGTH = 10
const DEFAULT_JOURNEY_LENGTH = 8

type Mode = 'match' | 'journey'

// Each answer remembers the request it answers: an older one is never shown as current.
type Answer =
  | { readonly key: string; readonly status: 'ready'; readonly items: readonly RecommendedTrack[] }
  | { readonly key: string; readonly status: 'error'; readonly message: string }

/** Recommendations for the current mood (or a journey to a goal mood), with feedback buttons. */
export function PlaylistPage(): ReactElement {
  const { moods, channel } = useServices()
  const { current } = useExternalStore(moods)
  const [mode, setMode] = useState<Mode>('match')
  const [goal, setGoal] = useState<Emotion>('happy')
  const [length, setLength] = useState(DEFAULT_JOURNEY_LENGTH)
  const [answer, setAnswer] = useState<Answer | undefined>()
  const [given, setGiven] = useState<Readonly<Record<string, FeedbackSignal>>>({})
  const [feedbackError, setFeedbackError] = useState<string | undefined>()
  const [refreshes, setRefreshes] = useState(0)
  // The list follows the mood's main emotion, not every flicker of its probabilities.
  const emotion = current?.emotion

  const key = JSON.stringify([emotion, mode, goal, length, refreshes])
  const playlist =
    current === undefined
      ? ({ status: 'idle' } as const)
      : answer?.key === key
        ? answer
        : ({ status: 'loading' } as const)

  useEffect(() => {
    const mood = moods.getSnapshot().current
    if (mood === undefined) return
    let live = true
    const request =
      mode === 'match'
        ? { probabilities: mood.probabilities, k: PLAYLIST_LENGTH, explain: true }
        : { journey: { from: mood.probabilities, to: goal, length }, explain: true }
    channel
      .send<RecommendationsResponse>('POST', '/recommendations', request)
      .then((response) => {
        if (live) setAnswer({ key, status: 'ready', items: response.items })
      })
      .catch((error: unknown) => {
        if (live) setAnswer({ key, status: 'error', message: describeError(error) })
      })
    return () => {
      live = false
    }
  }, [moods, channel, key, mode, goal, length])

  const sendFeedback = async (item: RecommendedTrack, signal: FeedbackSignal): Promise<void> => {
    const mood = moods.getSnapshot().current
    setFeedbackError(undefined)
    try {
      await channel.send('POST', '/feedback', {
        trackId: item.track.id,
        signal,
        ...(mood === undefined ? {} : { mood: mood.probabilities }),
      })
      setGiven((before) => ({ ...before, [item.track.id]: signal }))
    } catch (error) {
      setFeedbackError(describeError(error))
    }
  }

  return (
    <>
      <h1>Your playlist</h1>
      <div className="grid playlist-grid">
        <section className="card" aria-labelledby="tracks-title">
          <h2 id="tracks-title">
            {mode === 'match'
              ? 'Music for your mood'
              : `A journey to ${EMOTION_LABELS[goal].toLowerCase()}`}
          </h2>
          {current === undefined && (
            <p className="muted">
              Pick a mood (or turn on the camera in Live view) to get a playlist.
            </p>
          )}
          {playlist.status === 'loading' && (
            <p role="status" className="muted">
              Finding tracks…
            </p>
          )}
          {playlist.status === 'error' && (
            <p role="alert" className="alert">
              {playlist.message}
            </p>
          )}
          {feedbackError && (
            <p role="alert" className="alert">
              {feedbackError}
            </p>
          )}
          {playlist.status === 'ready' &&
            (playlist.items.length === 0 ? (
              <p className="muted">No track fits. Try another mood.</p>
            ) : (
              <ol className="tracks" aria-label="Recommended tracks">
                {playlist.items.map((item, index) => (
                  <TrackCard
                    key={item.track.id}
                    item={item}
                    position={index + 1}
                    given={given[item.track.id]}
                    onFeedback={(signal) => void sendFeedback(item, signal)}
                  />
                ))}
              </ol>
            ))}
        </section>
        <section className="card mood-panel" aria-labelledby="mood-title">
          <h2 id="mood-title">Mood</h2>
          <p>
            {current === undefined ? (
              'No mood yet.'
            ) : (
              <>
                <span className="mood-now" data-testid="current-mood">
                  {EMOTION_LABELS[current.emotion]}
                </span>{' '}
                <span className="muted">({MOOD_SOURCE_WORDS[current.source]})</span>
              </>
            )}
          </p>
          <MoodPicker
            value={current?.source === 'manual' ? current.emotion : undefined}
            onPick={(picked) => moods.set(picked, 'manual')}
            label="Set your mood by hand"
          />
          <fieldset className="mood-picker">
            <legend>Playlist</legend>
            <div className="stack">
              <label className="choice">
                <input
                  type="radio"
                  name="mode"
                  checked={mode === 'match'}
                  onChange={() => setMode('match')}
                />{' '}
                Match my mood
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name="mode"
                  checked={mode === 'journey'}
                  onChange={() => setMode('journey')}
                />{' '}
                Journey: move step by step to a goal mood
              </label>
              {mode === 'journey' && (
                <>
                  <label className="field">
                    Goal mood
                    <select
                      value={goal}
                      onChange={(event) => {
                        if (isEmotion(event.target.value)) setGoal(event.target.value)
                      }}
                    >
                      {EMOTIONS.map((option) => (
                        <option key={option} value={option}>
                          {EMOTION_LABELS[option]}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="field">
                    Steps
                    <input
                      type="number"
                      min={2}
                      max={30}
                      value={length}
                      onChange={(event) => {
                        const value = Number(event.target.value)
                        if (Number.isInteger(value) && value >= 2 && value <= 30) setLength(value)
                      }}
                    />
                  </label>
                </>
              )}
              <button
                type="button"
                onClick={() => setRefreshes((count) => count + 1)}
                disabled={current === undefined}
              >
                Refresh playlist
              </button>
            </div>
          </fieldset>
        </section>
      </div>
    </>
  )
}
