import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createEmotionDetector } from './createEmotionDetector.ts'
import { createEmotionTracker, type EmotionTrackerSnapshot } from './createEmotionTracker.ts'
import type { EmotionDetector, FaceBox } from './EmotionDetector.ts'
import { ASTRONAUT, GRACE_HOPPER, iou, type FacePhoto } from './__tests__/faceFixtures.ts'

async function bitmapOf(photo: FacePhoto): Promise<ImageBitmap> {
  const response = await fetch(new URL(`./__tests__/fixtures/faces/${photo.file}`, import.meta.url))
  return createImageBitmap(await response.blob())
}

/**
 * How each photo is drawn on the video's canvas: a square around the face, scaled, at a position
 * that drifts with the frame number so that the tracker has to follow moving faces.
 */
interface Placement {
  readonly crop: { readonly x: number; readonly y: number; readonly size: number }
  readonly scale: number
  readonly x: number
  readonly y: number
}

function placements(frame: number): { astronaut: Placement; grace: Placement } {
  const drift = Math.min(frame, 90) / 3
  return {
    astronaut: { crop: { x: 104, y: 14, size: 240 }, scale: 1.5, x: 10 + drift, y: 20 },
    grace: { crop: { x: 130, y: 100, size: 280 }, scale: 1.2, x: 420 - drift, y: 10 },
  }
}

function draw(context: CanvasRenderingContext2D, image: ImageBitmap, at: Placement): void {
  const { crop, scale } = at
  context.drawImage(
    image,
    crop.x,
    crop.y,
    crop.size,
    crop.size,
    at.x,
    at.y,
    crop.size * scale,
    crop.size * scale,
  )
}

/** Where a photo's labelled face lands on the canvas. */
function expectedBox(photo: FacePhoto, at: Placement): FaceBox {
  const face = photo.face!
  return {
    x: at.x + (face.x - at.crop.x) * at.scale,
    y: at.y + (face.y - at.crop.y) * at.scale,
    width: face.width * at.scale,
    height: face.height * at.scale,
  }
}

describe('createEmotionTracker with the real detector (Chromium)', () => {
  let detector: EmotionDetector
  let astronaut: ImageBitmap
  let grace: ImageBitmap

  beforeAll(async () => {
    ;[detector, astronaut, grace] = await Promise.all([
      createEmotionDetector(),
      bitmapOf(ASTRONAUT),
      bitmapOf(GRACE_HOPPER),
    ])
  }, 120_000)

  afterAll(() => {
    detector.dispose()
    astronaut.close()
    grace.close()
  })

  it('follows two moving fixture faces with stable ids, the larger one giving the mood', async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 800
    canvas.height = 380
    const context = canvas.getContext('2d')!
    let frame = 0
    let showAstronaut = true
    let raf = 0
    const paint = () => {
      const at = placements(frame++)
      context.fillStyle = '#888'
      context.fillRect(0, 0, canvas.width, canvas.height)
      if (showAstronaut) draw(context, astronaut, at.astronaut)
      draw(context, grace, at.grace)
      raf = requestAnimationFrame(paint)
    }
    paint()
    const stream = canvas.captureStream(30)
    const video = document.createElement('video')
    video.muted = true
    video.srcObject = stream
    await video.play()
    const tracker = createEmotionTracker(detector, { minStableMs: 500, maxMissedMs: 600 })
    const seen: EmotionTrackerSnapshot[] = []
    tracker.subscribe(() => seen.push(tracker.getSnapshot()))
    try {
      tracker.start(video)
      await vi.waitFor(
        () => {
          expect(tracker.getSnapshot().mood).toBe(GRACE_HOPPER.emotion)
          expect(frame).toBeGreaterThan(90) // the faces have drifted
        },
        { timeout: 60_000, interval: 50 },
      )
      const withFaces = seen.filter((s) => s.faces.length > 0)
      // the same two tracks from start to end, despite the motion
      expect(new Set(withFaces.flatMap((s) => s.faces.map((f) => f.id)))).toEqual(new Set([1, 2]))
      const last = tracker.getSnapshot()
      expect(last.faces).toHaveLength(2)
      const at = placements(frame)
      const graceFace = last.faces.find((f) => f.box.x > 350)!
      const astronautFace = last.faces.find((f) => f.box.x < 350)!
      expect(last.mainFace?.id).toBe(graceFace.id)
      expect(iou(graceFace.box, expectedBox(GRACE_HOPPER, at.grace))).toBeGreaterThan(0.5)
      expect(iou(astronautFace.box, expectedBox(ASTRONAUT, at.astronaut))).toBeGreaterThan(0.5)
      expect(last.probabilities).toBe(graceFace.probabilities)

      // the astronaut leaves: its track is dropped after maxMissedMs, Grace Hopper's stays
      showAstronaut = false
      await vi.waitFor(() => expect(tracker.getSnapshot().faces).toHaveLength(1), {
        timeout: 30_000,
        interval: 50,
      })
      expect(tracker.getSnapshot().faces[0]?.id).toBe(graceFace.id)
      expect(tracker.getSnapshot().mood).toBe(GRACE_HOPPER.emotion)
    } finally {
      tracker.stop()
      cancelAnimationFrame(raf)
      for (const track of stream.getTracks()) track.stop()
    }
  }, 120_000)
})
