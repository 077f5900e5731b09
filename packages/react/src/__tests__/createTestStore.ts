import type { ExternalStore } from '../useExternalStore.ts'

/** A minimal store for tests: `set` replaces the snapshot and notifies subscribers. */
export function createTestStore<T>(
  initial: T,
  serverSnapshot?: T,
): ExternalStore<T> & { set(value: T): void; listenerCount(): number } {
  let value = initial
  const listeners = new Set<() => void>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    getSnapshot: () => value,
    ...(serverSnapshot === undefined ? {} : { getServerSnapshot: () => serverSnapshot }),
    set(next) {
      value = next
      for (const listener of listeners) listener()
    },
    listenerCount: () => listeners.size,
  }
}
