import type { FaceBox } from './EmotionDetector.ts'

/**
 * Start offsets of `size`-long windows covering `length`, overlapping by a quarter, the last one
 * flush with the end (one window when `size >= length`). Tiles of a large image are these
 * windows in both directions.
 *
 * @example
 * ```ts
 * tileStarts(2048, 384) // [0, 288, 576, 864, 1152, 1440, 1664]
 * ```
 */
export function tileStarts(length: number, size: number): number[] {
  if (size >= length) return [0]
  const step = Math.round(size * 0.75)
  const starts: number[] = []
  for (let start = 0; start + size < length; start += step) starts.push(start)
  starts.push(length - size)
  return starts
}

function area({ width, height }: FaceBox): number {
  return Math.max(0, width) * Math.max(0, height)
}

function intersection(a: FaceBox, b: FaceBox): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return Math.max(0, width) * Math.max(0, height)
}

/** IoU above which two boxes are one face (BlazeFace's own NMS threshold). */
const SAME_FACE_IOU = 0.3
/** Share of the smaller box inside the larger above which it is a cut-off copy of the same face. */
const CUT_FACE_SHARE = 0.5

/**
 * Merges faces found in overlapping tiles (and in the whole image): of two boxes that overlap
 * with an IoU above 0.3, or where more than half of the smaller lies inside the larger, only the
 * larger is kept; a tile border cuts faces, so the larger box is the more complete one. Returns
 * the kept items, largest first.
 *
 * @example
 * ```ts
 * const faces = mergeFaceBoxes(found, (face) => face.box)
 * ```
 */
export function mergeFaceBoxes<T>(items: readonly T[], boxOf: (item: T) => FaceBox): T[] {
  const kept: T[] = []
  const sorted = [...items].sort((a, b) => area(boxOf(b)) - area(boxOf(a)))
  for (const item of sorted) {
    const box = boxOf(item)
    const duplicate = kept.some((other) => {
      const otherBox = boxOf(other)
      const shared = intersection(box, otherBox)
      const union = area(box) + area(otherBox) - shared
      return (
        (union > 0 && shared / union > SAME_FACE_IOU) ||
        shared > CUT_FACE_SHARE * Math.min(area(box), area(otherBox))
      )
    })
    if (!duplicate) kept.push(item)
  }
  return kept
}
