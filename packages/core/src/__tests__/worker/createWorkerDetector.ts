// The page side of docs/worker.md: an EmotionDetector whose work happens in a Web Worker.
import {
  MoodlensError,
  type DetectOptions,
  type DetectorBackend,
  type DetectorInput,
  type EmotionDetector,
  type FaceEmotion,
} from '@moodlens/core'
import type {
  ClonedError,
  WorkerDetectorOptions,
  WorkerRequest,
  WorkerResponse,
} from './workerProtocol.ts'

interface Pending {
  resolve(faces: FaceEmotion[]): void
  reject(error: unknown): void
}

function revive({ name, message, code }: ClonedError): Error {
  const error = code === undefined ? new Error(message) : new MoodlensError(code, message)
  error.name = name
  return error
}

/**
 * Starts the detector in `worker` (running `emotionDetector.worker.ts`) and resolves to an
 * `EmotionDetector` that sends it each image as an `ImageBitmap`. It plugs into
 * `createEmotionTracker` like a detector of the page. `dispose()` terminates the worker, and so
 * does a failed start.
 */
export async function createWorkerDetector(
  worker: Worker,
  options: WorkerDetectorOptions = {},
  onProgress?: (fraction: number) => void,
): Promise<EmotionDetector> {
  const pending = new Map<number, Pending>()
  let nextId = 1
  let disposed = false

  const failAll = (error: unknown): void => {
    for (const call of pending.values()) call.reject(error)
    pending.clear()
  }
  const backend = new Promise<DetectorBackend>((resolve, reject) => {
    worker.addEventListener('error', (event) => {
      // A script that fails to load or throws at the top level: nothing will answer any more.
      const error = new Error(`The detector worker failed: ${event.message}`)
      reject(error)
      failAll(error)
    })
    worker.addEventListener('message', (event: MessageEvent<WorkerResponse>) => {
      const message = event.data
      switch (message.type) {
        case 'progress':
          onProgress?.(message.fraction)
          return
        case 'ready':
          resolve(message.backend)
          return
        case 'faces':
          pending.get(message.id)?.resolve(message.faces)
          pending.delete(message.id)
          return
        case 'error':
          if (message.id === null) reject(revive(message.error))
          else pending.get(message.id)?.reject(revive(message.error))
          if (message.id !== null) pending.delete(message.id)
      }
    })
  })
  worker.postMessage({ type: 'init', options } satisfies WorkerRequest)
  let started: DetectorBackend
  try {
    started = await backend
  } catch (error) {
    worker.terminate()
    throw error
  }

  const check = (signal: AbortSignal | undefined): void => {
    if (disposed) throw new MoodlensError('ERR_DISPOSED', 'The worker detector was disposed')
    if (signal?.aborted) throw new MoodlensError('ERR_ABORTED', 'Detecting faces was aborted')
  }

  return {
    backend: started,
    async detect(input: DetectorInput, { signal }: DetectOptions = {}): Promise<FaceEmotion[]> {
      check(signal)
      // A copy of the frame, transferred (not copied again) to the worker; the caller's input
      // stays usable. Video frames are never tiled, as in the page.
      const image = await createImageBitmap(input as ImageBitmapSource)
      try {
        check(signal) // again: dispose() or an abort may have come while the copy was made
      } catch (error) {
        image.close()
        throw error
      }
      const tiling = input instanceof HTMLVideoElement ? 'never' : undefined
      const id = nextId++
      return new Promise<FaceEmotion[]>((resolve, reject) => {
        // The worker finishes the frame anyway; an aborted call just stops waiting for it.
        const abort = () => {
          pending.delete(id)
          reject(new MoodlensError('ERR_ABORTED', 'Detecting faces was aborted'))
        }
        signal?.addEventListener('abort', abort, { once: true })
        const settle = (): void => signal?.removeEventListener('abort', abort)
        pending.set(id, {
          resolve: (faces) => (settle(), resolve(faces)),
          reject: (error) => (settle(), reject(error)),
        })
        const request: WorkerRequest = { type: 'detect', id, image, tiling }
        worker.postMessage(request, [image])
      })
    },
    dispose() {
      if (disposed) return
      disposed = true
      worker.terminate()
      failAll(new MoodlensError('ERR_DISPOSED', 'The worker detector was disposed'))
    },
  }
}
