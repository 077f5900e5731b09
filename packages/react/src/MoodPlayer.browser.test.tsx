import { act, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { beforeEach, describe, expect, it } from 'vitest'
import { setCameraPermission } from './__tests__/cameraPermission.ts'
import { createFakeDetectorFactory } from './__tests__/createFakeDetectorFactory.ts'
import { MoodPlayer } from './__tests__/MoodPlayer.tsx'
import { createTestCatalog } from './__tests__/testCatalog.ts'
import { MoodlensProvider } from './MoodlensProvider.tsx'

// React's act() warns unless the environment says it is a test environment.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const HAPPY = { angry: 0, disgust: 0, fear: 0, happy: 0.9, sad: 0, surprise: 0.05, neutral: 0.05 }

describe('the documented MoodPlayer component (docs/react.md)', () => {
  beforeEach(() => setCameraPermission(true))

  it('shows the camera, the mood and a playlist for it, and releases everything on unmount', async () => {
    const fake = createFakeDetectorFactory(() => [
      {
        box: { x: 220, y: 140, width: 200, height: 200 },
        keypoints: [],
        faceScore: 0.95,
        emotion: 'happy',
        confidence: 0.9,
        probabilities: HAPPY,
        valence: 0.8,
        arousal: 0.4,
      },
    ])
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    await act(async () =>
      root.render(
        <StrictMode>
          <MoodlensProvider createDetector={fake.create}>
            <MoodPlayer catalog={createTestCatalog()} />
          </MoodlensProvider>
        </StrictMode>,
      ),
    )
    const text = () => container.querySelector('p[aria-live]')!.textContent
    const titles = () => [...container.querySelectorAll('li')].map((item) => item.textContent)
    expect(container.querySelector('progress')).not.toBeNull()
    expect(text()).toBe('Looking for a face…')
    const neutralList = titles()
    expect(neutralList).toHaveLength(5)
    expect(fake.loads).toHaveLength(1)
    expect(fake.loads[0]!.options.wasmPaths).toBe('/tfjs-backend-wasm/')

    await act(async () => fake.loads[0]!.resolve())
    expect(container.querySelector('progress')).toBeNull()
    const button = container.querySelector('button')!
    await act(async () => button.click())
    await expect.poll(() => button.textContent, { timeout: 10_000 }).toBe('Stop the camera')
    const video = container.querySelector('video')!
    const stream = video.srcObject as MediaStream
    expect(stream.active).toBe(true)

    await expect.poll(text, { timeout: 15_000 }).toBe('You look happy')
    expect(titles()).toHaveLength(5)
    expect(titles()).not.toEqual(neutralList)

    await act(async () => root.unmount())
    await act(() => new Promise((resolve) => setTimeout(resolve, 10)))
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).toBe(true)
    expect(fake.loads[0]!.detector.disposed).toBe(1)
    container.remove()
  })
})
