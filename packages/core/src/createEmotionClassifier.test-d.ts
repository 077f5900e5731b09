// Type tests: checked by `tsc -p packages/core` (the package's typecheck), not run by vitest.
// Each @ts-expect-error must really be an error, or tsc fails on the unused directive.
import type * as tf from '@tensorflow/tfjs-core'
import { expectTypeOf } from 'vitest'
import {
  createEmotionClassifier,
  type Emotion,
  type EmotionClassification,
  type EmotionClassifier,
  type EmotionClassifierFace,
  type EmotionModelHandler,
} from './index.ts'

expectTypeOf(createEmotionClassifier).returns.toEqualTypeOf<Promise<EmotionClassifier>>()
expectTypeOf<EmotionClassifier['classify']>().returns.toEqualTypeOf<
  Promise<EmotionClassification[]>
>()
expectTypeOf<EmotionClassifier['inputSize']>().toEqualTypeOf<number>()
expectTypeOf<EmotionClassifier['backend']>().toEqualTypeOf<string>()
expectTypeOf<EmotionClassification['emotion']>().toEqualTypeOf<Emotion>()
expectTypeOf<EmotionClassification['probabilities']>().toEqualTypeOf<
  Readonly<Record<Emotion, number>>
>()

// Faces: grey bytes of either kind, or grey tensors of rank 2 or 3.
expectTypeOf<{ width: 1; height: 1; data: Uint8Array }>().toExtend<EmotionClassifierFace>()
expectTypeOf<{ width: 1; height: 1; data: Uint8ClampedArray }>().toExtend<EmotionClassifierFace>()
expectTypeOf<tf.Tensor2D>().toExtend<EmotionClassifierFace>()
expectTypeOf<tf.Tensor3D>().toExtend<EmotionClassifierFace>()
expectTypeOf<{ width: 1; height: 1; data: Float32Array }>().not.toExtend<EmotionClassifierFace>()
expectTypeOf<tf.Tensor4D>().not.toExtend<EmotionClassifierFace>()

// Options: every field optional; backends by name, models by URL or handler.
const handler: EmotionModelHandler = {
  load: async () => ({ modelJson: {}, weights: new ArrayBuffer(0) }),
}
void createEmotionClassifier()
void createEmotionClassifier({ backend: 'wasm', wasmPaths: '/wasm/', modelUrl: handler })
void createEmotionClassifier({
  backend: 'my-registered-backend',
  modelUrl: new URL('https://x/m.json'),
})
// @ts-expect-error a backend is named by a string
void createEmotionClassifier({ backend: 1 })
// @ts-expect-error progress is a fraction
void createEmotionClassifier({ onProgress: (event: { loaded: number }) => event })
// @ts-expect-error unknown wasm file
void createEmotionClassifier({ wasmPaths: { 'tfjs-backend-wasm.js': '/x' } })
