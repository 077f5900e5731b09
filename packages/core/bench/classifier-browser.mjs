// Emotion-classifier latency in headless Chromium over the built package (run
// `npm run build -w @moodlens/core` first):
//   node packages/core/bench/classifier-browser.mjs
// The browser half of classifier.mjs: `classify` per face for batches of 1 and 8 on webgl, wasm and
// cpu, median of RUNS timed calls (performance.now() in the page) after WARM_UP untimed ones;
// ratios compare against cpu measured in the same run. esbuild bundles classifier-browser.page.js
// with dist/index.js and its imports in memory; node:http serves the bundle, the shipped model
// and the tfjs wasm binaries from 127.0.0.1, and every request to another origin is aborted and
// reported. Each backend runs in a fresh page, as an app would use one.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from '../../../scripts/chromium.mjs'

const BACKENDS = ['webgl', 'wasm', 'cpu']
const BATCHES = [1, 8]
const WARM_UP = 10
const RUNS = { webgl: 100, wasm: 100, cpu: 20 }

const packageRoot = fileURLToPath(new URL('..', import.meta.url))
const distEntry = join(packageRoot, 'dist', 'index.js')
const pageEntry = fileURLToPath(new URL('./classifier-browser.page.js', import.meta.url))
const wasmDist = dirname(
  createRequire(import.meta.url).resolve(
    '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
  ),
)

if (!existsSync(distEntry)) {
  console.error(
    `classifier-browser: ${distEntry} is missing; build the package first: npm run build -w @moodlens/core`,
  )
  process.exit(1)
}
if (!chromiumAvailable()) {
  console.error(`classifier-browser: no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`)
  process.exit(1)
}

const bundle = await build({
  entryPoints: [pageEntry],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'error',
})
const bundleText = bundle.outputFiles[0].contents

// The bundle is served from /dist/ so that dist/index.js's `new URL('../models/emotion/...',
// import.meta.url)` lands on /models/emotion/, the same layout as the published package.
const PAGE = '<!doctype html><meta charset="utf-8"><title>moodlens classifier bench</title>'
const routes = new Map([
  ['/', { type: 'text/html', body: () => PAGE }],
  ['/dist/bench.js', { type: 'text/javascript', body: () => bundleText }],
  ...['model.json', 'weights.bin'].map((file) => [
    `/models/emotion/${file}`,
    {
      type: file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      body: () => readFileSync(join(packageRoot, 'models', 'emotion', file)),
    },
  ]),
  ...[
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ].map((file) => [
    `/wasm/${file}`,
    { type: 'application/wasm', body: () => readFileSync(join(wasmDist, file)) },
  ]),
])
const served = []
const notFound = []
const server = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
  const route = routes.get(path)
  if (route === undefined) {
    notFound.push(path)
    response.writeHead(404).end()
    return
  }
  served.push(path)
  response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' })
  response.end(route.body())
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${server.address().port}`

const loadAtStart = loadavg()[0]
const userDataDir = await mkdtemp(join(tmpdir(), 'moodlens-bench-chromium-'))
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
  headless: true,
})
const blocked = []
await context.route('**/*', (route) => {
  const url = route.request().url()
  if (url.startsWith(`${origin}/`)) return route.continue()
  blocked.push(url)
  return route.abort()
})

const measured = []
const browserVersion = context.browser()?.version() ?? 'unknown'
let userAgent = 'unknown'
try {
  for (const backend of BACKENDS) {
    const page = await context.newPage()
    const pageErrors = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${origin}/`)
    await page.addScriptTag({ url: `${origin}/dist/bench.js`, type: 'module' })
    await page.waitForFunction(() => typeof globalThis.moodlensClassifierBench === 'function')
    userAgent = await page.evaluate(() => navigator.userAgent)
    try {
      measured.push(
        await page.evaluate((options) => globalThis.moodlensClassifierBench(options), {
          backend,
          batches: BATCHES,
          warmUp: WARM_UP,
          runs: RUNS[backend],
          wasmPaths: `${origin}/wasm/`,
        }),
      )
    } catch (error) {
      throw new Error(
        `classifier-browser: ${backend} failed in the page: ${error.message}` +
          (pageErrors.length ? `\npage errors: ${pageErrors.join('\n')}` : ''),
        { cause: error },
      )
    }
    await page.close()
  }
} finally {
  await context.close()
  server.close()
  await rm(userDataDir, { recursive: true, force: true })
}
const loadAtEnd = loadavg()[0]

console.log(
  `moodlens emotion classifier, headless Chromium ${browserVersion} (${userAgent}), ` +
    `${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} threads available; ` +
    `1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end)`,
)
console.log(`Chromium flags: ${CHROMIUM_ARGS.join(' ')}`)
for (const { requested, classifierBackend, activeBackend, details } of measured) {
  const what =
    requested === 'webgl'
      ? `renderer "${details.renderer}", WebGL ${details.webglVersion}`
      : requested === 'wasm'
        ? `SIMD ${details.simd ? 'yes' : 'no'}, threads ${details.threads ? 'yes' : 'no'} ` +
          `(crossOriginIsolated ${details.crossOriginIsolated})`
        : 'plain JavaScript'
  console.log(
    `${requested}: ran on ${classifierBackend} (tf.getBackend() ${activeBackend}); ${what}`,
  )
}
const byKey = new Map(
  measured.flatMap(({ requested, results }) =>
    results.map((result) => [`${requested}/${result.batch}`, result]),
  ),
)
const versusCpu = (ratio) =>
  ratio >= 1 ? `${ratio.toFixed(1)}x faster` : `${(1 / ratio).toFixed(1)}x slower`
console.log('backend  batch  ms/face (median)  runs  vs cpu')
for (const backend of BACKENDS) {
  for (const batch of BATCHES) {
    const { perFace, runs } = byKey.get(`${backend}/${batch}`)
    const ratio = byKey.get(`cpu/${batch}`).perFace / perFace
    console.log(
      `${backend.padEnd(7)}  ${String(batch).padStart(5)}  ${perFace.toFixed(2).padStart(16)}  ` +
        `${String(runs).padStart(4)}  ${backend === 'cpu' ? 'baseline' : versusCpu(ratio)}`,
    )
  }
}
const requestedFiles = [...new Set(served)].sort()
console.log(`served from ${origin}: ${requestedFiles.join(', ')}`)
if (notFound.length) console.log(`not found (404): ${[...new Set(notFound)].join(', ')}`)
if (blocked.length) {
  console.error(`classifier-browser: the page tried other origins: ${blocked.join(', ')}`)
  process.exitCode = 1
}
