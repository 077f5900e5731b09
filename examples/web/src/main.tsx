import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createApiClient } from './api/createApiClient.ts'
import { createEnvelopeChannel } from './api/createEnvelopeChannel.ts'
import { App } from './App.tsx'
import { AppContext, type AppServices } from './appContext.ts'
import { createMoodReporter } from './mood/createMoodReporter.ts'
import { createMoodStore } from './mood/createMoodStore.ts'
import './styles.css'

const api = createApiClient()
const channel = createEnvelopeChannel(api)
const moods = createMoodStore()
const services: AppServices = { api, channel, moods, reporter: createMoodReporter(channel, moods) }

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext value={services}>
      <App />
    </AppContext>
  </StrictMode>,
)
