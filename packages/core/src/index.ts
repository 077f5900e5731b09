export { EMOTIONS, isEmotion, type Emotion } from './emotions.ts'
export { MoodlensError, type MoodlensErrorCode } from './MoodlensError.ts'
export { rgbaToGrey, type GreyImage, type RgbaImage } from './rgbaToGrey.ts'
