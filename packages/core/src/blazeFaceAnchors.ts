import type { FaceModelType } from './loadFaceModel.ts'

/** One SSD layer of a BlazeFace model: its feature map's side and the anchors in each cell. */
interface AnchorLayer {
  readonly side: number
  readonly perCell: number
}

// MediaPipe's SsdAnchorsCalculator options for the two face detectors (face_detection_short_range
// and _full_range .pbtxt): both use fixed-size anchors (width = height = 1) centred in their cell
// (offset 0.5), so only each layer's grid and anchor count matter. Short range, 128 px, strides
// 8, 16, 16, 16 with an interpolated scale: 16x16 cells of 2 anchors, then the three stride-16
// layers merged into 8x8 cells of 6. Full range, 192 px, one stride-4 layer, no interpolated
// scale: 48x48 cells of 1.
const LAYERS: Readonly<Record<FaceModelType, readonly AnchorLayer[]>> = {
  short: [
    { side: 16, perCell: 2 },
    { side: 8, perCell: 6 },
  ],
  full: [{ side: 48, perCell: 1 }],
}

/**
 * The anchor centres of a BlazeFace model, relative to its input (0 to 1), as `[x0, y0, x1, y1,
 * ...]` in the order of the model's output rows: 896 anchors for `short`, 2304 for `full`.
 */
export function blazeFaceAnchors(type: FaceModelType): Float64Array {
  const layers = LAYERS[type]
  const count = layers.reduce((sum, { side, perCell }) => sum + side * side * perCell, 0)
  const centres = new Float64Array(2 * count)
  let at = 0
  for (const { side, perCell } of layers) {
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        for (let k = 0; k < perCell; k++) {
          centres[at++] = (x + 0.5) / side
          centres[at++] = (y + 0.5) / side
        }
      }
    }
  }
  return centres
}
