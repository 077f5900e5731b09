import type { EnvelopeChannel } from '../api/createEnvelopeChannel.ts'
import type { MoodState, MoodStore } from './createMoodStore.ts'

/** What the reporter has sent: shown beside the privacy note. */
export interface MoodReport {
  readonly sentAt: number | undefined
  readonly sent: number
  readonly error: unknown
}

/** Sends the current mood to the server's history, sealed, at a bounded rate. */
export interface MoodReporter {
  subscribe(listener: () => void): () => void
  getSnapshot(): MoodReport
  getServerSnapshot(): MoodReport
  /** Starts following the mood store; returns the function that stops. */
  start(): () => void
}

/** A camera mood is sent at most this often; a mood picked by hand is sent at once. */
export const CAMERA_REPORT_INTERVAL_MS = 5000

const INITIAL: MoodReport = { sentAt: undefined, sent: 0, error: undefined }

/** Creates a reporter that posts `moods`' current mood to `POST /moods` through `channel`. */
export function createMoodReporter(
  channel: EnvelopeChannel,
  moods: MoodStore,
  intervalMs: number = CAMERA_REPORT_INTERVAL_MS,
): MoodReporter {
  let report = INITIAL
  let sending = false
  let lastSeen: MoodState['current']
  const listeners = new Set<() => void>()
  const update = (next: MoodReport): void => {
    report = next
    for (const listener of listeners) listener()
  }

  const maybeSend = async (): Promise<void> => {
    const current = moods.getSnapshot().current
    // A mood restored from the server is already there.
    if (current === undefined || current.source === 'saved') return
    if (current === lastSeen || sending) return
    const due =
      current.source === 'manual' ||
      report.sentAt === undefined ||
      current.at - report.sentAt >= intervalMs
    if (!due) return
    lastSeen = current
    sending = true
    try {
      await channel.send('POST', '/moods', { probabilities: current.probabilities })
      update({ sentAt: current.at, sent: report.sent + 1, error: undefined })
    } catch (error) {
      update({ ...report, error })
    } finally {
      sending = false
    }
    // A mood picked while this one was on its way is sent now rather than dropped.
    void maybeSend()
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => report,
    getServerSnapshot: () => INITIAL,
    start() {
      const unsubscribe = moods.subscribe(() => void maybeSend())
      void maybeSend()
      return unsubscribe
    },
  }
}
