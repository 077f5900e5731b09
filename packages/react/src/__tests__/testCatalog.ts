import { createCatalog, type Catalog } from '@moodlens/recommender'

export interface TestSong {
  readonly id: string
  readonly title: string
  readonly valence: number
  readonly energy: number
  readonly acousticness: number
  readonly tempo: number
}

/** 48 songs spread over valence x energy x acousticness, so every mood has clear favourites. */
export function createTestCatalog(): Catalog<TestSong> {
  const songs: TestSong[] = []
  for (let v = 0; v < 4; v++) {
    for (let e = 0; e < 4; e++) {
      for (let a = 0; a < 3; a++) {
        songs.push({
          id: `song-${v}${e}${a}`,
          title: `Song ${v}${e}${a}`,
          valence: 0.1 + v * 0.27,
          energy: 0.1 + e * 0.27,
          acousticness: 0.1 + a * 0.4,
          tempo: 80 + e * 25 + a,
        })
      }
    }
  }
  return createCatalog(songs, { features: ['valence', 'energy', 'acousticness', 'tempo'] })
}
