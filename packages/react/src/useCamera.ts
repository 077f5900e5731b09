'use client'

import { useCallback, useEffect, useRef, useState, type RefCallback } from 'react'
import type { CameraError } from './CameraError.ts'
import { createCamera, type Camera, type CameraOptions, type CameraStatus } from './createCamera.ts'
import { useExternalStore } from './useExternalStore.ts'

/**
 * The `ref` to put on the `<video>`: a callback ref that also exposes the element as `current`,
 * so it can be handed to `useEmotion` (of `@moodlens/react/emotion`) like any `RefObject`.
 *
 * @example
 * ```tsx
 * import { useCamera, type VideoRef } from '@moodlens/react'
 *
 * function Preview() {
 *   const { videoRef }: { videoRef: VideoRef } = useCamera({ audio: false })
 *   return <video ref={videoRef} />
 * }
 * ```
 */
export type VideoRef = RefCallback<HTMLVideoElement> & {
  readonly current: HTMLVideoElement | null
}

/**
 * What {@link useCamera} returns.
 *
 * @example
 * ```ts
 * import type { UseCameraResult } from '@moodlens/react'
 *
 * const label = (camera: UseCameraResult): string =>
 *   camera.status === 'streaming' ? 'Camera on' : 'Camera off'
 * ```
 */
export interface UseCameraResult {
  /** Put it on the `<video>` element: the stream plays there (muted, inline). */
  readonly videoRef: VideoRef
  readonly status: CameraStatus
  /** A {@link CameraError} when `status` is `denied`, `unavailable` or `error`; else `null`. */
  readonly error: CameraError | null
  /** Asks for the camera (call it from a click for the friendliest prompt); never rejects. */
  start(): Promise<void>
  /** Stops every track and returns to `idle`. */
  stop(): void
  /** The video inputs, kept current as cameras are plugged in and out. */
  readonly devices: readonly MediaDeviceInfo[]
  /** Switches to another camera of `devices` (restarting a live stream). */
  selectDevice(deviceId: string): Promise<void>
  /** The live stream while `streaming`, else `null`. */
  readonly stream: MediaStream | null
}

/**
 * The webcam in a component: `start()` asks for it, the stream plays in the `<video>` that carries
 * `videoRef`, and every track is stopped on `stop()` and when the component unmounts. Refused or
 * revoked permission (`denied`), no camera (`unavailable`) and a camera that fails or is unplugged
 * (`error`) are states with a typed {@link CameraError}, never exceptions. On the server it
 * renders `idle` and touches no browser API. A thin binding of {@link createCamera}.
 *
 * Options are compared by value: a change of `deviceId`, `facingMode` or `video` restarts a live
 * stream with the new constraints.
 *
 * @example
 * ```tsx
 * 'use client'
 * import { useCamera } from '@moodlens/react'
 *
 * export function Webcam() {
 *   const camera = useCamera({ audio: false, facingMode: 'user' })
 *   return (
 *     <>
 *       <video ref={camera.videoRef} />
 *       {camera.status === 'streaming' ? (
 *         <button onClick={camera.stop}>Stop</button>
 *       ) : (
 *         <button onClick={() => void camera.start()}>Start the camera</button>
 *       )}
 *       {camera.error && <p role="alert">{camera.error.message}</p>}
 *     </>
 *   )
 * }
 * ```
 */
export function useCamera(options: CameraOptions = {}): UseCameraResult {
  const [camera] = useState<Camera>(() => createCamera(options))
  const snapshot = useExternalStore(camera)
  const key = JSON.stringify([options.video ?? true, options.deviceId, options.facingMode])
  const configured = useRef(key)

  useEffect(() => {
    if (configured.current === key) return
    configured.current = key
    camera.configure(options)
    // `key` stands for the options' values: a new object with the same values changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [camera, key])

  // Releases the camera on unmount (and in StrictMode's simulated unmount, before any start).
  useEffect(() => () => camera.stop(), [camera])

  const [videoRef] = useState<VideoRef>(() => {
    let current: HTMLVideoElement | null = null
    const ref = (element: HTMLVideoElement | null): void => {
      current = element
      camera.attach(element)
    }
    return Object.defineProperty(ref, 'current', { get: () => current }) as VideoRef
  })

  const start = useCallback(() => camera.start(), [camera])
  const stop = useCallback(() => camera.stop(), [camera])
  const selectDevice = useCallback((deviceId: string) => camera.selectDevice(deviceId), [camera])

  return {
    videoRef,
    status: snapshot.status,
    error: snapshot.error,
    start,
    stop,
    devices: snapshot.devices,
    selectDevice,
    stream: snapshot.stream,
  }
}
