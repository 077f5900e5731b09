import * as tf from '@tensorflow/tfjs-core'
import type { DetectorInput } from './EmotionDetector.ts'
import { MoodlensError } from './MoodlensError.ts'

/** An input as a `[height, width, 3]` tensor, and whether the detector must dispose it. */
export interface ImageTensor {
  readonly tensor: tf.Tensor3D
  readonly owned: boolean
  /** A live video frame (not tiled by `tiling: 'auto'`). */
  readonly video: boolean
}

function has(name: string): boolean {
  return typeof (globalThis as Record<string, unknown>)[name] === 'function'
}

function is<T>(value: unknown, name: string): value is T {
  return has(name) && value instanceof (globalThis as unknown as Record<string, new () => T>)[name]!
}

function invalid(message: string): MoodlensError {
  return new MoodlensError('ERR_INVALID_IMAGE', message)
}

function unsupported(message: string, cause?: unknown): MoodlensError {
  return new MoodlensError('ERR_UNSUPPORTED_IMAGE', message, { cause })
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return (value as object).constructor?.name ?? 'an object'
}

/**
 * Throws unless `width` x `height` is a non-empty image within `maxPixels`.
 *
 * @throws {@link MoodlensError} `ERR_INVALID_IMAGE` (empty or non-integer sizes),
 * `ERR_IMAGE_TOO_LARGE`.
 *
 * @example
 * ```ts
 * checkImageSize(image.width, image.height, 25_000_000, 'the image')
 * ```
 */
export function checkImageSize(
  width: unknown,
  height: unknown,
  maxPixels: number,
  what: string,
): asserts width is number {
  if (
    typeof width !== 'number' ||
    typeof height !== 'number' ||
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 0 ||
    height < 0
  ) {
    throw invalid(
      `${what}: dimensions must be positive integers, got ${String(width)}x${String(height)}`,
    )
  }
  if (width === 0 || height === 0) throw invalid(`${what} is empty (${width}x${height})`)
  if (width * height > maxPixels) {
    throw new MoodlensError(
      'ERR_IMAGE_TOO_LARGE',
      `${what} has ${width}x${height} = ${width * height} pixels, over the limit of ${maxPixels} (the maxPixels option)`,
    )
  }
}

function isBytes(data: unknown): data is Uint8Array | Uint8ClampedArray {
  // The tag, not instanceof, so that arrays from other realms (iframes, workers) pass.
  const tag = ArrayBuffer.isView(data) ? (data as Uint8Array)[Symbol.toStringTag] : undefined
  return tag === 'Uint8Array' || tag === 'Uint8ClampedArray'
}

function fromPixels(input: Parameters<typeof tf.browser.fromPixels>[0]): tf.Tensor3D {
  try {
    return tf.browser.fromPixels(input, 3)
  } catch (error) {
    throw unsupported(
      `The ${describe(input)} could not be read as pixels: ${error instanceof Error ? error.message : String(error)}`,
      error,
    )
  }
}

function rgbaToTensor(input: object, maxPixels: number): tf.Tensor3D {
  const { width, height, data } = input as Record<string, unknown>
  if (!isBytes(data)) {
    throw unsupported(
      'An RGBA image is { width, height, data } with data a Uint8Array or Uint8ClampedArray',
    )
  }
  checkImageSize(width, height, maxPixels, 'The RGBA image')
  const h = height as number
  if (data.length !== width * h * 4) {
    throw invalid(`A ${width}x${h} RGBA image needs ${width * h * 4} bytes, got ${data.length}`)
  }
  const rgb = new Int32Array(width * h * 3)
  for (let i = 0, j = 0; j < data.length; i += 3, j += 4) {
    rgb[i] = data[j]!
    rgb[i + 1] = data[j + 1]!
    rgb[i + 2] = data[j + 2]!
  }
  return tf.tensor3d(rgb, [h, width, 3], 'int32')
}

function checkTensor(input: tf.Tensor, maxPixels: number): tf.Tensor3D {
  if (input.isDisposed) throw invalid('The tensor is disposed')
  const [height, width, channels] = input.shape
  if (input.rank !== 3 || channels !== 3) {
    throw unsupported(`A tensor image is [height, width, 3], got [${input.shape.join(', ')}]`)
  }
  if (input.dtype !== 'int32' && input.dtype !== 'float32') {
    throw unsupported(`A tensor image holds int32 or float32 values, got ${input.dtype}`)
  }
  checkImageSize(width, height, maxPixels, 'The tensor image')
  return input as tf.Tensor3D
}

/**
 * Turns any {@link DetectorInput} into an int32 (or, for a float tensor, float32)
 * `[height, width, 3]` tensor of 0-255 values, checking that it is a readable, non-empty image
 * within `maxPixels`. DOM inputs are read with `tf.browser.fromPixels`; a tensor input is used as
 * it is (and not disposed).
 *
 * @throws {@link MoodlensError} `ERR_UNSUPPORTED_IMAGE`, `ERR_INVALID_IMAGE`,
 * `ERR_IMAGE_TOO_LARGE`.
 *
 * @example
 * ```ts
 * const { tensor, owned } = await imageToTensor(video, 25_000_000)
 * ```
 */
export async function imageToTensor(input: DetectorInput, maxPixels: number): Promise<ImageTensor> {
  const value: unknown = input
  if (typeof value !== 'object' || value === null) {
    throw unsupported(
      `Cannot detect faces in ${describe(value)}: expected an image, video, canvas, ImageBitmap, ImageData, { width, height, data } RGBA or a tensor`,
    )
  }
  if (value instanceof tf.Tensor) {
    return { tensor: checkTensor(value, maxPixels), owned: false, video: false }
  }
  if (is<HTMLVideoElement>(value, 'HTMLVideoElement')) {
    // HAVE_CURRENT_DATA: a frame can be drawn.
    if (value.readyState < 2) {
      throw invalid('The video has no frame to read yet (wait for its loadeddata event)')
    }
    checkImageSize(value.videoWidth, value.videoHeight, maxPixels, 'The video frame')
    return { tensor: fromPixels(value), owned: true, video: true }
  }
  if (is<HTMLImageElement>(value, 'HTMLImageElement')) {
    if (!value.complete) throw invalid('The image has not finished loading')
    if (value.naturalWidth === 0) {
      throw invalid('The image is broken or empty (naturalWidth 0): it failed to load or decode')
    }
    checkImageSize(value.width, value.height, maxPixels, 'The image element')
    return { tensor: fromPixels(value), owned: true, video: false }
  }
  if (is<ImageBitmap>(value, 'ImageBitmap')) {
    if (value.width === 0 && value.height === 0) {
      throw invalid('The ImageBitmap is empty or closed')
    }
    checkImageSize(value.width, value.height, maxPixels, 'The ImageBitmap')
    return { tensor: fromPixels(value), owned: true, video: false }
  }
  if (
    is<HTMLCanvasElement>(value, 'HTMLCanvasElement') ||
    is<OffscreenCanvas>(value, 'OffscreenCanvas')
  ) {
    checkImageSize(value.width, value.height, maxPixels, 'The canvas')
    if (tf.getBackend() !== 'webgl' && has('createImageBitmap')) {
      // Read through a bitmap: the canvas may hold a WebGL context, which fromPixels' 2D path
      // cannot read on the cpu and wasm backends.
      const bitmap = await createImageBitmap(value)
      try {
        return { tensor: fromPixels(bitmap), owned: true, video: false }
      } finally {
        bitmap.close()
      }
    }
    return { tensor: fromPixels(value as HTMLCanvasElement), owned: true, video: false }
  }
  if (is<ImageData>(value, 'ImageData') || 'data' in value) {
    return { tensor: rgbaToTensor(value, maxPixels), owned: true, video: false }
  }
  throw unsupported(
    `Cannot detect faces in ${describe(value)}: expected an image, video, canvas, ImageBitmap, ImageData, { width, height, data } RGBA or a tensor`,
  )
}
