import type { GraphModel } from '@tensorflow/tfjs-converter'
import * as tf from '@tensorflow/tfjs-core'
import { blazeFaceAnchors } from './blazeFaceAnchors.ts'
import type { FaceModelType } from './loadFaceModel.ts'
import { MoodlensError } from './MoodlensError.ts'
import { intersectionOverUnion } from './tracker/matchFacesByIou.ts'

/** A point relative to the detector's input image (0 to 1). */
export interface BlazeFacePoint {
  readonly x: number
  readonly y: number
}

/**
 * One face found by {@link createBlazeFace}: its box (top-left corner `x`, `y`) and keypoints,
 * relative to the input image (0 to 1).
 */
export interface BlazeFaceDetection {
  readonly score: number
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  /** Right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion. */
  readonly keypoints: readonly BlazeFacePoint[]
}

/** A BlazeFace detector over a loaded graph model; it owns (and disposes) the model. */
export interface BlazeFace {
  /** The side of the model's square input: 128 px (short range) or 192 px (full range). */
  readonly inputSize: number
  /** The faces in an RGB image (`[height, width, 3]`, 0-255), best first. */
  detectFaces(image: tf.Tensor3D): Promise<BlazeFaceDetection[]>
  dispose(): void
}

// MediaPipe's BlazeFace post-processing (face_detection_*_range.pbtxt): each of the model's output
// rows is a score logit then 16 coordinates (box centre x, y, width, height, six keypoints x, y),
// in input pixels relative to a fixed-size anchor; logits clipped to +-100; NMS at IoU 0.3.
const VALUES_PER_ANCHOR = 17
const SCORE_CLIP = 100
const KEYPOINTS = 6
const IOU_THRESHOLD = 0.3

/**
 * Runs MediaPipe BlazeFace (short or full range, as converted from MediaPipe's `.tflite` files by
 * `scripts/convert-blazeface.mjs`) the way `@tensorflow-models/face-detection`'s TF.js runtime
 * does (the reference this is tested against): letterbox to the model's square input, scale to
 * [-1, 1], run, decode the anchors above the score threshold, non-maximum suppression, map back
 * to the image. Decoding in JavaScript only the rows above the threshold costs a fraction of the
 * package's ~60 small tensor ops per frame, and its code (CommonJS, not tree-shakable) a third of
 * this package's size budget.
 */
export function createBlazeFace(
  type: FaceModelType,
  model: GraphModel,
  maxFaces: number,
  minScore: number,
): BlazeFace {
  const anchors = blazeFaceAnchors(type)
  const anchorCount = anchors.length / 2
  const size = type === 'full' ? 192 : 128
  const modelSize = model.inputs[0]?.shape?.[1]
  if (modelSize !== size) {
    throw new MoodlensError(
      'ERR_INVALID_MODEL',
      `Invalid face model: its input is ${String(modelSize)} px, BlazeFace ${type} range takes ${size} px`,
    )
  }
  return {
    inputSize: size,
    async detectFaces(image) {
      const [height, width] = image.shape
      const side = Math.max(width, height)
      const raw = tf.tidy(() => {
        // Centre the image in a square of its longer side (zero border), sampled to the model's
        // input as the package does: tf.image.transform, bilinear, no half-pixel offset.
        const transform = tf.tensor2d(
          [side / size, 0, (width - side) / 2, 0, side / size, (height - side) / 2, 0, 0],
          [1, 8],
        )
        const square = tf.image.transform(
          tf.expandDims(tf.cast(image, 'float32')),
          transform,
          'bilinear',
          'constant',
          0,
          [size, size],
        )
        const input = tf.add(tf.mul(square, 2 / 255), -1)
        return model.execute(input, 'Identity:0') as tf.Tensor
      })
      let values: Float32Array
      try {
        if (raw.size !== anchorCount * VALUES_PER_ANCHOR) {
          throw new MoodlensError(
            'ERR_INVALID_MODEL',
            `Invalid face model: it gives ${raw.size} values, not the ${anchorCount} × ${VALUES_PER_ANCHOR} of BlazeFace ${type} range`,
          )
        }
        values = (await raw.data()) as Float32Array
      } finally {
        raw.dispose()
      }
      const found = decode(values, anchors, size, minScore)
      // Coordinates so far are relative to the square; back to the image.
      const scaleX = side / width
      const scaleY = side / height
      const offsetX = (width - side) / (2 * width)
      const offsetY = (height - side) / (2 * height)
      return suppress(found, maxFaces).map((face) => ({
        score: face.score,
        x: face.x * scaleX + offsetX,
        y: face.y * scaleY + offsetY,
        width: face.width * scaleX,
        height: face.height * scaleY,
        keypoints: face.keypoints.map(({ x, y }) => ({
          x: x * scaleX + offsetX,
          y: y * scaleY + offsetY,
        })),
      }))
    },
    dispose: () => model.dispose(),
  }
}

function decode(
  values: Float32Array,
  anchors: Float64Array,
  size: number,
  minScore: number,
): BlazeFaceDetection[] {
  const faces: BlazeFaceDetection[] = []
  for (let i = 0, at = 0; at < values.length; i++, at += VALUES_PER_ANCHOR) {
    const logit = Math.min(Math.max(values[at]!, -SCORE_CLIP), SCORE_CLIP)
    const score = 1 / (1 + Math.exp(-logit))
    if (score < minScore) continue
    const anchorX = anchors[2 * i]!
    const anchorY = anchors[2 * i + 1]!
    const width = values[at + 3]! / size
    const height = values[at + 4]! / size
    if (width < 0 || height < 0) continue
    const keypoints: BlazeFacePoint[] = []
    for (let k = 0; k < KEYPOINTS; k++) {
      keypoints.push({
        x: values[at + 5 + 2 * k]! / size + anchorX,
        y: values[at + 6 + 2 * k]! / size + anchorY,
      })
    }
    faces.push({
      score,
      x: values[at + 1]! / size + anchorX - width / 2,
      y: values[at + 2]! / size + anchorY - height / 2,
      width,
      height,
      keypoints,
    })
  }
  return faces
}

/** Greedy non-maximum suppression, as tf.image.nonMaxSuppression: best first, IoU >= 0.3 drops. */
function suppress(faces: BlazeFaceDetection[], maxFaces: number): BlazeFaceDetection[] {
  const kept: BlazeFaceDetection[] = []
  for (const face of faces.sort((a, b) => b.score - a.score)) {
    if (kept.length >= maxFaces) break
    if (kept.every((other) => intersectionOverUnion(face, other) < IOU_THRESHOLD)) kept.push(face)
  }
  return kept
}
