import type { FaceBox } from '../EmotionDetector.ts'

/**
 * The intersection over union of two boxes: 1 for identical boxes, 0 for disjoint or empty ones.
 *
 * @example
 * ```ts
 * intersectionOverUnion({ x: 0, y: 0, width: 2, height: 2 }, { x: 1, y: 0, width: 2, height: 2 }) // 1/3
 * ```
 */
export function intersectionOverUnion(a: FaceBox, b: FaceBox): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  if (!(width > 0 && height > 0)) return 0
  const intersection = width * height
  const union = a.width * a.height + b.width * b.height - intersection
  return union > 0 ? intersection / union : 0
}

/** One track matched to one detection, by their indices in the arrays given. */
export interface IouMatch {
  readonly track: number
  readonly detection: number
  readonly iou: number
}

/**
 * Pairs tracked boxes with detected boxes: greedily, the pair with the highest IoU first, each box
 * used at most once, and only pairs whose IoU is at least `threshold`. Greedy matching is what
 * SORT-style trackers do for a handful of boxes; it equals the optimal assignment whenever the
 * faces do not overlap, which is the case for faces.
 *
 * @example
 * ```ts
 * const matches = matchFacesByIou(previousBoxes, detectedBoxes, 0.3)
 * for (const { track, detection } of matches) console.log(track, '->', detection)
 * ```
 */
export function matchFacesByIou(
  tracks: readonly FaceBox[],
  detections: readonly FaceBox[],
  threshold: number,
): IouMatch[] {
  const candidates: IouMatch[] = []
  for (const [track, trackBox] of tracks.entries()) {
    for (const [detection, detectionBox] of detections.entries()) {
      const iou = intersectionOverUnion(trackBox, detectionBox)
      if (iou > 0 && iou >= threshold) candidates.push({ track, detection, iou })
    }
  }
  // Ties broken by index so the result never depends on the sort's stability.
  candidates.sort((p, q) => q.iou - p.iou || p.track - q.track || p.detection - q.detection)
  const usedTracks = new Set<number>()
  const usedDetections = new Set<number>()
  const matches: IouMatch[] = []
  for (const candidate of candidates) {
    if (usedTracks.has(candidate.track) || usedDetections.has(candidate.detection)) continue
    usedTracks.add(candidate.track)
    usedDetections.add(candidate.detection)
    matches.push(candidate)
  }
  return matches
}
