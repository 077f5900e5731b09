export {
  DEFAULT_RELEASE_DELAY_MS,
  MoodlensProvider,
  type MoodlensProviderProps,
} from './MoodlensProvider.tsx'
export type { DetectorFactory, DetectorOptions, DetectorState } from './createDetectorRegistry.ts'
export { useEmotionDetector } from './useEmotionDetector.ts'
export { useEmotion, type UseEmotionOptions } from './useEmotion.ts'
