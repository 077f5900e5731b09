import type { EmotionDetector, EmotionDetectorOptions } from '@moodlens/core'
import { toError } from './toError.ts'

/**
 * How a detector is loaded: `createEmotionDetector` of `@moodlens/core` by default; tests and apps
 * that load models elsewhere (a Web Worker proxy) pass their own to {@link MoodlensProvider}.
 *
 * @example
 * ```ts
 * import type { DetectorFactory } from '@moodlens/react/emotion'
 * import { createEmotionDetector } from '@moodlens/core'
 *
 * let loads = 0
 * const counted: DetectorFactory = (options) => {
 *   loads += 1
 *   return createEmotionDetector(options)
 * }
 * ```
 */
export type DetectorFactory = (options: EmotionDetectorOptions) => Promise<EmotionDetector>

/**
 * The options of {@link useEmotionDetector}: those of `createEmotionDetector` but `signal` and
 * `onProgress`, which the hook manages (it aborts a load nobody waits for, and reports `progress`).
 *
 * @example
 * ```ts
 * import type { DetectorOptions } from '@moodlens/react/emotion'
 *
 * const options: DetectorOptions = { backend: 'wasm', maxFaces: 1 }
 * ```
 */
export type DetectorOptions = Omit<EmotionDetectorOptions, 'signal' | 'onProgress'>

/**
 * A shared detector's state, as {@link useEmotionDetector} returns it.
 *
 * @example
 * ```ts
 * import type { DetectorState } from '@moodlens/react/emotion'
 *
 * const percent = (state: DetectorState): string => `${Math.round(state.progress * 100)}%`
 * ```
 */
export interface DetectorState {
  /** The loaded detector once `status` is `ready`, else `null`. */
  readonly detector: EmotionDetector | null
  readonly status: 'loading' | 'ready' | 'error'
  /** The fraction of loading done, from 0 to 1. */
  readonly progress: number
  /** Why loading failed (a `MoodlensError` or `TypeError` from the core) when `status` is `error`. */
  readonly error: Error | null
}

/** Shares detectors between components: one load per options key, disposed when unused. */
export interface DetectorRegistry {
  subscribe(key: string, listener: () => void): () => void
  getState(key: string): DetectorState
  /** Holds (and loads, the first time) the detector of `key`; returns the function that lets go. */
  acquire(key: string, options: DetectorOptions): () => void
}

/** What `useEmotionDetector` renders before its detector is acquired, and on the server. */
export const LOADING_STATE: DetectorState = Object.freeze({
  detector: null,
  status: 'loading',
  progress: 0,
  error: null,
})

interface Entry {
  state: DetectorState
  refs: number
  timer: ReturnType<typeof setTimeout> | undefined
  readonly controller: AbortController
}

const identities = new WeakMap<object, number>()
let nextIdentity = 0

function identity(value: object): number {
  let id = identities.get(value)
  if (id === undefined) {
    id = nextIdentity++
    identities.set(value, id)
  }
  return id
}

function keyPart(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? { ref: identity(value) } : value
  }
  if (value instanceof URL) return { url: value.href }
  if (Array.isArray(value)) return value.map(keyPart)
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return { ref: identity(value) }
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((name) => (value as Record<string, unknown>)[name] !== undefined)
      .map((name) => [name, keyPart((value as Record<string, unknown>)[name])]),
  )
}

/**
 * The identity of a detector's options: equal values give equal keys. Strings, numbers, booleans,
 * `URL`s (by `href`), arrays and plain objects compare by value, field by field (`undefined`
 * fields are ignored); anything else (a TF.js IO handler, a function) by identity.
 */
export function detectorKey(options: DetectorOptions): string {
  return JSON.stringify(keyPart(options))
}

/**
 * A framework-free, ref-counted cache of detectors. When the last holder lets go, the detector is
 * disposed (or its load aborted) after `releaseDelayMs`, unless someone acquires it again first:
 * React StrictMode's mount, unmount and mount again, or a page replacing a component with another
 * that uses the same detector, therefore never loads twice nor disposes a detector in use.
 */
export function createDetectorRegistry(
  create: DetectorFactory,
  releaseDelayMs: number,
): DetectorRegistry {
  const entries = new Map<string, Entry>()
  const listeners = new Map<string, Set<() => void>>()

  function notify(key: string): void {
    for (const listener of [...(listeners.get(key) ?? [])]) listener()
  }

  function update(key: string, entry: Entry, next: Partial<DetectorState>): void {
    if (entries.get(key) !== entry) return
    entry.state = Object.freeze({ ...entry.state, ...next })
    notify(key)
  }

  function load(key: string, options: DetectorOptions): Entry {
    const entry: Entry = {
      state: LOADING_STATE,
      refs: 0,
      timer: undefined,
      controller: new AbortController(),
    }
    const { signal } = entry.controller
    const onProgress = (progress: number): void => {
      if (progress > entry.state.progress) update(key, entry, { progress })
    }
    Promise.resolve()
      .then(() => create({ ...options, signal, onProgress }))
      .then(
        (detector) => {
          // Released while loading: nobody will ever dispose it but us.
          if (entries.get(key) !== entry) detector.dispose()
          else update(key, entry, { detector, status: 'ready', progress: 1, error: null })
        },
        (error: unknown) => update(key, entry, { status: 'error', error: toError(error) }),
      )
    return entry
  }

  function remove(key: string, entry: Entry): void {
    if (entry.refs > 0 || entries.get(key) !== entry) return
    entries.delete(key)
    entry.controller.abort()
    entry.state.detector?.dispose()
    notify(key)
  }

  return {
    subscribe(key, listener) {
      let set = listeners.get(key)
      if (set === undefined) listeners.set(key, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0 && listeners.get(key) === set) listeners.delete(key)
      }
    },
    getState: (key) => entries.get(key)?.state ?? LOADING_STATE,
    acquire(key, options) {
      let entry = entries.get(key)
      if (entry === undefined) {
        entry = load(key, options)
        entries.set(key, entry)
      }
      const held = entry
      held.refs += 1
      clearTimeout(held.timer)
      held.timer = undefined
      let released = false
      return () => {
        if (released) return
        released = true
        held.refs -= 1
        if (held.refs === 0) held.timer = setTimeout(() => remove(key, held), releaseDelayMs)
      }
    },
  }
}
