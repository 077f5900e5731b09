import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { useExternalStore, type ExternalStore } from './useExternalStore.ts'
import { createTestStore } from './__tests__/createTestStore.ts'

function Mood({ store }: { store: ExternalStore<string> }) {
  return <p>mood: {useExternalStore(store)}</p>
}

describe('useExternalStore on the server', () => {
  it('renders the server snapshot without subscribing', () => {
    const store = createTestStore('happy', 'neutral')
    expect(renderToString(<Mood store={store} />)).toBe('<p>mood: <!-- -->neutral</p>')
    expect(store.listenerCount()).toBe(0)
  })

  it('falls back to getSnapshot when the store has no server snapshot', () => {
    expect(renderToString(<Mood store={createTestStore('sad')} />)).toContain('sad')
  })
})
