// The worker side of docs/worker.md: runs the detector off the main thread.
import { createEmotionDetector, type EmotionDetector } from '@moodlens/core'
import type { ClonedError, WorkerRequest, WorkerResponse } from './workerProtocol.ts'

let detector: EmotionDetector | undefined
// Requests are answered one at a time, in order: TF.js runs one model at a time anyway.
let queue: Promise<void> = Promise.resolve()

const reply = (message: WorkerResponse): void => postMessage(message)

function clone(error: unknown): ClonedError {
  const { name = 'Error', message = String(error), code } = (error ?? {}) as Partial<ClonedError>
  return { name, message, code }
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.type === 'init') {
    try {
      detector = await createEmotionDetector({
        ...request.options,
        onProgress: (fraction) => reply({ type: 'progress', fraction }),
      })
      reply({ type: 'ready', backend: detector.backend })
    } catch (error) {
      reply({ type: 'error', id: null, error: clone(error) })
    }
    return
  }
  const { id, image, tiling } = request
  try {
    if (detector === undefined) throw new Error('The worker got a frame before init')
    const faces = await detector.detect(image, { tiling })
    reply({ type: 'faces', id, faces })
  } catch (error) {
    reply({ type: 'error', id, error: clone(error) })
  } finally {
    image.close() // the frame's memory, now rather than at garbage collection
  }
}

addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  queue = queue.then(() => handle(event.data))
})
