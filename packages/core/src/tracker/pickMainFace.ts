import type { FaceBox } from '../EmotionDetector.ts'

/** What {@link pickMainFace} needs of a face. */
export interface MainFaceCandidate {
  readonly id: number
  readonly box: FaceBox
}

/**
 * How much larger than the current main face another face must be to take over. Without a margin
 * two faces of similar size would swap at every frame as their boxes jitter, and the mood with them.
 */
export const MAIN_FACE_SWITCH_RATIO = 1.5

/**
 * Chooses the face whose mood the tracker reports: the largest face, except that the previous main
 * face (`previousId`) keeps the role while it is tracked unless another face is more than
 * {@link MAIN_FACE_SWITCH_RATIO} times its area. Equal areas go to the older track (lower id).
 *
 * @example
 * ```ts
 * const main = pickMainFace(faces, previousMain?.id ?? null)
 * ```
 */
export function pickMainFace<TFace extends MainFaceCandidate>(
  faces: readonly TFace[],
  previousId: number | null,
): TFace | null {
  let largest: TFace | null = null
  let previous: TFace | null = null
  for (const face of faces) {
    if (face.id === previousId) previous = face
    if (
      largest === null ||
      area(face) > area(largest) ||
      (area(face) === area(largest) && face.id < largest.id)
    ) {
      largest = face
    }
  }
  if (
    previous !== null &&
    largest !== null &&
    area(largest) <= area(previous) * MAIN_FACE_SWITCH_RATIO
  ) {
    return previous
  }
  return largest
}

function area(face: MainFaceCandidate): number {
  return face.box.width * face.box.height
}
