#!/usr/bin/env node
// Does turning each face crop so that the eyes are level (the detector's `alignFaces`) change the
// emotion accuracy? FER2013 PublicTest faces (read from ../shared/data beside the clone, never
// copied into the project) are scaled up 3x and set in a 288x288 frame (edge pixels repeated),
// upright and turned by a random angle of up to ±25°, then run through the built EmotionDetector
// with alignFaces on and off. Prints faces found and top-emotion accuracy against FER2013's labels.
//
//   npm run build -w @moodlens/core
//   node packages/core/scripts/measure-face-alignment.mjs [--faces 600] [--data DIR]
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs-core'
import { createEmotionDetector, EMOTIONS } from '@moodlens/core'

function option(name, fallback) {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : fallback
}

const CORE = fileURLToPath(new URL('..', import.meta.url))
const DATA = resolve(option('--data', join(CORE, '../../../shared/data/fer2013')))
const COUNT = Number(option('--faces', '600'))
const FRAME = 288
const FACE = 144

// Same bytes as fer2013.csv.gz, compact: 2304 grey levels per row, labels in a CSV beside them.
const pixels = execFileSync('xz', ['-dc', join(DATA, 'fer2013-pixels.u8.xz')], {
  maxBuffer: 100 << 20,
})
const rows = readFileSync(join(DATA, 'fer2013-labels.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.trim().split(','))
const faces = []
for (let row = 0; row < rows.length && faces.length < COUNT; row++) {
  const [label, usage, hasPixels] = rows[row]
  if (usage === 'PublicTest' && hasPixels === '1') faces.push({ row, label: Number(label) })
}

// A fixed linear congruential generator: the same angles in every run.
let seed = 7
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648

/** Row `row`'s face, 3x larger, turned by `angle` about the centre of a FRAME x FRAME image. */
function framed(row, angle) {
  return tf.tidy(() => {
    const grey = tf.tensor4d(pixels.subarray(row * 2304, (row + 1) * 2304), [1, 48, 48, 1], 'int32')
    const rgb = tf.tile(tf.cast(grey, 'float32'), [1, 1, 1, 3])
    const scale = 48 / FACE
    const cos = Math.cos(angle)
    const sin = Math.sin(angle)
    // Output pixel (x, y) samples the face at its centre + R(angle) * scale * ((x, y) - frame centre).
    const u = 0.5 - FRAME / 2
    const transform = [
      scale * cos,
      -scale * sin,
      23.5 + scale * (cos * u - sin * u),
      scale * sin,
      scale * cos,
      23.5 + scale * (sin * u + cos * u),
      0,
      0,
    ]
    const out = tf.image.transform(rgb, tf.tensor2d([transform]), 'bilinear', 'nearest', 0, [
      FRAME,
      FRAME,
    ])
    return tf.squeeze(out, [0])
  })
}

const detectors = {
  on: await createEmotionDetector({ backend: 'wasm', alignFaces: true }),
  off: await createEmotionDetector({ backend: 'wasm', alignFaces: false }),
}
console.log(`FER2013 PublicTest, first ${faces.length} faces with pixels, Node wasm`)
for (const tilt of [0, 25]) {
  const stats = { on: { found: 0, correct: 0 }, off: { found: 0, correct: 0 } }
  seed = 7
  for (const { row, label } of faces) {
    const angle = ((random() * 2 - 1) * tilt * Math.PI) / 180
    const image = framed(row, angle)
    for (const key of ['on', 'off']) {
      const [face] = await detectors[key].detect(image)
      if (face) {
        stats[key].found++
        if (face.emotion === EMOTIONS[label]) stats[key].correct++
      }
    }
    image.dispose()
  }
  for (const key of ['on', 'off']) {
    const { found, correct } = stats[key]
    console.log(
      `turned by up to ±${tilt}°, alignFaces ${key}: ${found}/${faces.length} faces found, ` +
        `${correct} with FER2013's label = ${((100 * correct) / found).toFixed(1)}% of those found`,
    )
  }
}
for (const detector of Object.values(detectors)) detector.dispose()
