export { createCatalog } from './createCatalog.ts'
export type {
  Catalog,
  CatalogFeature,
  CatalogIssue,
  CatalogOptions,
  CatalogTrack,
  MissingValuePolicy,
} from './createCatalog.ts'
export {
  createCatalogCsvParser,
  DEFAULT_NUMERIC_COLUMNS,
  type CatalogCsvOptions,
  type CatalogCsvParser,
  type CatalogCsvResult,
  type CsvDuplicate,
  type CsvRowError,
  type CsvTrack,
} from './createCatalogCsvParser.ts'
export {
  createMoodJourney,
  DEFAULT_JOURNEY_SMOOTHNESS,
  type MoodJourneyOptions,
  type MoodJourneyStep,
} from './createMoodJourney.ts'
export { EMOTION_COORDINATES, type EmotionCoordinates } from './emotionCoordinates.ts'
export { EMOTIONS, isEmotion, type Emotion, type EmotionProbabilities } from './emotions.ts'
export {
  DEFAULT_FEATURES,
  SPOTIFY_FEATURES,
  type FeatureSpec,
  type Normalization,
  type SpotifyFeature,
} from './featureSpecs.ts'
export { InvalidOptionError } from './InvalidOptionError.ts'
export {
  createMoodProfile,
  DEFAULT_FEATURE_MAPPING,
  DEFAULT_MOOD_PROFILE,
  type FeatureMapping,
  type FeatureTargets,
  type MoodProfile,
  type MoodProfileOptions,
} from './moodProfile.ts'
export {
  DEFAULT_MOOD_TARGET_OPTIONS,
  moodTarget,
  type MoodStrategy,
  type MoodTarget,
  type MoodTargetOptions,
} from './moodTarget.ts'
export { parseCatalogCsv } from './parseCatalogCsv.ts'
export {
  parseCatalogCsvStream,
  type CatalogCsvStreamOptions,
  type CsvSource,
} from './parseCatalogCsvStream.ts'
export type {
  DiversityOptions,
  FeatureContribution,
  FeatureRange,
  RankingOptions,
  Recommendation,
  TrackFilter,
  TrackPredicate,
} from './rankCatalog.ts'
export { DEFAULT_K, recommend, type RecommendOptions } from './recommend.ts'
export { recommendMany } from './recommendMany.ts'
export { RecommenderError, type RecommenderErrorCode } from './RecommenderError.ts'
export type { RecommendTarget } from './resolveQuery.ts'
export {
  createTasteProfile,
  DEFAULT_TASTE_PROFILE_OPTIONS,
  TasteProfile,
  type Feedback,
  type FeedbackSignal,
  type TasteProfileJSON,
  type TasteProfileOptions,
} from './TasteProfile.ts'
export { toEmotionProbabilities, type MoodInput } from './toEmotionProbabilities.ts'
export { moodCoordinates, valenceArousal, type ValenceArousal } from './valenceArousal.ts'
