// Proves that both builds find the models shipped in `models/` through their own module URL
// (`import.meta.url` in dist/index.js, tsdown's shim of it in dist/index.cjs): they classify with
// the emotion model, and their EmotionDetector finds the one face of a test photo with each face
// model (decoded by the same build's `@moodlens/core/node`).
// Run after `npm run build`: node scripts/check-model.mjs
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const builds = {
  'dist/index.js (ESM)': await import('../dist/index.js'),
  'dist/index.cjs (CJS)': require('../dist/index.cjs'),
}
const nodeBuilds = {
  'dist/index.js (ESM)': await import('../dist/node.js'),
  'dist/index.cjs (CJS)': require('../dist/node.cjs'),
}
const photo = readFileSync(
  new URL('../src/__tests__/fixtures/faces/astronaut.png', import.meta.url),
)
const expected = fileURLToPath(new URL('../models/emotion/model.json', import.meta.url))
let failed = false
for (const [name, core] of Object.entries(builds)) {
  const path = fileURLToPath(core.defaultEmotionModelUrl())
  const classifier = await core.createEmotionClassifier({ backend: 'cpu' })
  const face = { width: 48, height: 48, data: new Uint8Array(48 * 48).fill(128) }
  const [result] = await classifier.classify([face])
  classifier.dispose()
  const sum = Object.values(result.probabilities).reduce((a, b) => a + b, 0)
  const ok = path === expected && existsSync(path) && Math.abs(sum - 1) < 1e-6
  failed ||= !ok
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${name}: ${path} -> ${result.emotion} (${result.confidence.toFixed(3)})`,
  )
  const image = await nodeBuilds[name].decodeImage(photo)
  for (const face of ['short', 'full']) {
    const modelPath = fileURLToPath(core.defaultFaceModelUrl(face))
    const detector = await core.createEmotionDetector({ backend: 'cpu', models: { face } })
    const found = await detector.detect(image)
    detector.dispose()
    const faceOk =
      modelPath === fileURLToPath(new URL(`../models/face/${face}/model.json`, import.meta.url)) &&
      found.length === 1
    failed ||= !faceOk
    console.log(
      `${faceOk ? 'ok  ' : 'FAIL'} ${name}: ${modelPath} -> ${found.length} face(s), ` +
        found.map((f) => `${f.emotion} (${f.confidence.toFixed(3)})`).join(', '),
    )
  }
}
process.exit(failed ? 1 : 0)
