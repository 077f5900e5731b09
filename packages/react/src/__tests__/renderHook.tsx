import { act, StrictMode, type ComponentType, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'

// React's act() warns unless the environment says it is a test environment.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

/**
 * Renders `useHook(props)` in a real React root (StrictMode, inside `Wrapper` if given) and records
 * every value it returned, so tests can compare results across renders.
 */
export async function renderHook<TProps, TResult>(
  useHook: (props: TProps) => TResult,
  initialProps: TProps,
  Wrapper: ComponentType<{ children: ReactNode }> = ({ children }) => children,
): Promise<{
  results: TResult[]
  readonly current: TResult
  rerender(props: TProps): Promise<void>
  unmount(): Promise<void>
}> {
  const container = document.body.appendChild(document.createElement('div'))
  const root = createRoot(container)
  const results: TResult[] = []
  function Probe({ props }: { props: TProps }): ReactNode {
    results.push(useHook(props))
    return null
  }
  const render = (props: TProps) =>
    act(async () =>
      root.render(
        <StrictMode>
          <Wrapper>
            <Probe props={props} />
          </Wrapper>
        </StrictMode>,
      ),
    )
  await render(initialProps)
  return {
    results,
    get current() {
      return results[results.length - 1]!
    },
    rerender: render,
    async unmount() {
      await act(async () => root.unmount())
      container.remove()
    },
  }
}
