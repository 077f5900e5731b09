'use client'

import { useSyncExternalStore } from 'react'

/**
 * The shape every live moodlens object exposes to UI frameworks (an emotion tracker, a camera, a
 * taste profile): subscribe to changes, read the current immutable snapshot.
 *
 * @typeParam TSnapshot - What `getSnapshot` returns. It must be the same object until something
 * changes, as `useSyncExternalStore` requires.
 *
 * @example
 * ```ts
 * import type { ExternalStore } from '@moodlens/react'
 *
 * let count = 0
 * const listeners = new Set<() => void>()
 * const counter: ExternalStore<number> = {
 *   subscribe(listener) {
 *     listeners.add(listener)
 *     return () => listeners.delete(listener)
 *   },
 *   getSnapshot: () => count,
 * }
 * ```
 */
export interface ExternalStore<TSnapshot> {
  subscribe(listener: () => void): () => void
  getSnapshot(): TSnapshot
  /** What to render on the server and during hydration; defaults to `getSnapshot`. */
  getServerSnapshot?(): TSnapshot
}

/**
 * Reads a moodlens store in a React component and re-renders when it changes. This is the single
 * bridge between the framework-free core objects and React (through `useSyncExternalStore`), so
 * updates never tear and server rendering reads `getServerSnapshot`.
 *
 * @example
 * ```tsx
 * import { useExternalStore } from '@moodlens/react'
 *
 * function MoodBadge({ tracker }: { tracker: ExternalStore<{ mood: string }> }) {
 *   const { mood } = useExternalStore(tracker)
 *   return <span>{mood}</span>
 * }
 * ```
 */
export function useExternalStore<TSnapshot>(store: ExternalStore<TSnapshot>): TSnapshot {
  return useSyncExternalStore(
    store.subscribe,
    store.getSnapshot,
    store.getServerSnapshot ?? store.getSnapshot,
  )
}
