import type { CsvTrack } from '@moodlens/recommender'
import { FEATURE_NAMES } from './schemas.ts'

/** A track's audio features, as the API carries them. */
export type TrackFeatures = Record<(typeof FEATURE_NAMES)[number], number>

/** A track as the API returns and accepts it. */
export interface Track {
  readonly id: string
  readonly name: string
  readonly artist: string
  readonly album: string
  readonly releaseDate: string
  readonly genre: string
  readonly subgenre: string
  readonly popularity: number
  readonly durationMs: number
  readonly features: TrackFeatures
}

/** The columns of the tracks table, in the order {@link trackParams} lists their values. */
export const TRACK_COLUMNS: readonly string[] = [
  'id',
  'name',
  'artist',
  'album',
  'release_date',
  'genre',
  'subgenre',
  'popularity',
  'duration_ms',
  ...FEATURE_NAMES,
]

/** A row of the tracks table. */
export type TrackRow = Record<string, unknown>

/** The SELECT list that reads a track. */
export const TRACK_SELECT: string = TRACK_COLUMNS.join(', ')

/** Reads a tracks row into the API's shape. */
export function trackFromRow(row: TrackRow): Track {
  const features = Object.fromEntries(
    FEATURE_NAMES.map((name) => [name, Number(row[name])]),
  ) as TrackFeatures
  return {
    id: String(row['id']),
    name: String(row['name']),
    artist: String(row['artist']),
    album: String(row['album']),
    releaseDate: String(row['release_date']),
    genre: String(row['genre']),
    subgenre: String(row['subgenre']),
    popularity: Number(row['popularity']),
    durationMs: Number(row['duration_ms']),
    features,
  }
}

/** A track's values in {@link TRACK_COLUMNS} order, for an INSERT. */
export function trackParams(track: Track): unknown[] {
  return [
    track.id,
    track.name,
    track.artist,
    track.album,
    track.releaseDate,
    track.genre,
    track.subgenre,
    track.popularity,
    track.durationMs,
    ...FEATURE_NAMES.map((name) => track.features[name]),
  ]
}

const FEATURE_RANGES: Readonly<Record<(typeof FEATURE_NAMES)[number], readonly [number, number]>> =
  {
    danceability: [0, 1],
    energy: [0, 1],
    key: [-1, 11],
    loudness: [-60, 10],
    mode: [0, 1],
    speechiness: [0, 1],
    acousticness: [0, 1],
    instrumentalness: [0, 1],
    liveness: [0, 1],
    valence: [0, 1],
    tempo: [0, 300],
  }

/**
 * Turns a parsed Spotify-style CSV row into a track, or says why it cannot: the same limits as the
 * JSON schema of `POST /tracks`, so that an import cannot store what the API would refuse.
 */
export function trackFromCsv(row: CsvTrack): Track | string {
  const text = (column: string, max: number): string => {
    const value = row[column]
    return typeof value === 'string'
      ? value.slice(0, max)
      : value === undefined
        ? ''
        : String(value)
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(row.id))
    return `track id "${row.id.slice(0, 80)}" is not 1-64 letters, digits, _ or -`
  const features = {} as TrackFeatures
  for (const name of FEATURE_NAMES) {
    const value = row[name]
    const [min, max] = FEATURE_RANGES[name]
    if (typeof value !== 'number' || !(value >= min && value <= max)) {
      return `${name} must be a number from ${min} to ${max}`
    }
    if ((name === 'key' || name === 'mode') && !Number.isInteger(value))
      return `${name} must be a whole number`
    features[name] = value
  }
  const name = text('track_name', 200)
  const artist = text('track_artist', 200)
  if (name === '' || artist === '') return 'track_name and track_artist must not be empty'
  const popularity = Number(row['track_popularity'] ?? 0)
  const durationMs = Number(row['duration_ms'] ?? 0)
  const releaseDate = text('track_album_release_date', 10)
  return {
    id: row.id,
    name,
    artist,
    album: text('track_album_name', 200),
    releaseDate: /^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$/.test(releaseDate) ? releaseDate : '',
    genre: text('playlist_genre', 50),
    subgenre: text('playlist_subgenre', 50),
    popularity:
      Number.isInteger(popularity) && popularity >= 0 && popularity <= 100 ? popularity : 0,
    durationMs:
      Number.isInteger(durationMs) && durationMs >= 0 && durationMs <= 86_400_000 ? durationMs : 0,
    features,
  }
}
