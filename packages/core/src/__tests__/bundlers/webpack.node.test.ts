// @moodlens/core bundled by webpack 5 as an application would bundle it: the built package (dist/,
// through its `exports` map), a small page that detects the face of a photo on the wasm backend,
// a production build with webpack's defaults, then the output served as static files to headless
// Chromium. Proves what docs/detector.md promises for webpack: the models are copied through the
// package's `new URL(..., import.meta.url)` references, no Node built-in is pulled in, each backend
// is a chunk of its own, and the page loads everything from its own origin.
import { readFile, copyFile, cp } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { builtinModules } from 'node:module'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import webpack, { type Stats, type StatsCompilation } from 'webpack'
import {
  area,
  closeToReference,
  GRACE_HOPPER,
  iou,
  overlap,
  type FacePhoto,
} from '../faceFixtures.ts'
import { installBuiltPackages } from './installBuiltPackages.ts'

const APP = fileURLToPath(new URL('./webpack-app', import.meta.url))
const PHOTO = fileURLToPath(new URL(`../fixtures/faces/${GRACE_HOPPER.file}`, import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../../../..', import.meta.url))

// scripts/chromium.mjs is plain JavaScript shared with the vitest config: loaded by URL, typed here.
const { CHROMIUM_ARGS, CHROMIUM_PATH } = (await import(
  pathToFileURL(join(REPO_ROOT, 'scripts/chromium.mjs')).href
)) as { CHROMIUM_ARGS: string[]; CHROMIUM_PATH: string }

const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
]
// The package's own files that the page needs, by their path in the installed package.
const MODEL_FILES = [
  'models/face/short/model.json',
  'models/face/short/weights.bin',
  'models/emotion/model.json',
  'models/emotion/weights.bin',
]
// Imported on demand by @moodlens/core: none may be in the page's initial download.
const ON_DEMAND_ENTRIES = [
  '@tensorflow/tfjs-backend-cpu/dist/index.js',
  '@tensorflow/tfjs-backend-webgl/dist/index.js',
  '@tensorflow/tfjs-backend-wasm/dist/index.js',
  '@tensorflow/tfjs-converter/dist/index.js',
]

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.jpg': 'image/jpeg',
}

interface PageResult {
  readonly error?: string
  readonly backend?: string
  readonly faces?: readonly {
    readonly box: NonNullable<FacePhoto['face']>
    readonly emotion: string
    readonly probabilities: Record<string, number>
  }[]
}

interface BundledModule {
  readonly identifier: string
  readonly name: string
  readonly issuerName: string | null
  readonly chunks: readonly (string | number)[]
}

let installed: Awaited<ReturnType<typeof installBuiltPackages>>
let outDir: string
let stats: StatsCompilation
let modules: BundledModule[]
let server: Server
let baseUrl: string
// Every request the server answered, as `status path`.
const served: string[] = []
let browser: Browser

/** A production build with webpack's defaults: only the entry, the output folder and `web`. */
async function bundle(context: string, path: string): Promise<StatsCompilation> {
  const compiler = webpack({
    mode: 'production',
    context,
    entry: './main.js',
    target: 'web',
    devtool: false,
    output: { path, filename: 'main.js', chunkFilename: '[name].[contenthash:8].js' },
    // The size hints are about TF.js and the 3.7 MB emotion model, not about what is tested here.
    performance: { hints: false },
  })
  const result = await new Promise<Stats>((done, fail) => {
    compiler.run((error, outcome) => (error ? fail(error) : done(outcome!)))
  })
  await new Promise<void>((done, fail) => compiler.close((error) => (error ? fail(error) : done())))
  return result.toJson({
    all: false,
    errors: true,
    warnings: true,
    assets: true,
    chunks: true,
    modules: true,
    nestedModules: true,
    ids: true,
  })
}

// Modules concatenated into one ("main.js + 4 modules") are listed inside it, with no chunks.
function flattenModules(list: StatsCompilation['modules'], chunks: BundledModule['chunks']) {
  const flat: BundledModule[] = []
  for (const module of list ?? []) {
    const inChunks = module.chunks?.length ? module.chunks : chunks
    flat.push({
      identifier: module.identifier ?? '',
      name: module.name ?? '',
      issuerName: module.issuerName ?? null,
      chunks: inChunks,
    })
    flat.push(...flattenModules(module.modules, inChunks))
  }
  return flat
}

function emittedAs(sourceEnding: string): string | undefined {
  return stats.assets?.find((asset) =>
    String(asset.info.sourceFilename ?? '').endsWith(sourceEnding),
  )?.name
}

function filesOfChunks(ids: readonly (string | number)[]): string[] {
  return (stats.chunks ?? [])
    .filter((chunk) => ids.includes(chunk.id!))
    .flatMap((chunk) => chunk.files ?? [])
}

/** Serves `root` as static files on 127.0.0.1, logging each answer into `served`. */
async function serve(root: string): Promise<{ server: Server; baseUrl: string }> {
  const files = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const file = resolve(root, `.${path === '/' ? '/index.html' : decodeURIComponent(path)}`)
    const answer = (status: number, body: Uint8Array | string, type = 'text/plain'): void => {
      served.push(`${status} ${path}`)
      response.writeHead(status, { 'content-type': type }).end(body)
    }
    if (!file.startsWith(root + sep)) return answer(403, 'outside the served folder')
    readFile(file).then(
      (body) => answer(200, body, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'),
      () => answer(404, 'not found'),
    )
  })
  await new Promise<void>((done) => files.listen(0, '127.0.0.1', done))
  const address = files.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return { server: files, baseUrl: `http://127.0.0.1:${address.port}` }
}

beforeAll(async () => {
  installed = await installBuiltPackages()
  // The app sits in the folder whose node_modules holds the built packages, as in a user's project.
  await cp(APP, installed.root, { recursive: true })
  outDir = join(installed.root, 'dist')
  stats = await bundle(installed.root, outDir)
  modules = flattenModules(stats.modules, [])
  await copyFile(join(APP, 'index.html'), join(outDir, 'index.html'))
  await copyFile(PHOTO, join(outDir, GRACE_HOPPER.file))
  ;({ server, baseUrl } = await serve(outDir))
  // Each launch gets a fresh, empty profile of its own: nothing is cached from an earlier run.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((done) => (server ? server.close(done) : done(undefined)))
  await installed?.remove()
}, 60_000)

describe('@moodlens/core bundled by webpack 5', () => {
  it('builds with no error and no warning', () => {
    expect(stats.errors?.map(({ message }) => message)).toEqual([])
    expect(stats.warnings?.map(({ message }) => message)).toEqual([])
  })

  it('resolves the built package through its exports map, not its sources', () => {
    expect(modules.map(({ name }) => name)).toContain('./node_modules/@moodlens/core/dist/index.js')
    // Not the workspace's own folders (the packages' sources, or a dist/ left by an earlier build).
    const workspace = join(REPO_ROOT, 'packages') + sep
    expect(modules.filter(({ identifier }) => identifier.includes(workspace))).toEqual([])
  })

  it('emits the shipped models and the wasm binaries as assets, byte for byte', async () => {
    for (const file of MODEL_FILES) {
      const name = emittedAs(`node_modules/@moodlens/core/${file}`)
      expect(name, file).toBeDefined()
      const [emitted, shipped] = await Promise.all([
        readFile(join(outDir, name!)),
        readFile(join(installed.root, 'node_modules/@moodlens/core', file)),
      ])
      expect(emitted.equals(shipped), file).toBe(true)
    }
    for (const file of WASM_FILES) {
      expect(emittedAs(`@tensorflow/tfjs-backend-wasm/dist/${file}`), file).toMatch(/\.wasm$/)
    }
  })

  it("pulls in no Node built-in, and leaves no require() in the package's chunks", async () => {
    const builtins = new Set(builtinModules)
    const nodeModules = modules.filter(
      ({ identifier, name }) =>
        name.startsWith('node:') ||
        identifier.startsWith('external ') ||
        builtins.has(name.replace(/ \(ignored\)$/, '')),
    )
    // Third-party packages' own `browser` fields map a few built-ins to nothing (webpack's
    // "(ignored)" stand-ins); @moodlens packages must not need any, and nothing may be real.
    for (const module of nodeModules) {
      expect(module.identifier, module.name).toMatch(/^ignored\|/)
      expect(module.issuerName ?? '', module.name).not.toMatch(/@moodlens\//)
    }
    const ours = modules.filter(({ identifier }) => identifier.includes('/node_modules/@moodlens/'))
    const files = new Set(filesOfChunks(ours.flatMap(({ chunks }) => chunks)))
    expect(files.size).toBeGreaterThan(0)
    for (const file of files) {
      const code = await readFile(join(outDir, file), 'utf8')
      expect(code.match(/(?<![\w$.])require\s*\(/g), file).toBeNull()
      expect(code.match(/(\bimport\s*\(?|\bfrom)\s*["'`]node:/g), file).toBeNull()
    }
  })

  it('splits each TF.js backend and the converter into chunks of their own, loaded on demand', () => {
    const initial = new Set(
      (stats.chunks ?? []).filter((chunk) => chunk.initial).map((chunk) => chunk.id),
    )
    const chunksOf = ON_DEMAND_ENTRIES.map((entry) => {
      const module = modules.find(({ identifier }) => identifier.endsWith(`/${entry}`))
      expect(module, entry).toBeDefined()
      return new Set(module!.chunks)
    })
    chunksOf.forEach((chunks, index) => {
      expect(chunks.size, ON_DEMAND_ENTRIES[index]).toBeGreaterThan(0)
      for (const chunk of chunks) expect(initial.has(chunk), ON_DEMAND_ENTRIES[index]).toBe(false)
      // No two of them share a chunk: an app downloads only what it uses.
      chunksOf.slice(index + 1).forEach((other) => {
        expect([...chunks].filter((chunk) => other.has(chunk))).toEqual([])
      })
    })
    const onDemandPackages = /\/@tensorflow\/(tfjs-backend-(cpu|webgl|wasm)|tfjs-converter)\//
    // Code only: the app's own `new URL()`s of the wasm binaries are (tiny) URL modules in main.js.
    const eager = modules.filter(
      ({ identifier, chunks }) =>
        identifier.startsWith('javascript/') &&
        onDemandPackages.test(identifier) &&
        chunks.some((chunk) => initial.has(chunk)),
    )
    expect(eager.map(({ name }) => name)).toEqual([])
  })

  it("finds the photo's one face in Chromium on wasm, with everything from the page's origin", async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const requests: string[] = []
    const errors: string[] = []
    page.on('request', (request) => requests.push(request.url()))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`))
    try {
      await page.goto(`${baseUrl}/`)
      const outcome = await page
        .waitForFunction(
          () => (window as { moodlensResult?: PageResult }).moodlensResult,
          undefined,
          { timeout: 90_000 },
        )
        .catch((error: unknown) => {
          throw new Error(`no result: ${[...errors, ...served].join('\n')}`, { cause: error })
        })
      const result = (await outcome.jsonValue()) as PageResult
      expect(result.error).toBeUndefined()
      expect(result.backend).toBe('wasm')
      expect(result.faces).toHaveLength(1)
      const [face] = result.faces!
      const hand = GRACE_HOPPER.face!
      expect(overlap(face!.box, hand) / area(hand)).toBeGreaterThan(0.9)
      expect(iou(face!.box, hand)).toBeGreaterThan(0.5)
      expect(face!.emotion).toBe(GRACE_HOPPER.emotion)
      expect(closeToReference(face!.probabilities, GRACE_HOPPER)).toEqual({})
    } finally {
      await context.close()
    }
    expect(errors).toEqual([])
    expect(requests.filter((url) => !url.startsWith(`${baseUrl}/`))).toEqual([])
    expect(served.filter((line) => !line.startsWith('200 '))).toEqual([])
    // The models and a wasm binary came from the files webpack emitted, and the webgl backend,
    // which this page does not use, was never downloaded.
    const paths = served.map((line) => line.slice('200 /'.length))
    for (const file of MODEL_FILES) {
      expect(paths, file).toContain(emittedAs(`node_modules/@moodlens/core/${file}`))
    }
    const wasm = WASM_FILES.map((file) => emittedAs(`@tensorflow/tfjs-backend-wasm/dist/${file}`))
    expect(paths.filter((path) => path.endsWith('.wasm'))).not.toEqual([])
    for (const path of paths.filter((path) => path.endsWith('.wasm'))) expect(wasm).toContain(path)
    const webgl = modules.find(({ identifier }) => identifier.endsWith(`/${ON_DEMAND_ENTRIES[1]}`))
    for (const file of filesOfChunks(webgl!.chunks)) expect(paths).not.toContain(file)
  }, 120_000)
})
