/**
 * Why the camera is not streaming. Switch on `error.code`; messages may change between releases.
 *
 * @example
 * ```ts
 * import type { CameraErrorCode } from '@moodlens/react'
 *
 * const code: CameraErrorCode = 'ERR_CAMERA_DENIED'
 * ```
 */
export type CameraErrorCode =
  /** The person or the browser refused camera access, or revoked it while streaming. */
  | 'ERR_CAMERA_DENIED'
  /** No camera, or not the requested one (`deviceId` unplugged or unknown). */
  | 'ERR_CAMERA_NOT_FOUND'
  /** No camera API here: not a browser, or not a secure context (`https:` or `localhost`). */
  | 'ERR_CAMERA_UNSUPPORTED'
  /** The camera exists but could not be opened: another application holds it, or a driver fault. */
  | 'ERR_CAMERA_NOT_READABLE'
  /** The camera stopped by itself while streaming: unplugged, or taken over by the system. */
  | 'ERR_CAMERA_ENDED'
  /** Anything else `getUserMedia` rejected with; `cause` has it. */
  | 'ERR_CAMERA_FAILED'

/**
 * The error in a camera's snapshot (`useCamera().error`). `cause` keeps the browser's own
 * `DOMException` where there is one.
 *
 * @example
 * ```ts
 * import { CameraError } from '@moodlens/react'
 *
 * function explain(error: Error | null): string {
 *   if (!(error instanceof CameraError)) return ''
 *   return error.code === 'ERR_CAMERA_DENIED' ? 'Allow the camera in the site settings.' : error.message
 * }
 * ```
 */
export class CameraError extends Error {
  /** A stable, machine-readable code. */
  readonly code: CameraErrorCode

  constructor(code: CameraErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}
