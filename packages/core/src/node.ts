// `@moodlens/core/node`: what only Node can do. Kept out of the main entry so that browser
// bundles never see Node built-ins or the image decoders.
export {
  decodeImage,
  DEFAULT_DECODE_MAX_PIXELS,
  type DecodedImage,
  type DecodeImageOptions,
} from './node/decodeImage.ts'
