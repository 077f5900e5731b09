'use client'

import { createEmotionDetector } from '@moodlens/core'
import { createContext, useState, type Context, type ReactElement, type ReactNode } from 'react'
import {
  createDetectorRegistry,
  type DetectorFactory,
  type DetectorRegistry,
} from './createDetectorRegistry.ts'

/**
 * How long, in ms, an unused detector is kept before it is disposed: 0, the next macrotask. That
 * is enough for React StrictMode's simulated unmount and for one component replacing another in
 * the same commit; raise it to keep models across page changes.
 *
 * @example
 * ```tsx
 * import { DEFAULT_RELEASE_DELAY_MS, MoodlensProvider } from '@moodlens/react/emotion'
 *
 * const app = <MoodlensProvider releaseDelayMs={DEFAULT_RELEASE_DELAY_MS + 30_000}>…</MoodlensProvider>
 * ```
 */
export const DEFAULT_RELEASE_DELAY_MS = 0

/** The registry of the nearest provider; `null` means the page-wide default one. */
export const MoodlensContext: Context<DetectorRegistry | null> =
  createContext<DetectorRegistry | null>(null)

let pageRegistry: DetectorRegistry | undefined

/** The registry used outside any provider: one per page, loading with `createEmotionDetector`. */
export function defaultRegistry(): DetectorRegistry {
  pageRegistry ??= createDetectorRegistry(createEmotionDetector, DEFAULT_RELEASE_DELAY_MS)
  return pageRegistry
}

/**
 * Props of {@link MoodlensProvider}. Both are read once, when the provider mounts.
 *
 * @example
 * ```tsx
 * import type { MoodlensProviderProps } from '@moodlens/react/emotion'
 *
 * const props: MoodlensProviderProps = { releaseDelayMs: 10_000, children: null }
 * ```
 */
export interface MoodlensProviderProps {
  /** Loads a detector. Default `createEmotionDetector` of `@moodlens/core`. */
  readonly createDetector?: DetectorFactory | undefined
  /** How long an unused detector is kept. Default {@link DEFAULT_RELEASE_DELAY_MS}. */
  readonly releaseDelayMs?: number | undefined
  readonly children?: ReactNode
}

/**
 * Shares emotion detectors between the components below it: every {@link useEmotionDetector} with
 * equal options gets the same detector, loaded once and disposed when the last of them unmounts.
 * Optional: without a provider the hooks share one page-wide registry with the same rules. Use one
 * to scope models to a part of the app, keep them longer (`releaseDelayMs`) or load them your way
 * (`createDetector`).
 *
 * @example
 * ```tsx
 * import { MoodlensProvider } from '@moodlens/react/emotion'
 *
 * export function App() {
 *   return (
 *     <MoodlensProvider releaseDelayMs={60_000}>
 *       <LiveMood />
 *       <MoodHistory />
 *     </MoodlensProvider>
 *   )
 * }
 * ```
 */
export function MoodlensProvider(props: MoodlensProviderProps): ReactElement {
  const [registry] = useState(() =>
    createDetectorRegistry(
      props.createDetector ?? createEmotionDetector,
      props.releaseDelayMs ?? DEFAULT_RELEASE_DELAY_MS,
    ),
  )
  return <MoodlensContext.Provider value={registry}>{props.children}</MoodlensContext.Provider>
}
