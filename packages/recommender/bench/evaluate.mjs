// Offline evaluation of the default mood mapping on the shared Spotify catalogue: for each
// emotion, the mean valence, energy and tempo of the top 20 tracks against the catalogue mean.
// Run after `npx tsdown`: `node bench/evaluate.mjs [path/to/spotify_songs.csv]`.
import { fileURLToPath } from 'node:url'
import {
  EMOTIONS,
  SPOTIFY_FEATURES,
  createCatalog,
  createMoodJourney,
  moodTarget,
  recommend,
} from '../dist/index.js'
import { readCatalogCsv } from '../dist/node.js'

const path =
  process.argv[2] ??
  fileURLToPath(new URL('../../../../shared/data/music/spotify_songs.csv', import.meta.url))
const K = 20
const COLUMNS = ['valence', 'energy', 'tempo']

const { tracks, errors, duplicates, rows } = await readCatalogCsv(path)
console.log(
  `catalogue: ${rows} rows, ${tracks.length} unique tracks, ${duplicates.length} repeated ids, ${errors.length} bad rows`,
)

const mean = (list, column) => list.reduce((sum, track) => sum + track[column], 0) / list.length
const sd = (list, column) => {
  const m = mean(list, column)
  return Math.sqrt(list.reduce((sum, track) => sum + (track[column] - m) ** 2, 0) / list.length)
}
const base = Object.fromEntries(COLUMNS.map((c) => [c, mean(tracks, c)]))
const spread = Object.fromEntries(COLUMNS.map((c) => [c, sd(tracks, c)]))
const fmt = (value, column) => (column === 'tempo' ? value.toFixed(1) : value.toFixed(3))
const delta = (value, column) => {
  const z = (value - base[column]) / spread[column]
  return `${z >= 0 ? '+' : '−'}${Math.abs(z).toFixed(2)} sd`
}

function table(catalog, title, target = (emotion) => emotion) {
  console.log(`\n${title}\n`)
  console.log(`| mood | ${COLUMNS.map((c) => `${c} (top ${K})`).join(' | ')} | mean score |`)
  console.log(`| --- | ${COLUMNS.map(() => '---').join(' | ')} | --- |`)
  console.log(
    `| catalogue mean | ${COLUMNS.map((c) => `${fmt(base[c], c)} (sd ${fmt(spread[c], c)})`).join(' | ')} | |`,
  )
  for (const emotion of EMOTIONS) {
    const results = recommend(catalog, target(emotion), { k: K })
    const top = results.map((r) => r.track)
    const score = results.reduce((sum, r) => sum + r.score, 0) / results.length
    console.log(
      `| ${emotion} | ${COLUMNS.map((c) => `${fmt(mean(top, c), c)} (${delta(mean(top, c), c)})`).join(' | ')} | ${score.toFixed(3)} |`,
    )
  }
}

// The evidence the default mapping's catalogue-derived directions rest on (docs/mood-profile.md).
const correlation = (a, b) => {
  const [ma, mb, sa, sb] = [mean(tracks, a), mean(tracks, b), sd(tracks, a), sd(tracks, b)]
  return tracks.reduce((sum, t) => sum + (t[a] - ma) * (t[b] - mb), 0) / tracks.length / sa / sb
}
const FEATURES = ['valence', 'energy', 'danceability', 'acousticness', 'loudness', 'tempo', 'mode']
console.log('\nPearson correlations in the catalogue\n')
console.log(`| with | ${FEATURES.join(' | ')} |`)
console.log(`| --- | ${FEATURES.map(() => '---').join(' | ')} |`)
for (const axis of ['valence', 'energy']) {
  console.log(`| ${axis} | ${FEATURES.map((f) => correlation(axis, f).toFixed(2)).join(' | ')} |`)
}

const catalog = createCatalog(tracks)
table(catalog, "Default catalogue (z-scores, centred), strategy 'match'")
table(catalog, "Default catalogue, strategy 'uplift' (goal happy, step 0.5)", (emotion) =>
  moodTarget(emotion, { strategy: 'uplift' }),
)
console.log(
  "\nA journey from 'sad' to 'happy' (length 10, default smoothness 0.3), track by track\n",
)
console.log(
  '| step | target valence | target energy | track valence | track energy | tempo | score |',
)
console.log('| --- | --- | --- | --- | --- | --- | --- |')
for (const [i, step] of createMoodJourney(catalog, {
  from: 'sad',
  to: 'happy',
  length: 10,
}).entries()) {
  const t = step.target.features
  console.log(
    `| ${i} | ${t.valence.toFixed(2)} | ${t.energy.toFixed(2)} | ${step.track.valence.toFixed(3)} | ${step.track.energy.toFixed(3)} | ${step.track.tempo.toFixed(1)} | ${step.score.toFixed(3)} |`,
  )
}
console.log('\nThe same journey with other smoothness values\n')
console.log(
  '| smoothness | track valence, step by step | track energy, step by step | mean score |',
)
console.log('| --- | --- | --- | --- |')
for (const smoothness of [0, 0.3, 0.5, 0.7]) {
  const steps = createMoodJourney(catalog, { from: 'sad', to: 'happy', length: 10, smoothness })
  const series = (column) => steps.map((step) => step.track[column].toFixed(2)).join(' ')
  const score = steps.reduce((sum, step) => sum + step.score, 0) / steps.length
  console.log(
    `| ${smoothness} | ${series('valence')} | ${series('energy')} | ${score.toFixed(3)} |`,
  )
}

const uncentred = createCatalog(tracks, {
  features: Object.values(SPOTIFY_FEATURES).map((spec) => ({ ...spec, normalization: 'minmax' })),
  center: false,
})
table(
  uncentred,
  'For comparison: min-max scaling without centring (all vectors in the positive orthant)',
)
