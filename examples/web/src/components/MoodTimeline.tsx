import { EMOTIONS } from '@moodlens/recommender'
import type { ReactElement } from 'react'
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { EMOTION_COLORS, EMOTION_LABELS } from '../emotionStyle.ts'
import type { MoodSample } from '../mood/createMoodStore.ts'
import { timeTicks } from '../timeTicks.ts'

const clock = (at: number): string =>
  new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })

const percent = (value: number): string => `${Math.round(value * 100)}%`

/** A stacked chart of the seven probabilities over the last minutes. */
export function MoodTimeline({ samples }: { samples: readonly MoodSample[] }): ReactElement {
  if (samples.length < 2) {
    return (
      <p className="muted" role="status">
        The timeline fills in as your mood is detected or picked.
      </p>
    )
  }
  const data = samples.map((sample) => ({ at: sample.at, ...sample.probabilities }))
  const ticks = timeTicks(samples[0]!.at, samples.at(-1)!.at)
  return (
    <figure className="chart" aria-label="Mood over the last minutes">
      <ResponsiveContainer width="100%" height={220}>
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e5ea" />
          <XAxis
            dataKey="at"
            type="number"
            domain={['dataMin', 'dataMax']}
            ticks={ticks}
            tickFormatter={clock}
            minTickGap={40}
            fontSize={12}
          />
          <YAxis domain={[0, 1]} tickFormatter={percent} fontSize={12} />
          <Tooltip
            labelFormatter={(at) => clock(Number(at))}
            formatter={(v) => percent(Number(v))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {EMOTIONS.map((emotion) => (
            <Area
              key={emotion}
              type="monotone"
              dataKey={emotion}
              name={EMOTION_LABELS[emotion]}
              stackId="mood"
              stroke={EMOTION_COLORS[emotion]}
              fill={EMOTION_COLORS[emotion]}
              fillOpacity={0.75}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      <figcaption className="muted">Share of each emotion in your mood, last 5 minutes.</figcaption>
    </figure>
  )
}
