// Load bench: 200 concurrent clients asking the built server for recommendations, on loopback.
// `npm run build -w @moodlens/example-server && npm run bench -w @moodlens/example-server`
// Options (environment): BENCH_CONNECTIONS (200), BENCH_DURATION seconds (20), BENCH_TIMEOUT
// seconds per request (10), DATABASE_URL (a PostgreSQL to run against instead of a fresh PGlite).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

const connections = Number(process.env.BENCH_CONNECTIONS ?? 200)
const duration = Number(process.env.BENCH_DURATION ?? 20)
// autocannon counts a request that takes longer than this as an error (a timeout).
const timeout = Number(process.env.BENCH_TIMEOUT ?? 10)
const main = fileURLToPath(new URL('../dist/main.js', import.meta.url))
if (!existsSync(main)) {
  console.error('Build the server first: npm run build -w @moodlens/example-server')
  process.exit(1)
}

const port = await new Promise((resolve, reject) => {
  const probe = createServer()
  probe.once('error', reject)
  probe.listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address()
    probe.close(() => resolve(free))
  })
})
const dataDir = await mkdtemp(join(tmpdir(), 'moodlens-bench-'))
const base = `http://127.0.0.1:${port}`
const server = spawn(process.execPath, [main], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MOODLENS_DATA_DIR: dataDir,
    MOODLENS_WEB_DIR: 'none',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
})
const exited = new Promise((resolve) => server.once('exit', resolve))

async function stop(code) {
  server.kill('SIGTERM')
  await exited
  await rm(dataDir, { recursive: true, force: true })
  process.exit(code)
}

try {
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error('the server did not start in 120 s')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const registered = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'bench password 1234' }),
  })
  if (registered.status !== 201)
    throw new Error(`register: ${registered.status} ${await registered.text()}`)
  const { accessToken } = await registered.json()
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` }
  const bodies = [
    { emotion: 'happy', k: 10 },
    { probabilities: { sad: 0.6, neutral: 0.3, fear: 0.1 }, k: 10 },
    { emotion: 'angry', k: 20, diversity: 0.7 },
    { probabilities: { surprise: 0.5, happy: 0.5 }, k: 10, genre: 'pop' },
  ]
  // Warm-up, not measured: the first request builds the in-memory catalogue and compiles the
  // scoring kernel; a server in service has done that long before.
  for (const body of bodies) {
    const warm = await fetch(`${base}/api/v1/recommendations`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    })
    if (warm.status !== 200) throw new Error(`warm-up: ${warm.status} ${await warm.text()}`)
  }
  const [load1] = loadavg()
  console.log(
    `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model.trim()}, load average ${load1.toFixed(2)}`,
  )
  console.log(
    `POST /api/v1/recommendations, ${connections} connections, ${duration} s, PGlite${process.env.DATABASE_URL ? ' -> PostgreSQL' : ''}`,
  )
  const result = await autocannon({
    url: base,
    connections,
    duration,
    timeout,
    requests: bodies.map((body) => ({
      method: 'POST',
      path: '/api/v1/recommendations',
      headers,
      body: JSON.stringify(body),
    })),
  })
  const failures = result.errors + result.timeouts + result.non2xx
  console.log(`requests          ${result.requests.total} (${result['2xx']} 2xx)`)
  console.log(
    `throughput        ${result.requests.average.toFixed(1)} requests/s (mean of per-second counts)`,
  )
  console.log(
    `latency           p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  )
  console.log(
    `errors            ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
  )
  await stop(failures === 0 ? 0 : 1)
} catch (error) {
  console.error(error)
  await stop(1)
}
