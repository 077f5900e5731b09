import * as tf from '@tensorflow/tfjs-core'
import type { FaceBox, FaceKeypoint } from './EmotionDetector.ts'
import { sliceImage } from './sliceImage.ts'

/** A square face crop in input pixels, rotated by `angle` radians about its centre. */
export interface FaceCrop {
  readonly centerX: number
  readonly centerY: number
  readonly side: number
  readonly angle: number
}

/** The model card's crop rule: the square side is this multiple of the box's larger side. */
export const CROP_MARGIN = 1.2

/** FER2013's resolution: crops are area-averaged to this size before the classifier's resize. */
export const FER_SIZE = 48

// Crops are sampled bilinearly at SUPERSAMPLE x 48 pixels, then averaged in SUPERSAMPLE^2 blocks:
// an area (box-filter) resize for crops up to 192 px, a close approximation for larger ones.
const SUPERSAMPLE = 4

// BT.601 luma weights (the model card's grey conversion).
const LUMA = [0.299, 0.587, 0.114]

/**
 * The model card's crop of one face: a square centred on the face box, side 1.2 x the box's
 * larger side; with `align`, turned so that the eyes are level.
 *
 * @example
 * ```ts
 * const crop = faceCrop(face.box, face.keypoints, true)
 * ```
 */
export function faceCrop(
  box: FaceBox,
  keypoints: readonly FaceKeypoint[],
  align: boolean,
): FaceCrop {
  const rightEye = keypoints.find((point) => point.name === 'rightEye')
  const leftEye = keypoints.find((point) => point.name === 'leftEye')
  // The subject's right eye is on the image's left: the angle of the eye line, 0 when level.
  const angle =
    align && rightEye && leftEye ? Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x) : 0
  return {
    centerX: box.x + box.width / 2,
    centerY: box.y + box.height / 2,
    side: CROP_MARGIN * Math.max(box.width, box.height),
    angle,
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max)
}

// tf.image.transform maps each output pixel (x, y) to the input point
// (a0 x + a1 y + a2, b0 x + b1 y + b2); pixel centres sit at integer coordinates.
function transformOf({ centerX, centerY, side, angle }: FaceCrop, size: number): number[] {
  const scale = side / size
  const cos = Math.cos(angle)
  const sin = Math.sin(angle)
  // Output pixel x covers crop coordinate u = (x + 0.5) * scale - side / 2.
  const start = 0.5 * scale - side / 2
  return [
    scale * cos,
    -scale * sin,
    centerX - 0.5 + cos * start - sin * start,
    scale * sin,
    scale * cos,
    centerY - 0.5 + sin * start + cos * start,
    0,
    0,
  ]
}

/**
 * Cuts the faces out of an RGB image and turns them into the classifier's grey input before
 * its final resize: `[n, 48, 48, 1]` grey levels (BT.601, rounded, area-averaged), pixels beyond
 * the image edge repeating the nearest edge pixel. Creates tensors: call it inside `tf.tidy`.
 *
 * @example
 * ```ts
 * const grey = tf.tidy(() => cropFaces(image, crops))
 * ```
 */
export function cropFaces(image: tf.Tensor3D, crops: readonly FaceCrop[]): tf.Tensor4D {
  const size = FER_SIZE * SUPERSAMPLE
  const [height, width] = image.shape
  const rgb = crops.map((crop) => {
    // Only the pixels under the (turned) square are cast and sampled: its bounding box plus one
    // pixel for bilinear neighbours, clamped to the image. Samples beyond the image edge repeat
    // the edge, as they would from the whole image.
    const reach =
      (crop.side / 2) * (Math.abs(Math.cos(crop.angle)) + Math.abs(Math.sin(crop.angle)))
    const left = clamp(Math.floor(crop.centerX - reach) - 1, 0, width - 1)
    const top = clamp(Math.floor(crop.centerY - reach) - 1, 0, height - 1)
    const right = clamp(Math.ceil(crop.centerX + reach) + 1, left + 1, width)
    const bottom = clamp(Math.ceil(crop.centerY + reach) + 1, top + 1, height)
    const region = tf.cast(sliceImage(image, top, left, bottom - top, right - left), 'float32')
    const local = { ...crop, centerX: crop.centerX - left, centerY: crop.centerY - top }
    return tf.image.transform(
      tf.expandDims(region, 0) as tf.Tensor4D,
      tf.tensor2d([transformOf(local, size)], [1, 8]),
      'bilinear',
      'nearest',
      0,
      [size, size],
    )
  })
  const stacked = rgb.length === 1 ? rgb[0]! : tf.concat(rgb, 0)
  const grey = tf.round(tf.sum(tf.mul(stacked, tf.tensor1d(LUMA)), -1, true)) as tf.Tensor4D
  return tf.round(tf.avgPool(grey, SUPERSAMPLE, SUPERSAMPLE, 'valid'))
}
