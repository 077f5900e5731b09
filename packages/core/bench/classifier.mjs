// Emotion-classifier latency over the built package (run `npm run build` first):
//   npm run bench -w @moodlens/core        (or: node packages/core/bench/classifier.mjs)
// Per face, end to end through `classify` (preprocessing, one batched run of the model, reading
// the logits back, softmax), for batches of 1 and 8, on Node's wasm and cpu backends. Each figure
// is the median of RUNS timed calls after WARM_UP untimed ones, as wall-clock time and as this
// process's CPU time (which other processes on a shared machine inflate far less: every backend
// here runs on one thread); ratios compare against cpu measured in the same run.
import { availableParallelism, cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createEmotionClassifier } from '../dist/index.js'
import { median, seededFaces } from './benchFaces.js'

const BACKENDS = ['wasm', 'cpu']
const BATCHES = [1, 8]
const WARM_UP = 10
const RUNS = { wasm: 200, cpu: 30 }

// Other processes on the machine inflate every figure: the load is printed with the results.
const loadAtStart = loadavg()[0]
const results = new Map()
for (const backend of BACKENDS) {
  const classifier = await createEmotionClassifier({ backend })
  for (const batch of BATCHES) {
    const faces = seededFaces(batch, classifier.inputSize)
    for (let i = 0; i < WARM_UP; i++) await classifier.classify(faces)
    const times = []
    const cpuTimes = []
    for (let i = 0; i < RUNS[backend]; i++) {
      const start = performance.now()
      const cpuStart = process.cpuUsage()
      await classifier.classify(faces)
      const cpu = process.cpuUsage(cpuStart)
      times.push(performance.now() - start)
      cpuTimes.push((cpu.user + cpu.system) / 1000)
    }
    results.set(`${backend}/${batch}`, {
      perFace: median(times) / batch,
      cpuPerFace: median(cpuTimes) / batch,
      runs: times.length,
    })
  }
  classifier.dispose()
}

console.log(
  `moodlens emotion classifier, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ` +
    `(${availableParallelism()} threads available; 1-minute load average ${loadAtStart.toFixed(1)} ` +
    `at start, ${loadavg()[0].toFixed(1)} at end)`,
)
console.log('backend  batch  ms/face (median)  CPU ms/face (median)  runs  vs cpu')
for (const backend of BACKENDS) {
  for (const batch of BATCHES) {
    const { perFace, cpuPerFace, runs } = results.get(`${backend}/${batch}`)
    const ratio = results.get(`cpu/${batch}`).perFace / perFace
    console.log(
      `${backend.padEnd(7)}  ${String(batch).padStart(5)}  ${perFace.toFixed(2).padStart(16)}  ` +
        `${cpuPerFace.toFixed(2).padStart(20)}  ${String(runs).padStart(4)}  ` +
        `${backend === 'cpu' ? 'baseline' : `${ratio.toFixed(1)}x faster`}`,
    )
  }
}
