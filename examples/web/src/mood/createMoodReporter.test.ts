import { describe, expect, it } from 'vitest'
import type { EnvelopeChannel } from '../api/createEnvelopeChannel.ts'
import { createMoodReporter } from './createMoodReporter.ts'
import { createMoodStore } from './createMoodStore.ts'

const T0 = 1_700_000_000_000

function fakeChannel(fail?: Error): EnvelopeChannel & { sent: unknown[] } {
  const sent: unknown[] = []
  return {
    sent,
    async send<T>(method: string, path: string, payload: unknown): Promise<T> {
      if (fail) throw fail
      sent.push({ method, path, payload })
      return {} as T
    },
    get: () => Promise.reject(new Error('not used')),
    reset: () => {},
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('createMoodReporter', () => {
  it('sends camera moods at most once per interval, with probabilities only', async () => {
    const moods = createMoodStore()
    const channel = fakeChannel()
    const stop = createMoodReporter(channel, moods, 5000).start()
    moods.set({ happy: 0.8, neutral: 0.2 }, 'camera', { at: T0 })
    await settle()
    moods.set('sad', 'camera', { at: T0 + 3000 })
    await settle()
    moods.set('fear', 'camera', { at: T0 + 5000 })
    await settle()
    stop()
    expect(channel.sent).toHaveLength(2)
    expect(channel.sent[0]).toMatchObject({ method: 'POST', path: '/moods' })
    expect(Object.keys((channel.sent[0] as { payload: object }).payload)).toEqual(['probabilities'])
    expect(channel.sent[1]).toMatchObject({ payload: { probabilities: { fear: 1 } } })
  })

  it('sends a mood picked by hand at once, and never one restored from the server', async () => {
    const moods = createMoodStore()
    const channel = fakeChannel()
    const reporter = createMoodReporter(channel, moods, 5000)
    const stop = reporter.start()
    moods.set('happy', 'saved', { at: T0 })
    await settle()
    expect(channel.sent).toHaveLength(0)
    moods.set('sad', 'manual', { at: T0 + 10 })
    await settle()
    moods.set('angry', 'manual', { at: T0 + 20 })
    await settle()
    stop()
    moods.set('fear', 'manual', { at: T0 + 30 })
    await settle()
    expect(channel.sent).toHaveLength(2)
    expect(reporter.getSnapshot()).toMatchObject({ sent: 2, sentAt: T0 + 20, error: undefined })
  })

  it('reports a failed send in its snapshot', async () => {
    const moods = createMoodStore()
    const failure = new Error('offline')
    const reporter = createMoodReporter(fakeChannel(failure), moods)
    const stop = reporter.start()
    moods.set('sad', 'manual')
    await settle()
    stop()
    expect(reporter.getSnapshot()).toMatchObject({ sent: 0, error: failure })
  })
})
