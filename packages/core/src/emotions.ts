// The emotion vocabulary and the circumplex table live in @moodlens/recommender, which has no
// dependencies, so the detector and the recommender share one definition instead of two copies.
export {
  EMOTION_COORDINATES,
  EMOTIONS,
  isEmotion,
  valenceArousal,
  type Emotion,
  type EmotionCoordinates,
  type EmotionProbabilities,
  type ValenceArousal,
} from '@moodlens/recommender'
