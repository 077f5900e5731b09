// The public-domain test photos (fixtures/faces/README.md) with their faces labelled by hand,
// shared by the detector's Node and Chromium tests.
import type { FaceBox } from '../EmotionDetector.ts'

export interface FacePhoto {
  readonly file: string
  readonly width: number
  readonly height: number
  /** The face, labelled by hand (hairline to chin, cheek to cheek), in pixels. */
  readonly face?: FaceBox
  /** The top emotion the shipped models give (same on every backend). */
  readonly emotion?: string
  /**
   * The probabilities the detector gave in Node on wasm (decodeImage), rounded to 4 decimals:
   * every backend, in Node and in Chromium, must give them within 0.02.
   */
  readonly probabilities?: Readonly<Record<string, number>>
}

export const ASTRONAUT: FacePhoto = {
  file: 'astronaut.png',
  width: 512,
  height: 512,
  face: { x: 180, y: 88, width: 88, height: 92 },
  emotion: 'happy',
  probabilities: {
    angry: 0.0002,
    disgust: 0.0005,
    fear: 0.0002,
    happy: 0.9887,
    sad: 0.0005,
    surprise: 0.0009,
    neutral: 0.0091,
  },
}

export const GRACE_HOPPER: FacePhoto = {
  file: 'grace_hopper.jpg',
  width: 512,
  height: 600,
  face: { x: 180, y: 150, width: 175, height: 185 },
  emotion: 'neutral',
  probabilities: {
    angry: 0.0263,
    disgust: 0.0097,
    fear: 0.0042,
    happy: 0.0367,
    sad: 0.0832,
    surprise: 0.0099,
    neutral: 0.8299,
  },
}

/** 29 people in three rows. */
export const SOLVAY: FacePhoto = { file: 'solvay_1927.jpg', width: 2048, height: 922 }

/** Expects `actual` within 0.02 of the photo's reference probabilities, emotion by emotion. */
export function closeToReference(
  actual: Readonly<Record<string, number>>,
  photo: FacePhoto,
): Record<string, number> {
  const far: Record<string, number> = {}
  for (const [emotion, expected] of Object.entries(photo.probabilities!)) {
    const difference = Math.abs(actual[emotion]! - expected)
    if (!(difference < 0.02)) far[emotion] = difference
  }
  return far
}

export function area(box: FaceBox): number {
  return Math.max(0, box.width) * Math.max(0, box.height)
}

export function overlap(a: FaceBox, b: FaceBox): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return Math.max(0, width) * Math.max(0, height)
}

/** Intersection over union. */
export function iou(a: FaceBox, b: FaceBox): number {
  const shared = overlap(a, b)
  return shared / (area(a) + area(b) - shared)
}
