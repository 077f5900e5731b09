// The real transports in Node: HTTP through fetch (streamed, with progress and cancellation) and
// file: URLs through node:fs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { miniMobileNet } from './__tests__/testEmotionModel.ts'
import { defaultEmotionModelUrl } from './createEmotionClassifier.ts'
import { loadEmotionModelFiles } from './loadEmotionModelFiles.ts'
import { MoodlensError } from './MoodlensError.ts'

const source = miniMobileNet({ seed: 5 })
const CHUNKS = 5

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MoodlensError)
  return (error as MoodlensError).code
}

describe('loadEmotionModelFiles over HTTP', () => {
  let server: Server
  let base: string
  const requests: string[] = []
  let stall = false

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '')
      if (request.url === '/m/model.json') {
        response.setHeader('content-type', 'application/json')
        response.end(JSON.stringify(source.modelJson()))
      } else if (request.url === '/m/weights.bin' || request.url === '/hashed/weights-x1y2.bin') {
        // Several writes with pauses, so the client sees the body arrive in pieces.
        const bytes = new Uint8Array(source.weights())
        const size = Math.ceil(bytes.length / CHUNKS)
        let offset = 0
        const next = (): void => {
          if (stall && offset > 0) return // keeps the connection open without finishing
          if (offset >= bytes.length) {
            response.end()
            return
          }
          response.write(bytes.subarray(offset, offset + size))
          offset += size
          setTimeout(next, 15)
        }
        next()
      } else {
        response.statusCode = 404
        response.end('missing')
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('streams the weights and reports the bytes as they arrive', async () => {
    requests.length = 0
    const progress: [number, number][] = []
    const { spec, weights } = await loadEmotionModelFiles(`${base}/m/model.json`, {
      onBytes: (loaded, total) => progress.push([loaded, total]),
    })
    expect(requests).toEqual(['/m/model.json', '/m/weights.bin'])
    expect(spec.inputSize).toBe(12)
    expect(Array.from(weights)).toEqual(Array.from(new Uint8Array(source.weights())))
    const total = source.weights().byteLength
    expect(progress[0]).toEqual([0, total])
    expect(progress.at(-1)).toEqual([total, total])
    expect(progress.length).toBeGreaterThanOrEqual(3)
    expect(progress.every(([, reported]) => reported === total)).toBe(true)
  })

  it('fetches a shard from the URL given for its name, as for the bundled model', async () => {
    requests.length = 0
    const { weights } = await loadEmotionModelFiles(`${base}/m/model.json`, {
      weightUrls: { 'weights.bin': new URL(`${base}/hashed/weights-x1y2.bin`) },
    })
    expect(requests).toEqual(['/m/model.json', '/hashed/weights-x1y2.bin'])
    expect(weights.byteLength).toBe(source.weights().byteLength)
  })

  it('reports a missing model as ERR_MODEL_FETCH with the HTTP status', async () => {
    const error = await loadEmotionModelFiles(`${base}/nothing/model.json`).catch((e: unknown) => e)
    expect((error as MoodlensError).code).toBe('ERR_MODEL_FETCH')
    expect((error as MoodlensError).message).toMatch(/nothing\/model\.json: HTTP 404/)
  })

  it('reports a refused connection as ERR_MODEL_FETCH', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    expect(await codeOf(loadEmotionModelFiles(`http://127.0.0.1:${port}/model.json`))).toBe(
      'ERR_MODEL_FETCH',
    )
  })

  it('stops a download in progress when the signal fires, with ERR_ABORTED', async () => {
    stall = true
    const controller = new AbortController()
    const pending = loadEmotionModelFiles(`${base}/m/model.json`, {
      signal: controller.signal,
      onBytes: (loaded) => {
        if (loaded > 0) controller.abort()
      },
    })
    try {
      expect(await codeOf(pending)).toBe('ERR_ABORTED')
    } finally {
      stall = false
    }
  })
})

describe('loadEmotionModelFiles from file: URLs', () => {
  let directory: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'moodlens-model-'))
    await writeFile(join(directory, 'model.json'), JSON.stringify(source.modelJson()))
    await writeFile(join(directory, 'weights.bin'), new Uint8Array(source.weights()))
  })
  afterAll(() => rm(directory, { recursive: true, force: true }))

  it('reads model.json and the weights beside it', async () => {
    const progress: number[] = []
    const { weights } = await loadEmotionModelFiles(pathToFileURL(join(directory, 'model.json')), {
      onBytes: (loaded) => progress.push(loaded),
    })
    expect(weights.byteLength).toBe(source.weights().byteLength)
    expect(progress.at(-1)).toBe(source.weights().byteLength)
  })

  it('reports a missing file as ERR_MODEL_FETCH', async () => {
    const error = await loadEmotionModelFiles(pathToFileURL(join(directory, 'nope.json'))).catch(
      (e: unknown) => e,
    )
    expect((error as MoodlensError).code).toBe('ERR_MODEL_FETCH')
    expect((error as MoodlensError).message).toMatch(/ENOENT/)
  })

  it('rejects an aborted read with ERR_ABORTED', async () => {
    const controller = new AbortController()
    const pending = loadEmotionModelFiles(pathToFileURL(join(directory, 'model.json')), {
      signal: controller.signal,
    })
    controller.abort()
    expect(await codeOf(pending)).toBe('ERR_ABORTED')
  })
})

describe('defaultEmotionModelUrl', () => {
  it("points at the package's models/emotion/model.json", () => {
    const url = defaultEmotionModelUrl()
    expect(url.protocol).toBe('file:')
    expect(fileURLToPath(url)).toBe(
      fileURLToPath(new URL('../models/emotion/model.json', import.meta.url)),
    )
  })
})
