// EmotionDetector speed against its two JavaScript peers, over the built package (run
// `npm run build -w @moodlens/core` first):
//   npm run bench -w @moodlens/core         (or: node packages/core/bench/detector.mjs)
// Options: --backends=wasm,cpu  --tools=moodlens,moodlens-full,face-api,human
//          --faceapi-detector=tiny|ssd  --runs=N (timed calls per tool and frame, a quick check)
//
// Full detect + classify, end to end from the same 640x480 RGBA frame (0, 1, 2, 4 and 8 faces; see
// detector-frames.mjs), for moodlens, @vladmandic/face-api and @vladmandic/human, in this one
// process on one shared TF.js engine, on each Node backend. The tools take turns call by call
// (rotating who goes first), so that a load spike on a shared machine hits all of them alike.
// Printed per frame: faces found (the comparison is only fair where all find the same faces),
// median and p90 wall-clock ms, median CPU ms of this process; then the cost of each extra face
// (least-squares slope of the medians over the frames with faces) and moodlens' time over each
// peer's. Untimed warm-up calls come first.
import { availableParallelism, cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import * as tf from '@tensorflow/tfjs-core'
import { buildFrames } from './detector-frames.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
    return [key, value]
  }),
)
const BACKENDS = (args.backends ?? 'wasm,cpu').split(',')
const TOOLS = args.tools?.split(',')
const FACEAPI_DETECTOR = args['faceapi-detector'] ?? 'tiny'
// Per backend: which frames (by face count), untimed warm-up calls and timed calls per tool and
// frame, and a time budget after which no new round starts, so that the bench ends in bounded
// time (the budget counts from the backend's first model load). `moodlens` is the detector with
// its defaults (short-range BlazeFace); `moodlens-full` with the full-range face model, which
// finds the smaller faces of the 8-face frame. TF.js's cpu backend is 10 to 30 times slower than
// wasm here, so it gets two frames (the per-face slope then comes from 1 and 4 faces), few calls
// and the default detector only.
const PLAN = {
  wasm: {
    tools: ['moodlens', 'moodlens-full', 'face-api', 'human'],
    faces: [0, 1, 2, 4, 8],
    warmUp: 3,
    runs: 25,
    budgetMs: 50_000,
  },
  cpu: {
    tools: ['moodlens', 'face-api', 'human'],
    faces: [1, 4],
    warmUp: 1,
    runs: 3,
    budgetMs: 55_000,
  },
}
const MAX_FACES = 10

async function createTool(name, backend) {
  if (name === 'moodlens' || name === 'moodlens-full') {
    const core = await import('../dist/index.js')
    if (typeof core.createEmotionDetector !== 'function') {
      throw new Error('dist/index.js exports no createEmotionDetector: build the package first')
    }
    const face = name === 'moodlens' ? 'short' : 'full'
    const detector = await core.createEmotionDetector({
      backend,
      maxFaces: MAX_FACES,
      models: { face },
    })
    return {
      name: `@moodlens/core, ${face}-range BlazeFace (${detector.backend.name}: ${detector.backend.reason})`,
      short: name,
      detect: (image) => detector.detect(image),
      dispose: () => detector.dispose(),
    }
  }
  if (name === 'face-api') {
    const { createFaceApiPeer } = await import('./peer-faceapi.mjs')
    // face-api uses whichever backend is active.
    await tf.setBackend(backend)
    return createFaceApiPeer({ detector: FACEAPI_DETECTOR })
  }
  if (name === 'human') {
    const { createHumanPeer } = await import('./peer-human.mjs')
    return createHumanPeer({ backend, maxFaces: MAX_FACES })
  }
  throw new Error(`unknown tool ${name}: use moodlens, face-api or human`)
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low)
}

// Least-squares slope of y over x.
function slope(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let num = 0
  let den = 0
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return num / den
}

const allFrames = buildFrames()
const loadAtStart = loadavg()[0]
const started = performance.now()
const report = []

for (const backend of BACKENDS) {
  if (!PLAN[backend]) throw new Error(`no plan for ${backend}: use ${Object.keys(PLAN).join(', ')}`)
  const plan = args.runs ? { ...PLAN[backend], runs: Number(args.runs) } : PLAN[backend]
  const frames = allFrames.filter((frame) => plan.faces.includes(frame.faces))
  const backendStart = performance.now()
  const tools = []
  for (const name of TOOLS ?? plan.tools) {
    const loadStart = performance.now()
    const tool = await createTool(name, backend)
    tools.push({ ...tool, loadMs: performance.now() - loadStart })
  }
  // Every tool made `backend` active when it loaded; they all share it from here on.
  if (tf.getBackend() !== backend)
    throw new Error(`expected ${backend}, running ${tf.getBackend()}`)

  const samples = new Map()
  for (const tool of tools) {
    for (const frame of frames) {
      const found = []
      for (let i = 0; i < plan.warmUp; i++) found.push(await tool.detect(frame.image))
      samples.set(`${tool.short}/${frame.faces}`, {
        times: [],
        cpuTimes: [],
        counts: new Set(found.map((faces) => faces.length)),
        top: found.at(-1)[0],
        tensorsLeaked: 0,
      })
    }
  }

  let rounds = 0
  while (rounds < plan.runs && performance.now() - backendStart < plan.budgetMs) {
    for (const frame of frames) {
      for (let t = 0; t < tools.length; t++) {
        const tool = tools[(t + rounds) % tools.length]
        const sample = samples.get(`${tool.short}/${frame.faces}`)
        const tensors = tf.memory().numTensors
        const cpuStart = process.cpuUsage()
        const start = performance.now()
        const faces = await tool.detect(frame.image)
        const wall = performance.now() - start
        const cpu = process.cpuUsage(cpuStart)
        sample.tensorsLeaked += tf.memory().numTensors - tensors
        sample.times.push(wall)
        sample.cpuTimes.push((cpu.user + cpu.system) / 1000)
        sample.counts.add(faces.length)
      }
    }
    rounds++
  }

  for (const tool of tools) {
    const rows = frames.map((frame) => {
      const sample = samples.get(`${tool.short}/${frame.faces}`)
      return {
        frame,
        found: [...sample.counts].sort((a, b) => a - b).join('/'),
        median: quantile(sample.times, 0.5),
        p90: quantile(sample.times, 0.9),
        cpu: quantile(sample.cpuTimes, 0.5),
        runs: sample.times.length,
        top: sample.top,
        leakedPerCall: sample.tensorsLeaked / sample.times.length,
      }
    })
    // Only frames where the tool found exactly the faces there are: elsewhere it did other work.
    const withFaces = rows.filter(
      (row) => row.frame.faces > 0 && row.found === `${row.frame.faces}`,
    )
    const missed = rows.filter((row) => row.found !== `${row.frame.faces}`)
    report.push({
      backend,
      frames,
      tool,
      rows,
      missed,
      slopeFaces: withFaces.map((row) => row.frame.faces),
      perFace: slope(
        withFaces.map((row) => row.frame.faces),
        withFaces.map((row) => row.median),
      ),
      cpuPerFace: slope(
        withFaces.map((row) => row.frame.faces),
        withFaces.map((row) => row.cpu),
      ),
    })
  }
  for (const tool of tools) tool.dispose?.()
}

const fixed = (value, width, digits = 1) => value.toFixed(digits).padStart(width)
console.log(
  `moodlens EmotionDetector vs peers, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ` +
    `(${availableParallelism()} threads available; 1-minute load average ${loadAtStart.toFixed(1)} ` +
    `at start, ${loadavg()[0].toFixed(1)} at end; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
)
console.log(
  '640x480 RGBA frames, end to end; the tools take turns after warm-up. found: faces reported ' +
    '(every call); ms: wall clock; CPU: this process; leaked: tensors left per call.',
)
for (const backend of BACKENDS) {
  const entries = report.filter((entry) => entry.backend === backend)
  const { frames } = entries[0]
  console.log(`\nbackend ${backend} (${PLAN[backend].warmUp} warm-up calls per tool and frame)`)
  for (const { tool } of entries) {
    console.log(`  ${tool.short}: ${tool.name}, loaded in ${fixed(tool.loadMs, 0, 0)} ms`)
  }
  console.log(
    'frame     tool           found  median ms   p90 ms  CPU ms  runs  top emotion, 1st face  leaked',
  )
  for (const frame of frames) {
    for (const { tool, rows } of entries) {
      const row = rows.find((candidate) => candidate.frame === frame)
      const top = row.top ? `${row.top.emotion} ${fixed(row.top.confidence ?? 0, 4, 2)}` : '-'
      console.log(
        `${frame.name.padEnd(8)}  ${tool.short.padEnd(13)}  ${row.found.padStart(5)}  ` +
          `${fixed(row.median, 9)}  ${fixed(row.p90, 7)}  ${fixed(row.cpu, 6)}  ` +
          `${String(row.runs).padStart(4)}  ${top.padEnd(21)}  ${fixed(row.leakedPerCall, 6)}`,
      )
    }
  }
  console.log(
    'per extra face (least-squares slope of the medians over the frames where the tool found ' +
      'every face):',
  )
  for (const { tool, perFace, cpuPerFace, slopeFaces, missed } of entries) {
    const note = missed.length
      ? `; left out: ${missed.map((row) => `${row.frame.name} (found ${row.found})`).join(', ')}`
      : ''
    const value = slopeFaces.length >= 2 ? fixed(perFace, 6) : '     -'
    const cpu = slopeFaces.length >= 2 ? fixed(cpuPerFace, 5) : '    -'
    console.log(
      `  ${tool.short.padEnd(13)} ${value} ms  (${cpu} CPU ms; over ${slopeFaces.join(', ')} faces${note})`,
    )
  }
  const peers = entries.filter((entry) => !entry.tool.short.startsWith('moodlens'))
  // A slope at or below zero is noise (too few runs on a busy machine): no ratio then.
  const ratio = (a, b) => (a > 0 && b > 0 ? fixed(a / b, 4, 2) : '   -')
  const pick = (entry, faces, key) => entry.rows.find((row) => row.frame.faces === faces)?.[key]
  console.log('time ratios, wall clock (CPU), below 1: moodlens is faster')
  for (const ours of entries.filter((entry) => entry.tool.short.startsWith('moodlens'))) {
    for (const peer of peers) {
      const parts = [0, 1]
        .filter((faces) => pick(ours, faces, 'median') !== undefined)
        .map(
          (faces) =>
            `${faces === 0 ? 'no face' : '1 face'} ${ratio(pick(ours, faces, 'median'), pick(peer, faces, 'median'))} ` +
            `(${ratio(pick(ours, faces, 'cpu'), pick(peer, faces, 'cpu'))})`,
        )
      if (ours.slopeFaces.length >= 2 && peer.slopeFaces.length >= 2) {
        parts.push(
          `per extra face ${ratio(ours.perFace, peer.perFace)} (${ratio(ours.cpuPerFace, peer.cpuPerFace)})`,
        )
      }
      console.log(`  ${ours.tool.short} / ${peer.tool.short}: ${parts.join(', ')}`)
    }
  }
  const ours = entries.find((entry) => entry.tool.short === 'moodlens')
  if (backend === 'wasm' && ours) {
    const wall = pick(ours, 1, 'median')
    const cpu = pick(ours, 1, 'cpu')
    const fastest = peers.every((peer) => wall < pick(peer, 1, 'median'))
    console.log(
      `target (wasm, 1 face <= 20 ms and faster than both peers): ${wall <= 20 && fastest ? 'met' : 'NOT met'} ` +
        `(median ${fixed(wall, 0)} ms wall, ${fixed(cpu, 0)} ms CPU; ${fastest ? 'fastest' : 'not the fastest'})`,
    )
  }
}
