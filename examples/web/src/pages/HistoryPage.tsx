import { valenceArousal } from '@moodlens/recommender'
import { useEffect, useState, type ReactElement } from 'react'
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { describeError } from '../api/describeError.ts'
import type { HistoryResponse } from '../api/types.ts'
import { useServices } from '../appContext.ts'
import { EMOTION_LABELS } from '../emotionStyle.ts'
import { timeTicks } from '../timeTicks.ts'

// Enough for a few hours of camera readings (one every few seconds while the live view is open).
const HISTORY_LIMIT = 500

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly history: HistoryResponse }
  | { readonly status: 'error'; readonly message: string }

// Feedback markers sit on the valence axis: a like high, a dislike low.
const SIGNAL_Y: Readonly<Record<string, number>> = { like: 0.9, skip: 0, dislike: -0.9 }
const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  like: 'Liked',
  skip: 'Skipped',
  dislike: 'Disliked',
  rating: 'Rated',
}

const clock = (at: number): string =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })

const when = (at: number): string =>
  new Date(at).toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })

/** The signed-in person's moods and feedback over time. */
export function HistoryPage(): ReactElement {
  const { channel } = useServices()
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })

  useEffect(() => {
    const controller = new AbortController()
    // Moods are personal data: the history comes back sealed with the session key.
    channel
      .get<HistoryResponse>(`/history?limit=${HISTORY_LIMIT}`)
      .then((history) => {
        if (!controller.signal.aborted) setLoaded({ status: 'ready', history })
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted)
          setLoaded({ status: 'error', message: describeError(error) })
      })
    return () => controller.abort()
  }, [channel])

  if (loaded.status === 'loading') {
    return (
      <p role="status" className="muted">
        Loading your history…
      </p>
    )
  }
  if (loaded.status === 'error') {
    return (
      <p role="alert" className="alert">
        {loaded.message}
      </p>
    )
  }
  // The server lists newest first; charts and the summary read oldest first.
  const moods = [...loaded.history.moods].reverse()
  const feedback = [...loaded.history.feedback].reverse()
  const moodPoints = moods.map((mood) => ({
    at: Date.parse(mood.createdAt),
    valence: valenceArousal(mood.probabilities).valence,
  }))
  const feedbackPoints = feedback.map((event) => ({
    at: Date.parse(event.createdAt),
    signal: SIGNAL_Y[event.signal] ?? 0,
  }))
  const times = [...moodPoints, ...feedbackPoints].map((point) => point.at)
  // Within the hour, ticks need seconds to differ; over days, they need the date.
  const short = Math.max(...times) - Math.min(...times) < 3_600_000
  const tick = short ? clock : when
  const ticks = timeTicks(Math.min(...times), Math.max(...times), 5, short ? 1000 : 60_000)
  return (
    <>
      <h1>Your history</h1>
      <section className="card" aria-labelledby="history-chart-title">
        <h2 id="history-chart-title">Mood and feedback over time</h2>
        {moods.length + feedback.length === 0 ? (
          <p className="muted">Nothing yet: your moods and feedback appear here.</p>
        ) : (
          <figure className="chart" aria-label="Mood and feedback over time">
            <ResponsiveContainer width="100%" height={260}>
              <ComposedChart margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e5ea" />
                <XAxis
                  dataKey="at"
                  type="number"
                  domain={['dataMin', 'dataMax']}
                  ticks={ticks}
                  tickFormatter={tick}
                  minTickGap={60}
                  fontSize={12}
                  allowDuplicatedCategory={false}
                />
                <YAxis domain={[-1, 1]} fontSize={12} />
                <Tooltip labelFormatter={(at) => when(Number(at))} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Line
                  data={moodPoints}
                  dataKey="valence"
                  name="Mood (unpleasant −1 to pleasant +1)"
                  stroke="#5b4bdb"
                  dot={moodPoints.length < 40}
                  isAnimationActive={false}
                />
                <Scatter
                  data={feedbackPoints}
                  dataKey="signal"
                  name="Feedback (like up, dislike down)"
                  fill="#e9a91c"
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          </figure>
        )}
      </section>
      <section className="card" aria-labelledby="feedback-title">
        <h2 id="feedback-title">Feedback</h2>
        {feedback.length === 0 ? (
          <p className="muted">No feedback yet. Like, skip or dislike tracks in your playlist.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Track</th>
                </tr>
              </thead>
              <tbody>
                {[...feedback].reverse().map((event) => (
                  <tr key={event.id} data-testid="feedback-row">
                    <td>{when(Date.parse(event.createdAt))}</td>
                    <td>
                      {SIGNAL_WORDS[event.signal] ?? event.signal}
                      {event.rating !== undefined && ` ${event.rating}/5`}
                    </td>
                    <td>
                      {event.track
                        ? `${event.track.name} by ${event.track.artist}`
                        : `${event.trackId} (no longer in the catalogue)`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="moods-title">
        <h2 id="moods-title">Recent moods</h2>
        {moods.length === 0 ? (
          <p className="muted">No mood recorded yet.</p>
        ) : (
          <p>
            {moods.length === 1 ? 'One mood' : `${moods.length} moods`} recorded; the latest:{' '}
            <strong>{EMOTION_LABELS[moods.at(-1)!.emotion]}</strong>.
          </p>
        )}
      </section>
    </>
  )
}
