/**
 * Every error code `@moodlens/core` throws. Switch on `error.code` rather than on messages,
 * which may change between releases.
 *
 * @example
 * ```ts
 * import type { MoodlensErrorCode } from '@moodlens/core'
 *
 * const code: MoodlensErrorCode = 'ERR_INVALID_IMAGE'
 * ```
 */
export type MoodlensErrorCode =
  /** Loading or a `detect` call was cancelled through an `AbortSignal`. */
  | 'ERR_ABORTED'
  /** The requested TF.js backend is not registered or failed to initialise. */
  | 'ERR_BACKEND_UNAVAILABLE'
  /** A classifier, detector (or other resource) was used after `dispose()`. */
  | 'ERR_DISPOSED'
  /**
   * An image or face has wrong dimensions, types or values, or is empty: zero-sized, an image
   * element not loaded yet, a video without a current frame, a closed `ImageBitmap`.
   */
  | 'ERR_INVALID_IMAGE'
  /** A model file is malformed: wrong format or version, missing weights, inconsistent shapes. */
  | 'ERR_INVALID_MODEL'
  /** A model file could not be fetched or read. */
  | 'ERR_MODEL_FETCH'
  /**
   * An input the detector cannot read: not one of the `DetectorInput` kinds, a tensor of the wrong
   * rank or dtype, or (for `decodeImage`) bytes in a format other than JPEG and PNG.
   */
  | 'ERR_UNSUPPORTED_IMAGE'
  /** Encoded image bytes (JPEG, PNG) that are truncated or malformed. */
  | 'ERR_CORRUPT_IMAGE'
  /** An image with more pixels than the configured `maxPixels` limit. */
  | 'ERR_IMAGE_TOO_LARGE'

/**
 * The base class of the errors `@moodlens/core` throws. `name` is the concrete class's name and
 * `cause` keeps the underlying error where there is one.
 *
 * @example
 * ```ts
 * import { MoodlensError, rgbaToGrey } from '@moodlens/core'
 *
 * try {
 *   rgbaToGrey({ width: 2, height: 2, data: new Uint8ClampedArray(3) })
 * } catch (error) {
 *   if (error instanceof MoodlensError && error.code === 'ERR_INVALID_IMAGE') {
 *     console.warn('not an RGBA image:', error.message)
 *   }
 * }
 * ```
 */
export class MoodlensError extends Error {
  /** A stable, machine-readable code. */
  readonly code: MoodlensErrorCode

  constructor(code: MoodlensErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}
