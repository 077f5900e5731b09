export * from './emotions.ts'
export { MoodlensError, type MoodlensErrorCode } from './MoodlensError.ts'
export { rgbaToGrey, type GreyImage, type RgbaImage } from './rgbaToGrey.ts'
export type { EmotionClassifierBackend, WasmPaths } from './activateBackend.ts'
export {
  createEmotionClassifier,
  DEFAULT_EMOTION_BACKEND,
  defaultEmotionModelUrl,
  type EmotionClassification,
  type EmotionClassifier,
  type EmotionClassifierOptions,
} from './createEmotionClassifier.ts'
export type {
  EmotionModelArtifacts,
  EmotionModelHandler,
  EmotionModelSource,
} from './loadEmotionModelFiles.ts'
export type { EmotionClassifierFace, GreyFace } from './preprocessFaces.ts'
export type {
  DetectOptions,
  DetectorBackend,
  DetectorInput,
  EmotionDetector,
  FaceBox,
  FaceEmotion,
  FaceKeypoint,
  FaceKeypointName,
} from './EmotionDetector.ts'
export type { TilingMode } from './EmotionDetector.ts'
export {
  createEmotionDetector,
  DEFAULT_FACE_MODEL,
  DEFAULT_MAX_FACES,
  DEFAULT_MAX_PIXELS,
  DEFAULT_TILING,
  type EmotionDetectorModels,
  type EmotionDetectorOptions,
} from './createEmotionDetector.ts'
export { DEFAULT_DETECTOR_BACKEND, type DetectorBackendName } from './resolveDetectorBackend.ts'
export { defaultFaceModelUrl, type FaceModelSource, type FaceModelType } from './loadFaceModel.ts'
export {
  createEmotionTracker,
  DEFAULT_IOU_THRESHOLD,
  DEFAULT_MAX_MISSED_MS,
  DEFAULT_MIN_STABLE_MS,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_SMOOTHING_HALF_LIFE_MS,
  DEFAULT_TRACKER_MAX_FPS,
  type EmotionTracker,
  type EmotionTrackerOptions,
  type EmotionTrackerSnapshot,
  type FrameSource,
  type TrackedFace,
} from './createEmotionTracker.ts'
