'use client'
import type { Catalog } from '@moodlens/recommender'
import { useCamera, useRecommendations } from '@moodlens/react'
import { useEmotion, useEmotionDetector } from '@moodlens/react/emotion'
import type { ReactElement } from 'react'

type Song = { readonly id: string; readonly title: string }

export function MoodPlayer({ catalog }: { catalog: Catalog<Song> }): ReactElement {
  const { videoRef, status, error, start, stop } = useCamera({ audio: false, facingMode: 'user' })
  // In browsers, tell the wasm backend where your app serves its .wasm files.
  const model = useEmotionDetector({ wasmPaths: '/tfjs-backend-wasm/' })
  const { mood, faces } = useEmotion(videoRef, { detector: model.detector })
  // The stable mood changes a few times a minute, not every frame: so does the playlist.
  const { recommendations } = useRecommendations({ catalog, mood: mood ?? 'neutral', k: 5 })
  const streaming = status === 'streaming'
  return (
    <section>
      <video ref={videoRef} width={320} height={240} />
      <button onClick={streaming ? stop : () => void start()}>
        {streaming ? 'Stop the camera' : 'Start the camera'}
      </button>
      {error && <p role="alert">{error.message}</p>}
      {model.status === 'loading' && <progress max={1} value={model.progress} />}
      <p aria-live="polite">
        {faces.length === 0 ? 'Looking for a face…' : `You look ${mood ?? '…'}`}
      </p>
      <ol>
        {recommendations.map(({ id, track }) => (
          <li key={id}>{track.title}</li>
        ))}
      </ol>
    </section>
  )
}
