// Builds examples/server/data/demo-catalogue.csv, the demo catalogue committed with the project:
// 500 tracks from each of the six playlist genres of the shared Spotify catalogue, chosen by a
// hash of the track id (so the choice is reproducible and independent of row order).
//   node scripts/make-demo-catalogue.mjs [path/to/spotify_songs.csv]
// Needs the built @moodlens/recommender (npm run build).
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { parseCatalogCsv } from '@moodlens/recommender'

const source =
  process.argv[2] ?? new URL('../../shared/data/music/spotify_songs.csv', import.meta.url)
const target = new URL('../examples/server/data/demo-catalogue.csv', import.meta.url)
const PER_GENRE = 500
const COLUMNS = [
  'track_id',
  'track_name',
  'track_artist',
  'track_popularity',
  'track_album_name',
  'track_album_release_date',
  'playlist_genre',
  'playlist_subgenre',
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
  'duration_ms',
]

const { tracks, errors, duplicates } = parseCatalogCsv(readFileSync(source, 'utf8'), {
  idColumn: 'track_id',
})
const byGenre = new Map()
for (const track of tracks) {
  const rank = createHash('sha256').update(track.id).digest('hex')
  const list = byGenre.get(track.playlist_genre) ?? []
  list.push({ rank, track })
  byGenre.set(track.playlist_genre, list)
}

const quote = (value) => {
  const text = String(value ?? '')
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
const lines = [COLUMNS.join(',')]
for (const genre of [...byGenre.keys()].sort()) {
  const chosen = byGenre
    .get(genre)
    .sort((a, b) => (a.rank < b.rank ? -1 : 1))
    .slice(0, PER_GENRE)
  for (const { track } of chosen) {
    lines.push(
      COLUMNS.map((column) => quote(column === 'track_id' ? track.id : track[column])).join(','),
    )
  }
}
writeFileSync(target, `${lines.join('\n')}\n`)
console.log(
  `read ${tracks.length} unique tracks (${errors.length} bad rows, ${duplicates.length} duplicates); ` +
    `wrote ${lines.length - 1} tracks to ${target.pathname}`,
)
