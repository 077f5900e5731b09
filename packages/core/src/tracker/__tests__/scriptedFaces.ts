import type { DetectOptions, FaceEmotion } from '../../EmotionDetector.ts'
import { EMOTIONS, valenceArousal, type Emotion } from '../../emotions.ts'

/** A one-hot-ish distribution: `emotion` gets `confidence`, the rest share what is left. */
export function distribution(emotion: Emotion, confidence = 0.7): Record<Emotion, number> {
  const rest = (1 - confidence) / (EMOTIONS.length - 1)
  const probabilities = {} as Record<Emotion, number>
  for (const e of EMOTIONS) probabilities[e] = e === emotion ? confidence : rest
  return probabilities
}

/** A detection as the detector would report it, at (x, y) with a square box of `size`. */
export function face(
  x: number,
  y: number,
  size: number,
  emotion: Emotion | Record<Emotion, number>,
): FaceEmotion {
  const probabilities = typeof emotion === 'string' ? distribution(emotion) : emotion
  let top: Emotion = 'neutral'
  for (const e of EMOTIONS) if (probabilities[e] > probabilities[top]) top = e
  return {
    box: { x, y, width: size, height: size },
    keypoints: [{ name: 'noseTip', x: x + size / 2, y: y + size / 2 }],
    faceScore: 0.9,
    emotion: top,
    confidence: probabilities[top],
    probabilities,
    ...valenceArousal(probabilities),
  }
}

/** What a scripted `detect` call resolves or rejects with. */
export type ScriptStep = readonly FaceEmotion[] | Error

/**
 * A fake detector that answers each call with the next step of `script` (the last step repeats)
 * after `latencyMs` of timer time, and rejects with an AbortError when the call's signal fires.
 */
export interface ScriptedDetector {
  /** Every call's input and signal, in order. */
  readonly calls: { input: unknown; signal: AbortSignal | undefined }[]
  /** The most calls that were ever in flight at once. */
  readonly maxInFlight: number
  /** How many calls were aborted through their signal. */
  readonly aborted: number
  detect(input: unknown, options?: DetectOptions): Promise<FaceEmotion[]>
}

export function createScriptedDetector(
  script: readonly ScriptStep[],
  latencyMs = 0,
): ScriptedDetector {
  const calls: { input: unknown; signal: AbortSignal | undefined }[] = []
  let inFlight = 0
  let maxInFlight = 0
  let aborted = 0
  return {
    calls,
    get maxInFlight(): number {
      return maxInFlight
    },
    get aborted(): number {
      return aborted
    },
    detect(input: unknown, options?: DetectOptions): Promise<FaceEmotion[]> {
      const step = script[Math.min(calls.length, script.length - 1)]
      calls.push({ input, signal: options?.signal })
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      return new Promise<FaceEmotion[]>((resolve, reject) => {
        const finish = () => {
          inFlight--
          options?.signal?.removeEventListener('abort', onAbort)
        }
        const onAbort = () => {
          clearTimeout(timer)
          finish()
          aborted++
          reject(new DOMException('aborted', 'AbortError'))
        }
        const timer = setTimeout(() => {
          finish()
          if (step === undefined) reject(new Error('empty script'))
          else if (step instanceof Error) reject(step)
          else resolve([...step])
        }, latencyMs)
        options?.signal?.addEventListener('abort', onAbort)
      })
    },
  }
}

/**
 * A stand-in for a playing `<video>` whose frames the test fires by hand with `frame(now)`, like
 * `requestVideoFrameCallback` would. It works in Node, where there is no DOM.
 */
export class FakeVideo extends EventTarget {
  paused = false
  ended = false
  readyState = 4
  currentTime = 0
  private nextHandle = 1
  private readonly callbacks = new Map<number, (now: number, metadata: unknown) => void>()

  get pendingCallbacks(): number {
    return this.callbacks.size
  }

  requestVideoFrameCallback(callback: (now: number, metadata: unknown) => void): number {
    const handle = this.nextHandle++
    this.callbacks.set(handle, callback)
    return handle
  }

  cancelVideoFrameCallback(handle: number): void {
    this.callbacks.delete(handle)
  }

  /** Presents a new frame at `now`: calls (and clears) the pending frame callbacks. */
  frame(now: number): void {
    this.currentTime = now / 1000
    const callbacks = [...this.callbacks.values()]
    this.callbacks.clear()
    for (const callback of callbacks) callback(now, { mediaTime: this.currentTime })
  }

  pause(): void {
    this.paused = true
    this.dispatchEvent(new Event('pause'))
  }

  play(): void {
    this.paused = false
    this.dispatchEvent(new Event('play'))
  }

  asVideo(): HTMLVideoElement {
    return this as unknown as HTMLVideoElement
  }
}
