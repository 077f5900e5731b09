import { beforeAll, describe, expect, it } from 'vitest'
import { SPOTIFY_SONGS_CSV } from './__tests__/sharedCatalogue.ts'
import { createCatalog, type Catalog } from './createCatalog.ts'
import type { CsvTrack } from './createCatalogCsvParser.ts'
import { createMoodJourney } from './createMoodJourney.ts'
import type { Emotion } from './emotions.ts'
import { SPOTIFY_FEATURES } from './featureSpecs.ts'
import { moodTarget } from './moodTarget.ts'
import { readCatalogCsv } from './readCatalogCsv.ts'
import { recommend } from './recommend.ts'
import type { RecommendTarget } from './resolveQuery.ts'

// The offline evaluation of docs/recommender-evaluation.md: does the default mood mapping move
// the top 20 of the real catalogue the way the circumplex says? Differences are in standard
// deviations of the catalogue, so "above" means clearly above, not by noise.

const K = 20
let tracks: CsvTrack[]
let catalog: Catalog<CsvTrack>

beforeAll(async () => {
  tracks = (await readCatalogCsv(SPOTIFY_SONGS_CSV)).tracks
  catalog = createCatalog(tracks)
})

const mean = (list: readonly CsvTrack[], column: string) =>
  list.reduce((sum, t) => sum + (t[column] as number), 0) / list.length
const sd = (list: readonly CsvTrack[], column: string) => {
  const m = mean(list, column)
  return Math.sqrt(list.reduce((sum, t) => sum + ((t[column] as number) - m) ** 2, 0) / list.length)
}

/** How far the top 20's mean is from the catalogue mean, in catalogue standard deviations. */
function shift(target: RecommendTarget, column: string, from: Catalog<CsvTrack> = catalog): number {
  const top = recommend(from, target, { k: K }).map((r) => r.track)
  return (mean(top, column) - mean(tracks, column)) / sd(tracks, column)
}

describe('offline evaluation on the shared Spotify catalogue (28,356 tracks)', () => {
  const expectations: [Emotion, { valence: number; energy: number; tempo: number }][] = [
    // sign of the expected shift: valence follows V, energy and tempo follow A
    ['happy', { valence: 1, energy: 1, tempo: 1 }],
    ['surprise', { valence: 1, energy: 1, tempo: 1 }],
    ['angry', { valence: -1, energy: 1, tempo: 1 }],
    ['disgust', { valence: -1, energy: 1, tempo: 1 }],
    ['fear', { valence: -1, energy: 1, tempo: 1 }],
    ['sad', { valence: -1, energy: -1, tempo: -1 }],
  ]

  it.each(expectations)(
    '%s moves valence, energy and tempo the circumplex way',
    (emotion, signs) => {
      for (const [column, sign] of Object.entries(signs)) {
        const z = shift(emotion, column)
        // valence and energy by at least half a standard deviation; tempo, a weaker cue, by 0.15
        expect(sign * z).toBeGreaterThan(column === 'tempo' ? 0.15 : 0.5)
      }
    },
  )

  it('orders the moods on valence as the circumplex does', () => {
    expect(shift('happy', 'valence')).toBeGreaterThan(shift('surprise', 'valence'))
    expect(shift('surprise', 'valence')).toBeGreaterThan(shift('angry', 'valence'))
    expect(shift('angry', 'valence')).toBeGreaterThan(shift('sad', 'valence'))
  })

  it('keeps neutral at the typical track', () => {
    for (const column of ['valence', 'energy', 'tempo'])
      expect(Math.abs(shift('neutral', column))).toBeLessThan(0.15)
  })

  it("'uplift' lifts every negative mood's valence above its 'match'", () => {
    for (const emotion of ['angry', 'disgust', 'fear', 'sad'] as const) {
      const uplift = shift(moodTarget(emotion, { strategy: 'uplift' }), 'valence')
      expect(uplift).toBeGreaterThan(shift(emotion, 'valence') + 1)
    }
  })

  it('walks a sad listener to happy music over a journey', () => {
    const journey = createMoodJourney(catalog, { from: 'sad', to: 'happy', length: 9 })
    const valence = journey.map((step) => step.track['valence'] as number)
    expect(valence.slice(0, 3).reduce((a, b) => a + b) / 3).toBeLessThan(
      mean(tracks, 'valence') - 0.15,
    )
    expect(valence.slice(6).reduce((a, b) => a + b) / 3).toBeGreaterThan(
      mean(tracks, 'valence') + 0.15,
    )
  })

  it('needs centring: without it, cosine puts sad music above the mean energy', () => {
    const uncentred = createCatalog(tracks, {
      features: Object.values(SPOTIFY_FEATURES).map((spec) => ({
        ...spec,
        normalization: 'minmax' as const,
      })),
      center: false,
    })
    expect(shift('sad', 'energy', uncentred)).toBeGreaterThan(0)
    expect(shift('sad', 'energy')).toBeLessThan(-0.5)
    // and its scores barely separate the tracks
    const scores = recommend(uncentred, 'sad', { k: 1000 }).map((r) => r.score)
    expect(scores[0]! - scores[999]!).toBeLessThan(0.05)
  })
})
