import * as tf from '@tensorflow/tfjs-core'
import { MoodlensError } from './MoodlensError.ts'

/**
 * A face crop as grey levels (0-255): `width * height` bytes, row-major, any size. Convert camera
 * frames with `rgbaToGrey`.
 *
 * @example
 * ```ts
 * import type { GreyFace } from '@moodlens/core'
 *
 * const face: GreyFace = { width: 48, height: 48, data: new Uint8Array(48 * 48).fill(128) }
 * ```
 */
export interface GreyFace {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array | Uint8ClampedArray
}

/**
 * One face for the emotion classifier: grey bytes, or a grey-level (0-255) tensor shaped
 * `[height, width]` or `[height, width, 1]` on the classifier's backend. Tensors stay the
 * caller's to dispose.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core'
 * import type { EmotionClassifierFace } from '@moodlens/core'
 *
 * const face: EmotionClassifierFace = tf.zeros([64, 64])
 * ```
 */
export type EmotionClassifierFace = GreyFace | tf.Tensor2D | tf.Tensor3D

/** How faces become the model's input. */
export interface Preprocessing {
  readonly inputSize: number
  readonly scale: number
  readonly offset: number
}

function invalidFace(index: number, message: string): MoodlensError {
  return new MoodlensError('ERR_INVALID_IMAGE', `faces[${index}]: ${message}`)
}

function isGreyBytes(data: unknown): data is Uint8Array | Uint8ClampedArray {
  // The tag, not instanceof, so that arrays from other realms (iframes, workers' transfers) pass.
  const tag = ArrayBuffer.isView(data) ? (data as Uint8Array)[Symbol.toStringTag] : undefined
  return tag === 'Uint8Array' || tag === 'Uint8ClampedArray'
}

/**
 * Checks every face before anything runs, so that one bad face fails the whole batch with a
 * message naming it.
 *
 * @throws {@link MoodlensError} `ERR_INVALID_IMAGE`.
 *
 * @example
 * ```ts
 * validateFaces([{ width: 2, height: 2, data: new Uint8Array(4) }])
 * ```
 */
export function validateFaces(faces: unknown): asserts faces is readonly EmotionClassifierFace[] {
  if (!Array.isArray(faces)) {
    throw new MoodlensError('ERR_INVALID_IMAGE', 'faces must be an array of faces')
  }
  faces.forEach((face: unknown, index) => {
    if (face instanceof tf.Tensor) {
      if (face.isDisposed) throw invalidFace(index, 'the tensor is disposed')
      const [height, width, channels = 1] = face.shape
      if ((face.rank !== 2 && face.rank !== 3) || channels !== 1) {
        throw invalidFace(
          index,
          `a face tensor is [height, width] or [height, width, 1], got [${face.shape.join(', ')}]`,
        )
      }
      if (face.dtype !== 'float32' && face.dtype !== 'int32') {
        throw invalidFace(index, `a face tensor holds numbers, got dtype ${face.dtype}`)
      }
      if (height === 0 || width === 0) throw invalidFace(index, 'the face is empty')
      return
    }
    if (typeof face !== 'object' || face === null) {
      throw invalidFace(index, 'a face is { width, height, data } or a tensor')
    }
    const { width, height, data } = face as Record<string, unknown>
    if (!isGreyBytes(data)) {
      throw invalidFace(index, 'data must be a Uint8Array or Uint8ClampedArray of grey levels')
    }
    if (data.length === 0) throw invalidFace(index, 'the face is empty')
    if (
      typeof width !== 'number' ||
      typeof height !== 'number' ||
      !Number.isInteger(width) ||
      !Number.isInteger(height) ||
      width <= 0 ||
      height <= 0
    ) {
      throw invalidFace(
        index,
        `dimensions must be positive integers, got ${String(width)}x${String(height)}`,
      )
    }
    if (data.length !== width * height) {
      throw invalidFace(
        index,
        `a ${width}x${height} grey face needs ${width * height} bytes, got ${data.length}`,
      )
    }
  })
}

function resizeToInput(image: tf.Tensor4D, size: number): tf.Tensor4D {
  const [, height, width] = image.shape
  if (height === size && width === size) return image
  // Half-pixel centres: the sampling of OpenCV's INTER_LINEAR and PyTorch's
  // interpolate(align_corners=False).
  return tf.image.resizeBilinear(image, [size, size], false, true)
}

/**
 * Builds the normalised input batch `[n, inputSize, inputSize, 1]`
 * (`grey * scale + offset`, resized bilinearly) from validated faces. Creates tensors: call it
 * inside `tf.tidy`.
 *
 * @example
 * ```ts
 * const batch = tf.tidy(() => facesToBatch(faces, { inputSize: 64, scale: 1 / 127.5, offset: -1 }))
 * ```
 */
export function facesToBatch(
  faces: readonly EmotionClassifierFace[],
  preprocessing: Preprocessing,
): tf.Tensor4D {
  const { inputSize: size, scale, offset } = preprocessing
  // Consecutive byte faces of one size share one upload and one resize (faces from a detector are
  // usually cropped to one size); tensors are resized one by one.
  const images: tf.Tensor4D[] = []
  for (let start = 0; start < faces.length;) {
    const face = faces[start]!
    if (face instanceof tf.Tensor) {
      const [height, width] = face.shape as [number, number]
      const grey = tf.cast(tf.reshape(face, [1, height, width, 1]), 'float32') as tf.Tensor4D
      images.push(resizeToInput(tf.add(tf.mul(grey, scale), offset), size))
      start++
      continue
    }
    const { width, height } = face
    let end = start + 1
    while (end < faces.length) {
      const next = faces[end]!
      if (next instanceof tf.Tensor || next.width !== width || next.height !== height) break
      end++
    }
    const pixels = width * height
    const values = new Float32Array((end - start) * pixels)
    for (let index = start; index < end; index++) {
      const { data } = faces[index] as GreyFace
      const base = (index - start) * pixels
      for (let i = 0; i < pixels; i++) values[base + i] = data[i]! * scale + offset
    }
    images.push(resizeToInput(tf.tensor4d(values, [end - start, height, width, 1]), size))
    start = end
  }
  return images.length === 1 ? images[0]! : tf.concat(images)
}
