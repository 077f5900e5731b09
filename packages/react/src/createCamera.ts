import { CameraError, type CameraErrorCode } from './CameraError.ts'
import type { ExternalStore } from './useExternalStore.ts'

/**
 * Where a camera stands: `idle` (off), `requesting` (waiting for permission or the device),
 * `streaming`, `denied` (permission refused or revoked), `unavailable` (no camera, or no camera API
 * here) or `error` (the camera failed or stopped by itself; see `error`).
 *
 * @example
 * ```ts
 * import type { CameraStatus } from '@moodlens/react'
 *
 * const canRetry = (status: CameraStatus): boolean => status === 'idle' || status === 'error'
 * ```
 */
export type CameraStatus = 'idle' | 'requesting' | 'streaming' | 'denied' | 'unavailable' | 'error'

/**
 * Options of {@link createCamera} and {@link useCamera}.
 *
 * @example
 * ```ts
 * import type { CameraOptions } from '@moodlens/react'
 *
 * const options: CameraOptions = { audio: false, facingMode: 'user', video: { width: 640 } }
 * ```
 */
export interface CameraOptions {
  /** Extra video constraints (size, frame rate). Default `true`: the browser's choice. */
  readonly video?: true | MediaTrackConstraints | undefined
  /** Never sound: moodlens only reads faces. */
  readonly audio?: false | undefined
  /** This camera (from `devices`), exactly; it wins over `facingMode`. */
  readonly deviceId?: string | undefined
  /** The front (`user`) or back (`environment`) camera, where there is a choice. */
  readonly facingMode?: 'user' | 'environment' | undefined
}

/**
 * What a camera is doing now. A new frozen object after each change.
 *
 * @example
 * ```ts
 * import type { CameraSnapshot } from '@moodlens/react'
 *
 * const live = (camera: CameraSnapshot): boolean => camera.stream?.active === true
 * ```
 */
export interface CameraSnapshot {
  readonly status: CameraStatus
  /** Why the camera is `denied`, `unavailable` or in `error`; `null` otherwise. */
  readonly error: CameraError | null
  /** The live stream while `streaming`, else `null`. */
  readonly stream: MediaStream | null
  /** The video inputs; labels are empty until the person has allowed the camera once. */
  readonly devices: readonly MediaDeviceInfo[]
  /** The camera asked for with `deviceId` or `selectDevice`, else the one streaming, if known. */
  readonly deviceId: string | undefined
}

/**
 * A camera that owns its `MediaStream`: framework-free, observable through `subscribe` and
 * `getSnapshot` (what {@link useCamera} reads). Create it with {@link createCamera}.
 *
 * @example
 * ```ts
 * import { createCamera, type Camera } from '@moodlens/react'
 *
 * const camera: Camera = createCamera({ facingMode: 'user' })
 * camera.attach(document.querySelector('video'))
 * await camera.start()
 * ```
 */
export interface Camera extends ExternalStore<CameraSnapshot> {
  /**
   * Asks for the camera and streams it into the attached video. Never rejects: failures land in
   * the snapshot's `status` and `error`. While a request is pending, returns that request.
   */
  start(): Promise<void>
  /** Stops every track, detaches the stream from the video and returns to `idle`. Idempotent. */
  stop(): void
  /** Uses another camera from `devices`; restarts the stream if one is live or requested. */
  selectDevice(deviceId: string): Promise<void>
  /** Replaces the options; a live stream restarts when its constraints changed. */
  configure(options: CameraOptions): void
  /** The `<video>` to play the stream in (muted, inline), or `null` to detach it. */
  attach(video: HTMLVideoElement | null): void
}

const DENIED_NAMES = new Set(['NotAllowedError', 'SecurityError', 'PermissionDeniedError'])
const NOT_FOUND_NAMES = new Set(['NotFoundError', 'DevicesNotFoundError', 'OverconstrainedError'])
const NOT_READABLE_NAMES = new Set(['NotReadableError', 'TrackStartError', 'AbortError'])

const STATUS_OF: Readonly<Record<CameraErrorCode, CameraStatus>> = {
  ERR_CAMERA_DENIED: 'denied',
  ERR_CAMERA_NOT_FOUND: 'unavailable',
  ERR_CAMERA_UNSUPPORTED: 'unavailable',
  ERR_CAMERA_NOT_READABLE: 'error',
  ERR_CAMERA_ENDED: 'error',
  ERR_CAMERA_FAILED: 'error',
}

function toCameraError(thrown: unknown): CameraError {
  const name = thrown instanceof Error ? thrown.name : ''
  const detail = thrown instanceof Error ? thrown.message : String(thrown)
  if (DENIED_NAMES.has(name)) {
    return new CameraError('ERR_CAMERA_DENIED', `Camera access was denied: ${detail}`, {
      cause: thrown,
    })
  }
  if (NOT_FOUND_NAMES.has(name)) {
    return new CameraError('ERR_CAMERA_NOT_FOUND', `No matching camera: ${detail}`, {
      cause: thrown,
    })
  }
  if (NOT_READABLE_NAMES.has(name)) {
    return new CameraError('ERR_CAMERA_NOT_READABLE', `The camera could not be opened: ${detail}`, {
      cause: thrown,
    })
  }
  return new CameraError('ERR_CAMERA_FAILED', `The camera failed: ${detail}`, { cause: thrown })
}

function mediaDevices(): MediaDevices | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.mediaDevices
}

function constraintsKey(options: CameraOptions): string {
  return JSON.stringify([options.video ?? true, options.deviceId, options.facingMode])
}

/**
 * Creates a {@link Camera}: a framework-free owner of one camera stream. Nothing happens until
 * `start()` (no permission prompt, no I/O), so it is safe to create during a server render.
 * It maps every `getUserMedia` failure to a {@link CameraError}, stops all tracks on `stop()`,
 * notices the permission being revoked (through the Permissions API where the browser has it) and
 * the device going away (the track's `ended` event), and keeps `devices` current while subscribed
 * (`devicechange`).
 *
 * @example
 * ```ts
 * import { createCamera } from '@moodlens/react'
 *
 * const camera = createCamera({ facingMode: 'user' })
 * camera.subscribe(() => console.log(camera.getSnapshot().status))
 * camera.attach(document.querySelector('video'))
 * await camera.start() // 'requesting', then 'streaming' (or 'denied', 'unavailable', 'error')
 * camera.stop()
 * ```
 */
export function createCamera(options: CameraOptions = {}): Camera {
  let current: CameraOptions = { ...options }
  let snapshot: CameraSnapshot = Object.freeze({
    status: 'idle',
    error: null,
    stream: null,
    devices: Object.freeze([]),
    deviceId: options.deviceId,
  })
  const listeners = new Set<() => void>()
  let video: HTMLVideoElement | null = null
  let stream: MediaStream | null = null
  let pending: Promise<void> | null = null
  // Bumped by every start, stop and restart: an outcome of an older request is discarded.
  let generation = 0
  let permission: PermissionStatus | null = null
  let removeStreamListeners = (): void => {}

  function publish(next: Partial<CameraSnapshot>): void {
    snapshot = Object.freeze({ ...snapshot, ...next })
    for (const listener of [...listeners]) listener()
  }

  function show(next: MediaStream | null): void {
    if (video === null) return
    if (video.srcObject !== next) video.srcObject = next
    // Autoplay may be refused until the person interacts with the page; the `<video>` then shows
    // its first frame and the app can call play() from a click.
    if (next !== null) video.play().catch(() => {})
  }

  function release(): void {
    removeStreamListeners()
    removeStreamListeners = () => {}
    if (stream !== null) for (const track of stream.getTracks()) track.stop()
    stream = null
    show(null)
  }

  function fail(error: CameraError): void {
    release()
    publish({ status: STATUS_OF[error.code], error, stream: null })
  }

  async function refreshDevices(): Promise<void> {
    const devices = mediaDevices()
    if (devices?.enumerateDevices === undefined) return
    try {
      const all = await devices.enumerateDevices()
      publish({ devices: Object.freeze(all.filter((device) => device.kind === 'videoinput')) })
    } catch {
      // Enumeration is a convenience; the stream works without it.
    }
  }

  async function watchPermission(): Promise<void> {
    if (permission !== null || typeof navigator === 'undefined') return
    try {
      permission = await navigator.permissions.query({ name: 'camera' as PermissionName })
    } catch {
      return // No Permissions API, or it does not know `camera` (Firefox): rely on `ended`.
    }
    permission.addEventListener('change', onPermissionChange)
  }

  function onPermissionChange(): void {
    if (permission?.state !== 'granted' && stream !== null) {
      generation += 1
      fail(new CameraError('ERR_CAMERA_DENIED', 'Camera access was revoked'))
    }
  }

  function listen(live: MediaStream, own: number): void {
    const onEnded = (): void => {
      if (own !== generation) return
      generation += 1
      // Revoking the permission also ends the track; the Permissions API tells the two apart.
      fail(
        permission !== null && permission.state !== 'granted'
          ? new CameraError('ERR_CAMERA_DENIED', 'Camera access was revoked')
          : new CameraError('ERR_CAMERA_ENDED', 'The camera stopped: it was unplugged or taken'),
      )
      void refreshDevices()
    }
    const tracks = live.getTracks()
    for (const track of tracks) track.addEventListener('ended', onEnded)
    removeStreamListeners = () => {
      for (const track of tracks) track.removeEventListener('ended', onEnded)
    }
  }

  async function request(own: number): Promise<void> {
    const devices = mediaDevices()
    if (devices?.getUserMedia === undefined) {
      fail(
        new CameraError(
          'ERR_CAMERA_UNSUPPORTED',
          'No camera API here: a browser on https: or localhost is needed',
        ),
      )
      return
    }
    const { video: extra, deviceId, facingMode } = current
    const video: MediaTrackConstraints = {
      ...(typeof extra === 'object' ? extra : {}),
      ...(deviceId !== undefined
        ? { deviceId: { exact: deviceId } }
        : facingMode !== undefined
          ? { facingMode }
          : {}),
    }
    await watchPermission()
    let live: MediaStream
    try {
      live = await devices.getUserMedia({ audio: false, video })
    } catch (error) {
      if (own === generation) fail(toCameraError(error))
      return
    }
    if (own !== generation) {
      // Stopped (or restarted) while the browser was asking: this stream is nobody's.
      for (const track of live.getTracks()) track.stop()
      return
    }
    stream = live
    listen(live, own)
    show(live)
    const streaming = live.getVideoTracks()[0]?.getSettings().deviceId
    publish({
      status: 'streaming',
      error: null,
      stream: live,
      deviceId: current.deviceId ?? streaming,
    })
    // Labels (and real ids) appear once the camera is allowed.
    await refreshDevices()
  }

  function begin(): Promise<void> {
    release()
    generation += 1
    const own = generation
    publish({ status: 'requesting', error: null, stream: null })
    const attempt = request(own).finally(() => {
      if (pending === attempt) pending = null
    })
    pending = attempt
    return attempt
  }

  const onDeviceChange = (): void => void refreshDevices()

  return {
    start() {
      if (pending !== null) return pending
      if (stream !== null) return Promise.resolve()
      return begin()
    },
    stop() {
      generation += 1
      pending = null
      release()
      permission?.removeEventListener('change', onPermissionChange)
      permission = null
      if (snapshot.status !== 'idle' || snapshot.error !== null) {
        publish({ status: 'idle', error: null, stream: null })
      }
    },
    selectDevice(deviceId) {
      current = { ...current, deviceId }
      publish({ deviceId })
      return pending !== null || stream !== null ? begin() : Promise.resolve()
    },
    configure(next) {
      const changed = constraintsKey(next) !== constraintsKey(current)
      current = { ...next }
      if (changed && (pending !== null || stream !== null)) void begin()
    },
    attach(element) {
      if (video !== null && video !== element && video.srcObject === stream) video.srcObject = null
      video = element
      if (element !== null) {
        element.muted = true
        element.playsInline = true
        show(stream)
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      const devices = mediaDevices()
      if (listeners.size === 1 && devices !== undefined) {
        devices.addEventListener('devicechange', onDeviceChange)
        void refreshDevices()
      }
      return () => {
        if (!listeners.delete(listener)) return
        if (listeners.size === 0) devices?.removeEventListener('devicechange', onDeviceChange)
      }
    },
    getSnapshot: () => snapshot,
  }
}
