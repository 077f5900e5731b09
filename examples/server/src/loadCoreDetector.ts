import type { ServerEmotionDetector } from './routes/emotionRoutes.ts'

/**
 * The default detector of `POST /emotions`: `@moodlens/core`'s EmotionDetector on TF.js's wasm
 * backend, with its Node image decoder. Imported on first use, so that a server whose clients
 * detect on the device never loads TF.js or the models.
 *
 * @example
 * ```ts
 * const detector = await loadCoreDetector()
 * const faces = await detector.detect(await detector.decode(jpegBytes, 16_777_216))
 * ```
 */
export async function loadCoreDetector(): Promise<ServerEmotionDetector> {
  const [{ createEmotionDetector }, { decodeImage }] = await Promise.all([
    import('@moodlens/core'),
    import('@moodlens/core/node'),
  ])
  const detector = await createEmotionDetector({ backend: 'wasm' })
  return {
    decode: (bytes, maxPixels) => decodeImage(bytes, { maxPixels }),
    detect: (image) => detector.detect(image),
    dispose: () => detector.dispose(),
  }
}
