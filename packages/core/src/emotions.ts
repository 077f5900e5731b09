// The emotion vocabulary and the circumplex table live in @moodlens/recommender, which has no
// dependencies, so the detector and the recommender share one definition instead of two copies.
// `valenceArousal` rejects a malformed distribution with the recommender's errors: exported too.
export {
  EMOTION_COORDINATES,
  EMOTIONS,
  InvalidOptionError,
  isEmotion,
  RecommenderError,
  valenceArousal,
  type Emotion,
  type EmotionCoordinates,
  type EmotionProbabilities,
  type ValenceArousal,
} from '@moodlens/recommender'
