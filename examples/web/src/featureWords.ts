/** Audio features in words a listener knows. */
export const FEATURE_WORDS: Readonly<Record<string, string>> = {
  valence: 'positivity',
  energy: 'energy',
  danceability: 'danceability',
  acousticness: 'acoustic sound',
  loudness: 'loudness',
  tempo: 'tempo',
  instrumentalness: 'instrumental',
  speechiness: 'spoken words',
  liveness: 'live feel',
  mode: 'major key',
}

/** `feature` in words, or the feature's own name when it has none. */
export function featureWord(feature: string): string {
  return FEATURE_WORDS[feature] ?? feature
}
