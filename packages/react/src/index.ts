export { CameraError, type CameraErrorCode } from './CameraError.ts'
export {
  createCamera,
  type Camera,
  type CameraOptions,
  type CameraSnapshot,
  type CameraStatus,
} from './createCamera.ts'
export { useCamera, type UseCameraResult, type VideoRef } from './useCamera.ts'
export { useExternalStore, type ExternalStore } from './useExternalStore.ts'
export {
  useMoodJourney,
  type UseMoodJourneyOptions,
  type UseMoodJourneyResult,
} from './useMoodJourney.ts'
export {
  DEFAULT_MOOD_RESOLUTION,
  useRecommendations,
  type UseRecommendationsOptions,
  type UseRecommendationsResult,
} from './useRecommendations.ts'
export {
  useTasteProfile,
  type UseTasteProfileOptions,
  type UseTasteProfileResult,
} from './useTasteProfile.ts'
