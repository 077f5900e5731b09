import type { Emotion } from '@moodlens/recommender'

/** A colour per emotion, shared by the bars, the timeline and the face boxes. */
export const EMOTION_COLORS: Readonly<Record<Emotion, string>> = {
  angry: '#d6453d',
  disgust: '#6f8f2f',
  fear: '#8a5cc2',
  happy: '#e9a91c',
  sad: '#3b7dd8',
  surprise: '#e0649b',
  neutral: '#7d8691',
}

/** How each emotion is shown to people (the model's labels are lower-case identifiers). */
export const EMOTION_LABELS: Readonly<Record<Emotion, string>> = {
  angry: 'Angry',
  disgust: 'Disgusted',
  fear: 'Afraid',
  happy: 'Happy',
  sad: 'Sad',
  surprise: 'Surprised',
  neutral: 'Neutral',
}
