// TF.js latency of the emotion-model candidates of issue #5 (input size, width, early strides),
// over the built package (run `npm run build -w @moodlens/core` first). Export the candidates
// first, with random weights (latency does not depend on their values):
//   /usr/bin/python3 training/benchmark_latency.py --tfjs-dir training/runs/candidates --skip-torch-latency
//   node packages/core/bench/candidates.mjs [--backends=wasm,cpu] [--rounds=N] [--append]
// Each candidate is loaded through the public API (`createEmotionClassifier` with a `file:` model
// URL) and timed through `classify` at batches of 1 and 8 on faces already at its input size.
// After warm-up the candidates take turns call by call, rotating who goes first each round, so a
// load spike from other processes hits all of them alike; absolute times on a shared machine mean
// little, the ratio to the shipped 64 px candidate measured in the same run is the figure to read.
// The shipped model file (trained weights) runs beside them as a check that weights do not matter.
// Results go to training/results/latency-tfjs.json (`--append` adds this run to the runs there).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createEmotionClassifier, defaultEmotionModelUrl } from '../dist/index.js'
import { median, seededFaces } from './benchFaces.js'

const ROOT = new URL('../../../', import.meta.url)
// cpu runs a face in ~100 ms here, 30x wasm: batch 1 only, fewer rounds, to keep the run short.
const BATCHES = { wasm: [1, 8], cpu: [1] }
const WARM_UP = { wasm: 10, cpu: 3 }
const ROUNDS = { wasm: 150, cpu: 10 }
const SHIPPED_SLUG = '64px-standard-strides-shipped'
const TRAINED = 'shipped model file (trained weights)'

function option(name, fallback) {
  const arg = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (arg === undefined) return fallback
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : true
}

const dir = new URL(`${option('dir', 'training/runs/candidates')}/`, ROOT)
const outFile = new URL(option('out', 'training/results/latency-tfjs.json'), ROOT)
const backends = String(option('backends', 'wasm,cpu')).split(',')
const roundsOption = option('rounds', undefined)
const listFile = new URL('candidates.json', dir)
if (!existsSync(listFile)) {
  console.error(
    `No ${fileURLToPath(listFile)}: export the candidates first with\n` +
      '  /usr/bin/python3 training/benchmark_latency.py --tfjs-dir training/runs/candidates --skip-torch-latency',
  )
  process.exit(1)
}
const candidates = JSON.parse(readFileSync(listFile, 'utf8')).rows.map((row) => ({
  ...row,
  modelUrl: new URL(`${row.slug}/model.json`, dir),
}))
if (!candidates.some((c) => c.slug === SHIPPED_SLUG)) {
  console.error(`${fileURLToPath(listFile)} has no ${SHIPPED_SLUG}, the baseline`)
  process.exit(1)
}
const trainedUrl = defaultEmotionModelUrl()
const trainedBytes = ['model.json', 'weights.bin']
  .map((file) => statSync(new URL(file, trainedUrl)).size)
  .reduce((a, b) => a + b, 0)
candidates.push({
  name: TRAINED,
  slug: 'shipped-trained',
  input: null,
  mmacs: null,
  float16_bytes: trainedBytes,
  modelUrl: trainedUrl,
})

async function timed(classifier, faces) {
  const start = performance.now()
  const cpuStart = process.cpuUsage()
  await classifier.classify(faces)
  const cpu = process.cpuUsage(cpuStart)
  return { wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 }
}

async function measure(backend) {
  const rounds = roundsOption === undefined ? ROUNDS[backend] : Number(roundsOption)
  const batches = BATCHES[backend] ?? [1]
  const warmUp = WARM_UP[backend] ?? 3
  const loaded = []
  for (const candidate of candidates) {
    const classifier = await createEmotionClassifier({
      backend,
      modelUrl: candidate.modelUrl,
    })
    const faces = Object.fromEntries(
      batches.map((batch) => [batch, seededFaces(batch, classifier.inputSize)]),
    )
    for (const batch of batches) {
      for (let i = 0; i < warmUp; i++) await classifier.classify(faces[batch])
    }
    const samples = Object.fromEntries(batches.map((batch) => [batch, { wall: [], cpu: [] }]))
    loaded.push({ candidate, classifier, inputSize: classifier.inputSize, faces, samples })
  }
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < loaded.length; turn++) {
      const entry = loaded[(round + turn) % loaded.length]
      for (const batch of batches) {
        const { wall, cpu } = await timed(entry.classifier, entry.faces[batch])
        entry.samples[batch].wall.push(wall)
        entry.samples[batch].cpu.push(cpu)
      }
    }
  }
  for (const { classifier } of loaded) classifier.dispose()
  const perFace = (entry, batch, kind) => median(entry.samples[batch][kind]) / batch
  const baseline = loaded.find((entry) => entry.candidate.slug === SHIPPED_SLUG)
  return {
    backend,
    rounds,
    warmUp,
    batches,
    rows: loaded.map((entry) => {
      const row = {
        name: entry.candidate.name,
        slug: entry.candidate.slug,
        input: entry.inputSize,
        mmacs: entry.candidate.mmacs,
        float16_bytes: entry.candidate.float16_bytes,
      }
      for (const batch of batches) {
        const wall = perFace(entry, batch, 'wall')
        const cpu = perFace(entry, batch, 'cpu')
        row[`b${batch}_ms_per_face`] = round2(wall)
        row[`b${batch}_cpu_ms_per_face`] = round2(cpu)
        row[`b${batch}_vs_shipped`] = round2(wall / perFace(baseline, batch, 'wall'))
        row[`b${batch}_cpu_vs_shipped`] = round2(cpu / perFace(baseline, batch, 'cpu'))
      }
      return row
    }),
  }
}

function round2(value) {
  return Math.round(value * 100) / 100
}

function table({ backend, rounds, batches, rows }) {
  const header = ['candidate', 'input', 'MMACs', 'float16 size']
  for (const batch of batches) {
    header.push(
      `b${batch} ms/face`,
      `b${batch} CPU ms/face`,
      `b${batch} vs shipped`,
      `b${batch} CPU vs shipped`,
    )
  }
  const lines = [
    `TF.js ${backend}, ${rounds} interleaved rounds; ms per face (medians); ratios to the shipped 64 px candidate`,
    '',
    `| ${header.join(' | ')} |`,
    `| --- | ${header
      .slice(1)
      .map(() => '--:')
      .join(' | ')} |`,
  ]
  for (const row of rows) {
    const cells = [
      row.name,
      row.input,
      row.mmacs ?? '-',
      `${(row.float16_bytes / 1e6).toFixed(2)} MB`,
    ]
    for (const batch of batches) {
      cells.push(
        row[`b${batch}_ms_per_face`].toFixed(2),
        row[`b${batch}_cpu_ms_per_face`].toFixed(2),
        `${row[`b${batch}_vs_shipped`].toFixed(2)}x`,
        `${row[`b${batch}_cpu_vs_shipped`].toFixed(2)}x`,
      )
    }
    lines.push(`| ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

const loadAtStart = loadavg()[0]
const startedAt = new Date().toISOString()
const results = []
for (const backend of backends) results.push(await measure(backend))
const loadAtEnd = loadavg()[0]

const machine =
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${availableParallelism()} threads ` +
  `available; 1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end)`
console.log(`moodlens emotion-model candidates, ${machine}`)
for (const result of results) console.log(`\n${table(result)}`)

const run = {
  startedAt,
  node: process.version,
  cpu: cpus()[0]?.model ?? null,
  threads: availableParallelism(),
  loadAverage1m: { start: round2(loadAtStart), end: round2(loadAtEnd) },
  backends: results,
}
const previous =
  option('append', false) && existsSync(outFile)
    ? JSON.parse(readFileSync(outFile, 'utf8')).runs
    : []
writeFileSync(
  outFile,
  `${JSON.stringify(
    {
      note:
        'TF.js latency of the emotion-model candidates (random weights; the shipped model file as a ' +
        'check) through createEmotionClassifier().classify on faces at each input size, candidates ' +
        'interleaved call by call; ms per face are medians; ratios are to the shipped 64 px candidate ' +
        'in the same run. Made by packages/core/bench/candidates.mjs.',
      runs: [...previous, run],
    },
    null,
    1,
  )}\n`,
)
console.log(`\nwrote ${fileURLToPath(outFile)} (${previous.length + 1} run(s))`)
