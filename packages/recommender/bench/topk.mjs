// Exact top-k over 1,000,000 tracks x 12 features: the library against the naive baseline (array
// of objects, score everything, sort) in the same run, the memory-bandwidth bound, catalogue
// build time and memory, and recommendMany's amortisation. Synthetic data from a seeded PRNG.
//
//   npx tsdown && node --expose-gc bench/topk.mjs      (or: npm run bench)
//
// Timing is not asserted anywhere; tests check correctness. Figures go to docs/recommender.md.
import { cpus, loadavg } from 'node:os'
import { seededRandom } from '../../../scripts/seededRandom.mjs'
import { createCatalog, recommend, recommendMany } from '../dist/index.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const D = 12
const K = 20
const QUERIES = 100
const NAIVE_RUNS = 5
const MANY = 100
const MB = 1e6

const features = Array.from({ length: D }, (_, j) => `f${j}`)
const gc = globalThis.gc ?? (() => {})

const random = seededRandom(20_241_101)
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}
const time = (run) => {
  const start = performance.now()
  const result = run()
  return [performance.now() - start, result]
}
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`
/**
 * A full collection, then a pause: V8 sweeps on background threads after a collection, and on two
 * cores that work would otherwise compete with whatever is timed next.
 */
const settle = async () => {
  gc()
  await new Promise((resolve) => setTimeout(resolve, 500))
}

console.log(
  `node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
console.log(`${ROWS.toLocaleString('en')} tracks x ${D} features, k = ${K}\n`)

// --- Data: correlated Gaussian features, as audio features are.
const tracks = new Array(ROWS)
for (let i = 0; i < ROWS; i++) {
  const mood = gaussian()
  const track = { id: `track-${i}` }
  for (let j = 0; j < D; j++) track[features[j]] = 0.5 * mood * ((j % 3) - 1) + gaussian()
  tracks[i] = track
}
gc()
const before = process.memoryUsage()
const peakBefore = process.resourceUsage().maxRSS * 1024

// --- Build.
const [buildMs, catalog] = time(() => createCatalog(tracks, { features }))
const peakAfter = process.resourceUsage().maxRSS * 1024
gc()
const after = process.memoryUsage()
const matrixBytes = ROWS * D * 4
const vectorBytes = catalog.vectors.buffer.byteLength + ROWS * 4 // matrix memory + row norms
let slots = 1
while (slots < 2 * ROWS) slots *= 2
const indexBytes = slots * 8
const trackListBytes = ROWS * 8
console.log('catalogue build')
console.log(`  time                      ${buildMs.toFixed(0)} ms`)
console.log(
  `  peak RSS                  ${mb(peakAfter)} (before building: ${mb(peakBefore)}, so the build added ${mb(Math.max(0, peakAfter - peakBefore))} at peak)`,
)
console.log(`  raw float32 matrix        ${mb(matrixBytes)} (${ROWS} x ${D} x 4 bytes)`)
console.log(
  `  vector storage            ${mb(vectorBytes)} = ${(vectorBytes / matrixBytes).toFixed(3)}x the matrix (WebAssembly memory incl. scratch, + row norms)`,
)
console.log(
  `  metadata                  ${mb(indexBytes)} id index + ${mb(trackListBytes)} track list = ${mb(indexBytes + trackListBytes)}`,
)
console.log(
  `  measured after GC         heap +${mb(after.heapUsed - before.heapUsed)}, external (typed arrays, WebAssembly memory) +${mb(after.external - before.external)}, RSS +${mb(after.rss - before.rss)}`,
)

// --- Queries: random directions in z-score space. With every feature z-scored at weight 1, the
// catalogue's query vector is simply the target scaled to unit length, which the naive baseline
// below uses too.
const targets = Array.from({ length: Math.max(QUERIES, MANY) }, () => {
  const values = features.map(() => gaussian())
  return { features: Object.fromEntries(features.map((f, j) => [f, values[j]])) }
})
const unit = (target) => {
  const q = features.map((f) => target.features[f])
  const norm = Math.hypot(...q)
  return q.map((v) => v / norm)
}

await settle()
// Warm-up after settling: the first queries after a pause run several times slower (cold caches).
for (let i = 0; i < 10; i++) recommend(catalog, targets[i], { k: K })
const fastTimes = targets
  .slice(0, QUERIES)
  .map((target) => time(() => recommend(catalog, target, { k: K }))[0])
const fastMs = median(fastTimes)

// --- Naive baseline: an array of objects holding the same unit vectors; score all, sort all.
const objects = tracks.map((track, i) => {
  const row = { id: track.id }
  for (let j = 0; j < D; j++) row[features[j]] = catalog.vectors[i * D + j]
  return row
})
function naive(target) {
  const q = unit(target)
  const scored = objects.map((row) => {
    let score = 0
    for (let j = 0; j < D; j++) score += row[features[j]] * q[j]
    return { id: row.id, score }
  })
  scored.sort((a, b) => b.score - a.score)
  return scored.slice(0, K)
}
naive(targets[0]) // warm-up
const naiveRuns = targets.slice(0, NAIVE_RUNS).map((target) => time(() => naive(target)))
const naiveMs = median(naiveRuns.map(([ms]) => ms))
const agree = naiveRuns.every(([, top], i) => {
  const ours = recommend(catalog, targets[i], { k: K }).map((r) => r.id)
  return top.every((entry, rank) => entry.id === ours[rank])
})

// --- Memory-bandwidth bound: the scan reads the float32 matrix once per query.
const source = catalog.vectors
const copy = new Float32Array(source.length)
copy.set(source)
// The fastest of 25 copies: other processes can only slow a copy down, never speed it up.
const copyMs = Math.min(...Array.from({ length: 25 }, () => time(() => copy.set(source))[0]))
const copyBandwidth = (2 * source.byteLength) / (copyMs / 1000) // bytes read + written per second
const boundMs = (source.byteLength / copyBandwidth) * 1000

console.log('\nexact top-20, one query (median of', QUERIES, 'queries)')
console.log(
  `  moodlens recommend        ${fastMs.toFixed(2)} ms (fastest ${Math.min(...fastTimes).toFixed(2)} ms)`,
)
console.log(`  naive (objects + sort)    ${naiveMs.toFixed(0)} ms (median of ${NAIVE_RUNS})`)
console.log(`  speed-up                  ${(naiveMs / fastMs).toFixed(0)}x`)
console.log(`  same top 20 as naive      ${agree ? 'yes' : 'NO'}`)
console.log(
  `  copy bandwidth            ${(copyBandwidth / 1e9).toFixed(1)} GB/s (read + write; a ${mb(source.byteLength)} Float32Array.set in ${copyMs.toFixed(2)} ms, fastest of 25)`,
)
console.log(
  `  bandwidth bound           ${boundMs.toFixed(2)} ms (${mb(source.byteLength)} scanned / copy bandwidth); recommend is ${(fastMs / boundMs).toFixed(2)}x the bound`,
)

// --- The pure-JS kernel, as on a platform without WebAssembly SIMD (or a page whose
// Content-Security-Policy forbids compiling WebAssembly): hide WebAssembly, build again.
const { WebAssembly: wasm } = globalThis
globalThis.WebAssembly = undefined
const jsCatalog = createCatalog(tracks, { features })
globalThis.WebAssembly = wasm
for (let i = 0; i < 3; i++) recommend(jsCatalog, targets[i], { k: K })
const jsMs = median(
  targets.slice(0, 15).map((target) => time(() => recommend(jsCatalog, target, { k: K }))[0]),
)
const jsAgrees = targets
  .slice(0, 5)
  .every((target) =>
    recommend(jsCatalog, target, { k: K }).every(
      (r, rank) => r.id === recommend(catalog, target, { k: K })[rank]?.id,
    ),
  )
console.log(
  `  JS kernel, no WebAssembly ${jsMs.toFixed(2)} ms (median of 15; same top 20: ${jsAgrees ? 'yes' : 'NO'})`,
)

// --- recommendMany: one pass for many targets against the same number of single calls.
const many = targets.slice(0, MANY)
await settle()
recommendMany(catalog, many.slice(0, 10), { k: K }) // warm-up
for (let i = 0; i < 10; i++) recommend(catalog, many[i], { k: K })
// Interleaved, so that a change in machine load hits both sides alike.
const manyTimes = []
const singleTimes = []
for (let round = 0; round < 5; round++) {
  manyTimes.push(time(() => recommendMany(catalog, many, { k: K }))[0])
  singleTimes.push(time(() => many.map((target) => recommend(catalog, target, { k: K })))[0])
}
const manyMs = median(manyTimes)
const singleMs = median(singleTimes)
const batch = recommendMany(catalog, many.slice(0, 5), { k: K })
const batchAgrees = batch.every((list, t) => {
  const single = recommend(catalog, many[t], { k: K })
  return list.every((r, rank) => r.id === single[rank]?.id)
})
console.log(`\n${MANY} targets (median of 5 interleaved rounds)`)
console.log(
  `  recommendMany             ${manyMs.toFixed(0)} ms (${(manyMs / MANY).toFixed(2)} ms per target)`,
)
console.log(`  ${MANY} x recommend           ${singleMs.toFixed(0)} ms`)
console.log(`  ratio                     ${(singleMs / manyMs).toFixed(2)}x faster batched`)
console.log(`  same results              ${batchAgrees ? 'yes' : 'NO'}`)
