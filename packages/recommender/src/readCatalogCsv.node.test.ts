import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SPOTIFY_SONGS_CSV } from './__tests__/sharedCatalogue.ts'
import { createCatalog } from './createCatalog.ts'
import { DEFAULT_FEATURES } from './featureSpecs.ts'
import { parseCatalogCsv } from './parseCatalogCsv.ts'
import { readCatalogCsv } from './readCatalogCsv.ts'

describe('readCatalogCsv on the shared Spotify catalogue', () => {
  it('reads all 32,833 rows, keeping the 28,356 unique track ids', async () => {
    const result = await readCatalogCsv(SPOTIFY_SONGS_CSV)
    expect(result.rows).toBe(32_833)
    expect(result.tracks).toHaveLength(28_356)
    expect(result.duplicates).toHaveLength(32_833 - 28_356)
    expect(result.errors).toEqual([])
    expect(result.columns).toHaveLength(23)
    expect(result.tracks[0]).toMatchObject({
      id: '6f807x0ima9a1j3VPbc7VN',
      track_name: "I Don't Care (with Justin Bieber) - Loud Luxury Remix",
      track_artist: 'Ed Sheeran',
      danceability: 0.748,
      energy: 0.916,
      loudness: -2.634,
      mode: 1,
      tempo: 122.036,
      duration_ms: 194_754,
      track_popularity: 66,
    })
    const nonFinite = result.tracks.flatMap((track) =>
      DEFAULT_FEATURES.filter((feature) => !Number.isFinite(track[feature])).map(
        (f) => `${track.id}.${f}`,
      ),
    )
    expect(nonFinite).toEqual([])
    // duplicates point back at the first line that had the id
    const first = new Map(result.tracks.map((t, i) => [t.id, i]))
    for (const duplicate of result.duplicates.slice(0, 100)) {
      expect(first.has(duplicate.id)).toBe(true)
      expect(duplicate.firstLine).toBeLessThan(duplicate.line)
    }
  })

  it('streams to exactly what parsing the whole text gives', async () => {
    const streamed = await readCatalogCsv(SPOTIFY_SONGS_CSV)
    const whole = parseCatalogCsv(readFileSync(SPOTIFY_SONGS_CSV, 'utf8'))
    expect(streamed).toEqual(whole)
  })

  it('builds a catalogue with nothing to report', async () => {
    const { tracks } = await readCatalogCsv(SPOTIFY_SONGS_CSV)
    const catalog = createCatalog(tracks)
    expect(catalog.size).toBe(28_356)
    expect(catalog.issues).toEqual([])
    const valence = catalog.features.find((f) => f.name === 'valence')!
    expect(valence.mean).toBeCloseTo(0.5104, 4)
    expect(valence.std).toBeCloseTo(0.2343, 4)
  })

  it("fails with Node's error for a missing file", async () => {
    await expect(readCatalogCsv(`${SPOTIFY_SONGS_CSV}.missing`)).rejects.toMatchObject({
      code: 'ENOENT',
    })
  })

  it('can be aborted', async () => {
    await expect(
      readCatalogCsv(SPOTIFY_SONGS_CSV, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    })
  })
})
