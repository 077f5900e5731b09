import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createTestCatalog } from './__tests__/testCatalog.ts'
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
