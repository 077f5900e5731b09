// Proves that both builds find the model shipped in `models/` through their own module URL
// (`import.meta.url` in dist/index.js, tsdown's shim of it in dist/index.cjs) and classify with it.
// Run after `npm run build`: node scripts/check-model.mjs
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const builds = {
  'dist/index.js (ESM)': await import('../dist/index.js'),
  'dist/index.cjs (CJS)': require('../dist/index.cjs'),
}
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
}
process.exit(failed ? 1 : 0)
