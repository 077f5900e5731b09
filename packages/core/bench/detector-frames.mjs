// The detector bench's inputs: 640x480 RGBA frames with 0, 1, 2, 4 and 8 faces, composed from the
// public-domain photos in the shared data folder (../shared/data/faces from the repository root, or
// MOODLENS_FACES_DIR). Composing them here, with the package's own JPEG and PNG decoders and a
// bilinear resize, keeps the bench free of ffmpeg and of any network: every run measures exactly the
// same pixels.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)
const jpeg = require('jpeg-js')
const { PNG } = require('pngjs')

export const FRAME_WIDTH = 640
export const FRAME_HEIGHT = 480
const BACKGROUND = 128

// Head-and-shoulders squares around each face, in the source photos' pixels, found by eye and
// checked by every detector in the bench (it prints how many faces each one found).
const HEADS = {
  grace: { x: 120, y: 50, size: 300 },
  astronaut: { x: 105, y: 0, size: 240 },
}

export function facesDir() {
  const candidates = [
    process.env.MOODLENS_FACES_DIR,
    fileURLToPath(new URL('../../../../shared/data/faces/', import.meta.url)),
    fileURLToPath(new URL('../../../shared/data/faces/', import.meta.url)),
  ]
  const found = candidates.find((dir) => dir && existsSync(path.join(dir, 'grace_hopper.jpg')))
  if (!found) {
    throw new Error(
      'The bench needs the shared face photos: set MOODLENS_FACES_DIR to the folder holding ' +
        'grace_hopper.jpg and astronaut.png (../shared/data/faces from the repository root).',
    )
  }
  return found
}

function decode(file) {
  const bytes = readFileSync(file)
  if (file.endsWith('.png')) {
    const png = PNG.sync.read(bytes)
    return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) }
  }
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true })
  return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) }
}

function blankFrame() {
  const data = new Uint8ClampedArray(FRAME_WIDTH * FRAME_HEIGHT * 4).fill(BACKGROUND)
  return { width: FRAME_WIDTH, height: FRAME_HEIGHT, data }
}

// Bilinear resize of the source rectangle `from` into the frame rectangle `to`.
function paste(frame, source, from, to) {
  const scaleX = from.width / to.width
  const scaleY = from.height / to.height
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(Math.max(from.y + (y + 0.5) * scaleY - 0.5, 0), source.height - 1)
    const y0 = Math.floor(sy)
    const y1 = Math.min(y0 + 1, source.height - 1)
    const fy = sy - y0
    for (let x = 0; x < to.width; x++) {
      const sx = Math.min(Math.max(from.x + (x + 0.5) * scaleX - 0.5, 0), source.width - 1)
      const x0 = Math.floor(sx)
      const x1 = Math.min(x0 + 1, source.width - 1)
      const fx = sx - x0
      const out = ((to.y + y) * frame.width + to.x + x) * 4
      for (let c = 0; c < 3; c++) {
        const top =
          source.data[(y0 * source.width + x0) * 4 + c] * (1 - fx) +
          source.data[(y0 * source.width + x1) * 4 + c] * fx
        const bottom =
          source.data[(y1 * source.width + x0) * 4 + c] * (1 - fx) +
          source.data[(y1 * source.width + x1) * 4 + c] * fx
        frame.data[out + c] = top * (1 - fy) + bottom * fy
      }
      frame.data[out + 3] = 255
    }
  }
}

// `columns` x `rows` cells, each holding one head scaled to `size` pixels, centred.
function grid(photos, columns, rows, size) {
  const frame = blankFrame()
  const cellWidth = FRAME_WIDTH / columns
  const cellHeight = FRAME_HEIGHT / rows
  for (let i = 0; i < columns * rows; i++) {
    const name = i % 2 === 0 ? 'grace' : 'astronaut'
    const head = HEADS[name]
    paste(
      frame,
      photos[name],
      { x: head.x, y: head.y, width: head.size, height: head.size },
      {
        x: Math.round((i % columns) * cellWidth + (cellWidth - size) / 2),
        y: Math.round(Math.floor(i / columns) * cellHeight + (cellHeight - size) / 2),
        width: size,
        height: size,
      },
    )
  }
  return frame
}

/**
 * The bench frames, in order of face count: `{ name, faces, image }`, `image` being
 * `{ width, height, data }` RGBA.
 */
export function buildFrames(dir = facesDir()) {
  const photos = {
    grace: decode(path.join(dir, 'grace_hopper.jpg')),
    astronaut: decode(path.join(dir, 'astronaut.png')),
  }
  const { grace } = photos
  // No face: the bottom of Grace Hopper's portrait (uniform, tie, ribbons), below her chin.
  const noFace = blankFrame()
  paste(
    noFace,
    grace,
    { x: 0, y: 400, width: grace.width, height: grace.height - 400 },
    { x: 0, y: 0, width: FRAME_WIDTH, height: FRAME_HEIGHT },
  )
  // One face: the whole portrait, scaled to the frame's height, centred: a webcam-like framing.
  const oneFace = blankFrame()
  const width = Math.round((grace.width * FRAME_HEIGHT) / grace.height)
  paste(
    oneFace,
    grace,
    { x: 0, y: 0, width: grace.width, height: grace.height },
    { x: Math.round((FRAME_WIDTH - width) / 2), y: 0, width, height: FRAME_HEIGHT },
  )
  return [
    { name: 'no face', faces: 0, image: noFace },
    { name: '1 face', faces: 1, image: oneFace },
    { name: '2 faces', faces: 2, image: grid(photos, 2, 1, 300) },
    { name: '4 faces', faces: 4, image: grid(photos, 2, 2, 220) },
    { name: '8 faces', faces: 8, image: grid(photos, 4, 2, 150) },
  ]
}
