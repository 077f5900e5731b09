import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { afterEach, describe, expect, it } from 'vitest'
import { useExternalStore, type ExternalStore } from './useExternalStore.ts'
import { createTestStore } from './__tests__/createTestStore.ts'

// React's act() warns unless the environment says it is a test environment.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function Mood({ store }: { store: ExternalStore<string> }) {
  return <output>{useExternalStore(store)}</output>
}

describe('useExternalStore in Chromium', () => {
  const containers: HTMLElement[] = []
  afterEach(() => {
    for (const container of containers.splice(0)) container.remove()
  })

  it('re-renders on change and unsubscribes on unmount', async () => {
    const container = document.body.appendChild(document.createElement('div'))
    containers.push(container)
    const store = createTestStore('neutral')
    const root = createRoot(container)

    await act(async () => root.render(<Mood store={store} />))
    expect(container.textContent).toBe('neutral')
    expect(store.listenerCount()).toBe(1)

    await act(async () => store.set('surprise'))
    expect(container.textContent).toBe('surprise')

    await act(async () => root.unmount())
    expect(store.listenerCount()).toBe(0)
  })
})
