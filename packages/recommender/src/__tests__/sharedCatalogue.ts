import { fileURLToPath } from 'node:url'

/** The shared Spotify catalogue (`../shared/data/music` from the project root). Node tests only. */
export const SPOTIFY_SONGS_CSV: string = fileURLToPath(
  new URL('../../../../../shared/data/music/spotify_songs.csv', import.meta.url),
)
