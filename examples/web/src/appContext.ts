import { createContext, useContext, type Context } from 'react'
import type { ApiClient } from './api/createApiClient.ts'
import type { EnvelopeChannel } from './api/createEnvelopeChannel.ts'
import type { MoodReporter } from './mood/createMoodReporter.ts'
import type { MoodStore } from './mood/createMoodStore.ts'

/** The app's long-lived objects, created once in main.tsx. */
export interface AppServices {
  readonly api: ApiClient
  readonly channel: EnvelopeChannel
  readonly moods: MoodStore
  readonly reporter: MoodReporter
}

export const AppContext: Context<AppServices | undefined> = createContext<AppServices | undefined>(
  undefined,
)

/** The app's services; only inside `<AppContext value={...}>`. */
export function useServices(): AppServices {
  const services = useContext(AppContext)
  if (services === undefined) throw new Error('useServices must be used inside <AppContext>')
  return services
}
