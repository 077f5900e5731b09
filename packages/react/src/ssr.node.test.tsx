import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createFakeDetectorFactory } from './__tests__/createFakeDetectorFactory.ts'
import { createTestCatalog } from './__tests__/testCatalog.ts'
import { MoodlensProvider } from './MoodlensProvider.tsx'
import { useCamera } from './useCamera.ts'
import { useEmotion } from './useEmotion.ts'
import { useEmotionDetector } from './useEmotionDetector.ts'
import { useMoodJourney } from './useMoodJourney.ts'
import { useRecommendations } from './useRecommendations.ts'
import { useTasteProfile } from './useTasteProfile.ts'

const catalog = createTestCatalog()

function Player() {
  const taste = useTasteProfile({ storageKey: 'moodlens:taste' })
  const { recommendations } = useRecommendations({
    catalog,
    mood: 'happy',
    k: 3,
    profile: taste.profile,
  })
  const { steps } = useMoodJourney({ catalog, from: 'sad', to: 'happy', length: 3 })
  return (
    <main>
      <ol>
        {recommendations.map(({ id, track }) => (
          <li key={id}>{track.title}</li>
        ))}
      </ol>
      <p>{steps.length} steps</p>
    </main>
  )
}

describe('server rendering', () => {
  it('renders the recommendation hooks without any browser API', () => {
    expect(typeof localStorage).toBe('undefined')
    const html = renderToString(<Player />)
    expect(html.match(/<li>/g)).toHaveLength(3)
    expect(html).toContain('3<!-- --> steps')
  })
})

function LivePlayer({ maxFps }: { maxFps: number }) {
  const { videoRef, status } = useCamera({ audio: false, facingMode: 'user' })
  const model = useEmotionDetector({ backend: 'wasm' })
  const live = useEmotion(videoRef, { detector: model.detector, maxFps })
  const { recommendations } = useRecommendations({ catalog, mood: live.mood ?? 'neutral', k: 2 })
  return (
    <main>
      <video ref={videoRef} />
      <p>
        {`${status} ${model.status} ${live.status} ${live.faces.length} ${
          live.error instanceof Error ? live.error.name : 'ok'
        }`}
      </p>
      <p>{recommendations.length} tracks</p>
    </main>
  )
}

describe('server rendering of the camera and emotion hooks', () => {
  it('renders idle and loading, loads no model and touches no browser API', () => {
    expect(typeof navigator === 'undefined' || navigator.mediaDevices === undefined).toBe(true)
    expect(typeof document).toBe('undefined')
    const { create, loads } = createFakeDetectorFactory()
    const html = renderToString(
      <MoodlensProvider createDetector={create}>
        <LivePlayer maxFps={10} />
      </MoodlensProvider>,
    )
    expect(html).toContain('idle loading idle 0 ok')
    expect(html).toContain('2<!-- --> tracks')
    expect(loads).toHaveLength(0)
  })

  it('renders the default (page-wide) registry the same way, without a provider', () => {
    expect(renderToString(<LivePlayer maxFps={10} />)).toContain('idle loading idle 0 ok')
  })

  it('reports invalid tracker options in the snapshot instead of throwing', () => {
    expect(renderToString(<LivePlayer maxFps={-1} />)).toContain(
      'idle loading error 0 InvalidOptionError',
    )
  })
})
