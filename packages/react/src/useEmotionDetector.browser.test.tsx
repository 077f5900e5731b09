import { act, StrictMode, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { createFakeDetectorFactory } from './__tests__/createFakeDetectorFactory.ts'
import { renderHook } from './__tests__/renderHook.tsx'
import type { DetectorOptions, DetectorState } from './createDetectorRegistry.ts'
import { MoodlensProvider } from './MoodlensProvider.tsx'
import { useEmotionDetector } from './useEmotionDetector.ts'

function setup() {
  const fake = createFakeDetectorFactory()
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <MoodlensProvider createDetector={fake.create}>{children}</MoodlensProvider>
  )
  return { ...fake, Wrapper }
}

// Lets the registry's deferred release (a 0 ms timer) run.
const releaseTick = () => act(() => new Promise((resolve) => setTimeout(resolve, 10)))

describe('useEmotionDetector', () => {
  it('loads once under StrictMode, reports progress, then the ready detector', async () => {
    const { loads, Wrapper } = setup()
    const hook = await renderHook(
      (options: DetectorOptions) => useEmotionDetector(options),
      { backend: 'wasm' },
      Wrapper,
    )
    expect(loads).toHaveLength(1)
    expect(loads[0]!.options).toMatchObject({ backend: 'wasm' })
    expect(hook.current).toMatchObject({ status: 'loading', detector: null, progress: 0 })

    await act(async () => loads[0]!.options.onProgress!(0.4))
    expect(hook.current.progress).toBe(0.4)
    await act(async () => loads[0]!.resolve())
    expect(hook.current).toEqual({
      detector: loads[0]!.detector,
      status: 'ready',
      progress: 1,
      error: null,
    })
    // An equal options object in a new render keeps the detector.
    await hook.rerender({ backend: 'wasm' })
    await releaseTick()
    expect(loads).toHaveLength(1)
    expect(loads[0]!.detector.disposed).toBe(0)

    await hook.unmount()
    await releaseTick()
    expect(loads[0]!.detector.disposed).toBe(1)
  })

  it('shares one detector between components and disposes it when the last unmounts', async () => {
    const { loads, Wrapper } = setup()
    const seen: Record<string, DetectorState[]> = { a: [], b: [] }
    function Model({ name, options }: { name: string; options: DetectorOptions }) {
      seen[name]!.push(useEmotionDetector(options))
      return null
    }
    const shared = { backend: 'cpu' } as const
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    const render = (both: boolean) =>
      act(async () =>
        root.render(
          <StrictMode>
            <Wrapper>
              <Model name="a" options={shared} />
              {both && <Model name="b" options={{ backend: 'cpu' }} />}
            </Wrapper>
          </StrictMode>,
        ),
      )
    await render(true)
    expect(loads).toHaveLength(1)
    await act(async () => loads[0]!.resolve())
    expect(seen.a!.at(-1)!.detector).toBe(loads[0]!.detector)
    expect(seen.b!.at(-1)!.detector).toBe(loads[0]!.detector)

    await render(false)
    await releaseTick()
    expect(loads[0]!.detector.disposed).toBe(0)

    await act(async () => root.unmount())
    await releaseTick()
    expect(loads[0]!.detector.disposed).toBe(1)
    expect(loads).toHaveLength(1)
    container.remove()
  })

  it('loads a new detector when the options change by value and disposes the old one', async () => {
    const { loads, Wrapper } = setup()
    const hook = await renderHook(
      (maxFaces: number) => useEmotionDetector({ maxFaces }),
      1 as number,
      Wrapper,
    )
    await act(async () => loads[0]!.resolve())
    await hook.rerender(2)
    await releaseTick()
    expect(loads).toHaveLength(2)
    expect(loads[1]!.options.maxFaces).toBe(2)
    expect(loads[0]!.detector.disposed).toBe(1)
    expect(hook.current.status).toBe('loading')
    await act(async () => loads[1]!.resolve())
    expect(hook.current.detector).toBe(loads[1]!.detector)
    await hook.unmount()
  })

  it('aborts a load that nobody waits for any more and disposes what it still returns', async () => {
    const { loads, Wrapper } = setup()
    const hook = await renderHook(() => useEmotionDetector(), undefined, Wrapper)
    const { signal } = loads[0]!.options
    await hook.unmount()
    await releaseTick()
    expect(signal!.aborted).toBe(true)
    await act(async () => loads[0]!.resolve())
    expect(loads[0]!.detector.disposed).toBe(1)
  })

  it('reports a failed load as an error', async () => {
    const { loads, Wrapper } = setup()
    const hook = await renderHook(() => useEmotionDetector(), undefined, Wrapper)
    const failure = Object.assign(new Error('model.json: 404'), { code: 'ERR_MODEL_FETCH' })
    await act(async () => loads[0]!.reject(failure))
    expect(hook.current).toMatchObject({ status: 'error', detector: null, error: failure })
    await hook.unmount()
  })
})
