import { seededRandom as createRandom } from '../../../../scripts/seededRandom.mjs'

export { createRandom }

export interface TestTrack {
  readonly id: string
  readonly [feature: string]: number | string
}

/**
 * `count` tracks with ids `t0`, `t1`... and the given features. With `levels`, values are drawn
 * from that many evenly spaced levels in [0, 1], so that many rows tie exactly.
 */
export function randomTracks(
  seed: number,
  count: number,
  features: readonly string[],
  levels?: number,
): TestTrack[] {
  const random = createRandom(seed)
  return Array.from({ length: count }, (_, i) => {
    const track: Record<string, number | string> = { id: `t${i}` }
    for (const feature of features) {
      const value = random()
      track[feature] = levels === undefined ? value : Math.floor(value * levels) / (levels - 1 || 1)
    }
    return track as TestTrack
  })
}

/** Spotify-like tracks: the ten default features with plausible ranges. */
export function spotifyLikeTracks(seed: number, count: number): TestTrack[] {
  const random = createRandom(seed)
  return Array.from({ length: count }, (_, i) => ({
    id: `s${i}`,
    title: `Song ${i}`,
    valence: random(),
    energy: random(),
    danceability: random(),
    acousticness: random() ** 2,
    instrumentalness: random() ** 4,
    speechiness: random() ** 3,
    liveness: random() ** 2,
    loudness: -30 + 28 * random(),
    tempo: 60 + 120 * random(),
    mode: random() < 0.6 ? 1 : 0,
  }))
}
