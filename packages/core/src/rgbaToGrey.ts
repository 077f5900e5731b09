import { MoodlensError } from './MoodlensError.ts'

/**
 * Pixels in the layout of the DOM's `ImageData`: `width * height` RGBA quadruplets, row-major.
 *
 * @example
 * ```ts
 * import type { RgbaImage } from '@moodlens/core'
 *
 * const pixel: RgbaImage = { width: 1, height: 1, data: new Uint8ClampedArray([255, 0, 0, 255]) }
 * ```
 */
export interface RgbaImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8ClampedArray | Uint8Array
}

/**
 * A single-channel 8-bit image: `width * height` grey levels, row-major.
 *
 * @example
 * ```ts
 * import type { GreyImage } from '@moodlens/core'
 *
 * const face: GreyImage = { width: 48, height: 48, data: new Uint8Array(48 * 48) }
 * ```
 */
export interface GreyImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/**
 * Converts RGBA pixels to grey levels with the ITU-R BT.601 luma weights
 * (0.299 R + 0.587 G + 0.114 B, rounded), the conversion FER2013's grey faces correspond to and
 * the emotion model's preprocessing contract prescribes. Alpha is ignored.
 *
 * @throws {@link MoodlensError} `ERR_INVALID_IMAGE` when the dimensions are not positive integers
 * or `data` does not hold exactly `width * height * 4` bytes.
 *
 * @example
 * ```ts
 * import { rgbaToGrey } from '@moodlens/core'
 *
 * const canvas = document.querySelector('canvas')!
 * const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height)
 * const grey = rgbaToGrey(pixels) // { width, height, data: Uint8Array }
 * ```
 */
export function rgbaToGrey(image: RgbaImage): GreyImage {
  const { width, height, data } = image
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new MoodlensError(
      'ERR_INVALID_IMAGE',
      `Image dimensions must be positive integers, got ${String(width)}x${String(height)}`,
    )
  }
  const pixels = width * height
  if (data.length !== pixels * 4) {
    throw new MoodlensError(
      'ERR_INVALID_IMAGE',
      `A ${width}x${height} RGBA image needs ${pixels * 4} bytes, got ${data.length}`,
    )
  }
  const grey = new Uint8Array(pixels)
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    // Fixed-point BT.601: weights scaled by 2^16 (19595 + 38470 + 7471 = 65536), then rounded.
    grey[i] = (19595 * data[j]! + 38470 * data[j + 1]! + 7471 * data[j + 2]! + 32768) >>> 16
  }
  return { width, height, data: grey }
}
