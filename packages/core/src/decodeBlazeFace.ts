import type { MediaPipeFaceDetectorTfjs } from '@tensorflow-models/face-detection/dist/tfjs/detector.js'
import * as tf from '@tensorflow/tfjs-core'

/** One BlazeFace detection, relative to the input (0 to 1), as the face-detection package gives it. */
export interface BlazeFaceDetection {
  readonly score?: number[]
  readonly locationData: {
    readonly relativeBoundingBox?: {
      readonly xMin: number
      readonly yMin: number
      readonly width: number
      readonly height: number
    }
    readonly relativeKeypoints?: readonly { readonly x: number; readonly y: number }[]
  }
}

/** The face-detection package's calculators that {@link decodeBlazeFace} reuses as they are. */
export interface BlazeFaceCalculators {
  readonly convertImageToTensor: (
    image: tf.Tensor3D,
    config: never,
  ) => { imageTensor: tf.Tensor4D; transformationMatrix: number[][] }
  readonly nonMaxSuppression: (
    detections: never[],
    maxDetections: number,
    iouThreshold: number,
    overlapType: 'intersection-over-union',
  ) => Promise<never[]>
  readonly detectionProjection: (detections: never[], matrix: number[][]) => BlazeFaceDetection[]
}

interface Internals {
  readonly detectorModel: { execute(input: tf.Tensor, output: string): tf.Tensor }
  readonly maxFaces: number
  readonly imageToTensorConfig: never
  readonly anchors: readonly {
    readonly xCenter: number
    readonly yCenter: number
    readonly height: number
    readonly width: number
  }[]
  readonly tensorsToDetectionConfig: {
    readonly applyExponentialOnBoxSize: boolean
    readonly flipVertically: boolean
    readonly numBoxes: number
    readonly numCoords: number
    readonly boxCoordOffset: number
    readonly keypointCoordOffset: number
    readonly numKeypoints: number
    readonly numValuesPerKeypoint: number
    readonly sigmoidScore: boolean
    readonly scoreClippingThresh?: number
    readonly reverseOutputOrder: boolean
    readonly xScale: number
    readonly yScale: number
    readonly hScale: number
    readonly wScale: number
    readonly minScoreThresh: number
  }
}

// MediaPipe's NMS setting for BlazeFace, as the face-detection package applies it.
const IOU_THRESHOLD = 0.3

/**
 * Whether {@link decodeBlazeFace} handles this detector's configuration: the one both BlazeFace
 * ranges use (x before y, linear box sizes, clipped sigmoid scores, one logit and 16 values per
 * anchor).
 */
export function canDecodeBlazeFace(detector: MediaPipeFaceDetectorTfjs): boolean {
  const config = (detector as unknown as Internals).tensorsToDetectionConfig
  return (
    config.reverseOutputOrder &&
    !config.applyExponentialOnBoxSize &&
    !config.flipVertically &&
    config.sigmoidScore &&
    config.boxCoordOffset === 0 &&
    config.numValuesPerKeypoint === 2
  )
}

/**
 * The face-detection package's `detectFaces`, with its box decoding done in JavaScript for the
 * anchors that pass the score threshold only. The package decodes all 896 (short) or 2304 (full)
 * anchors with some 60 small tensor ops, column slices and concatenations, which cost the wasm
 * backend about 3 ms per call, a quarter of a no-face frame. Same arithmetic, same NMS and
 * projection (the package's own calculators). Only for a detector that
 * {@link canDecodeBlazeFace} accepts.
 */
export async function decodeBlazeFace(
  detector: MediaPipeFaceDetectorTfjs,
  calculators: BlazeFaceCalculators,
  image: tf.Tensor3D,
): Promise<BlazeFaceDetection[]> {
  const internals = detector as unknown as Internals
  const config = internals.tensorsToDetectionConfig
  let matrix: number[][] = []
  const raw = tf.tidy(() => {
    const converted = calculators.convertImageToTensor(
      tf.cast(image, 'float32'),
      internals.imageToTensorConfig,
    )
    matrix = converted.transformationMatrix
    return internals.detectorModel.execute(converted.imageTensor, 'Identity:0')
  })
  let values: Float32Array
  try {
    values = (await raw.data()) as Float32Array
  } finally {
    raw.dispose()
  }
  // Each anchor's row: its logit, then numCoords box and keypoint values.
  const stride = config.numCoords + 1
  const clip = config.scoreClippingThresh ?? Infinity
  const detections = []
  for (let i = 0; i < config.numBoxes; i++) {
    const at = i * stride
    const logit = Math.min(Math.max(values[at]!, -clip), clip)
    const score = 1 / (1 + Math.exp(-logit))
    if (score < config.minScoreThresh) continue
    const anchor = internals.anchors[i]!
    const xCenter = (values[at + 1]! / config.xScale) * anchor.width + anchor.xCenter
    const yCenter = (values[at + 2]! / config.yScale) * anchor.height + anchor.yCenter
    // The package scales both sides by the anchor's height (equal to its width: fixed anchors).
    const width = (values[at + 3]! / config.wScale) * anchor.height
    const height = (values[at + 4]! / config.hScale) * anchor.height
    const xMin = xCenter - width / 2
    const yMin = yCenter - height / 2
    const xMax = xCenter + width / 2
    const yMax = yCenter + height / 2
    if (width < 0 || height < 0) continue
    const relativeKeypoints = []
    for (let k = 0; k < config.numKeypoints; k++) {
      const offset = at + 1 + config.keypointCoordOffset + 2 * k
      relativeKeypoints.push({
        x: (values[offset]! / config.xScale) * anchor.width + anchor.xCenter,
        y: (values[offset + 1]! / config.yScale) * anchor.height + anchor.yCenter,
      })
    }
    detections.push({
      score: [score],
      locationData: {
        relativeBoundingBox: { xMin, yMin, xMax, yMax, width, height },
        relativeKeypoints,
      },
    })
  }
  if (detections.length === 0) return []
  const kept = await calculators.nonMaxSuppression(
    detections as never[],
    internals.maxFaces,
    IOU_THRESHOLD,
    'intersection-over-union',
  )
  return calculators.detectionProjection(kept, matrix)
}
