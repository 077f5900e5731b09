import { describe, expect, it } from 'vitest'
import { spotifyLikeTracks } from './__tests__/randomTracks.ts'
import { createCatalog } from './createCatalog.ts'
import { parseCatalogCsv } from './parseCatalogCsv.ts'
import { parseCatalogCsvStream } from './parseCatalogCsvStream.ts'
import { recommend } from './recommend.ts'

// Runs in real Chromium: the web platform's own streams feed the parser, as a page would.
const columns = [
  'id',
  'title',
  'valence',
  'energy',
  'danceability',
  'acousticness',
  'loudness',
  'tempo',
]
const tracks = spotifyLikeTracks(3, 3000)
const csv = [
  columns.join(','),
  ...tracks.map((t) =>
    columns.map((c) => (c === 'title' ? `"${String(t[c])}, live"` : String(t[c]))).join(','),
  ),
].join('\r\n')

describe('parseCatalogCsvStream in the browser', () => {
  it("reads fetch's response body", async () => {
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }))
    try {
      const response = await fetch(url)
      const result = await parseCatalogCsvStream(response.body!)
      expect(result).toEqual(parseCatalogCsv(csv))
      expect(result.tracks).toHaveLength(3000)
      expect(result.tracks[0]!['title']).toBe('Song 0, live')
    } finally {
      URL.revokeObjectURL(url)
    }
  })

  it('reads a gzip-compressed file through DecompressionStream and TextDecoderStream', async () => {
    const gzipped = new Blob([csv]).stream().pipeThrough(new CompressionStream('gzip'))
    const text = gzipped
      .pipeThrough(new DecompressionStream('gzip'))
      .pipeThrough(new TextDecoderStream())
    const result = await parseCatalogCsvStream(text)
    expect(result.tracks).toHaveLength(3000)
    const catalog = createCatalog(result.tracks, {
      features: ['valence', 'energy', 'danceability', 'acousticness', 'loudness', 'tempo'],
    })
    const top = recommend(catalog, 'happy', { k: 10 }).map((r) => r.track['valence'] as number)
    expect(top.reduce((a, b) => a + b) / 10).toBeGreaterThan(0.7)
  })
})
