import * as tf from '@tensorflow/tfjs-core'
import { MoodlensError } from './MoodlensError.ts'
import type { EmotionModelSpec, GraphActivation, GraphNode } from './parseEmotionModelJson.ts'

/** The emotion model's graph with its weights as tensors on the active backend. */
export interface EmotionModel {
  readonly spec: EmotionModelSpec
  /**
   * Logits `[n, labels]` for a normalised batch `[n, inputSize, inputSize, 1]`. Creates
   * intermediate tensors: call it inside `tf.tidy`.
   */
  predict(input: tf.Tensor4D): tf.Tensor2D
  /** Releases the weight tensors. */
  dispose(): void
}

type Tensors = Map<string, tf.Tensor>
type Step = (tensors: Tensors) => void

function activate(x: tf.Tensor, activation: GraphActivation): tf.Tensor {
  if (activation === 'relu6') return tf.relu6(x)
  if (activation === 'relu') return tf.relu(x)
  return x
}

function compile(node: GraphNode, weights: tf.NamedTensorMap): Step {
  const weight = <TTensor extends tf.Tensor>(name: string): TTensor => weights[name] as TTensor
  switch (node.op) {
    case 'conv2d':
    case 'depthwiseConv2d': {
      const filter = weight<tf.Tensor4D>(node.filter)
      const bias = weight<tf.Tensor1D>(node.bias)
      const [top, bottom, left, right] = node.pad
      // Explicit padding reproduces PyTorch's symmetric padding, which TF's 'same' does not at
      // stride 2. Every backend's convolution info accepts it, although the fused depthwise
      // signature only declares 'valid' | 'same' | number.
      const pad: tf.backend_util.ExplicitPadding | 'valid' =
        top + bottom + left + right === 0
          ? 'valid'
          : [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ]
      const options = { filter, bias, strides: node.strides, activation: node.activation }
      return node.op === 'conv2d'
        ? (tensors) => {
            const x = tensors.get(node.input) as tf.Tensor4D
            tensors.set(node.output, tf.fused.conv2d({ x, pad, ...options }))
          }
        : (tensors) => {
            const x = tensors.get(node.input) as tf.Tensor4D
            tensors.set(
              node.output,
              tf.fused.depthwiseConv2d({ x, pad: pad as 'valid', ...options }),
            )
          }
    }
    case 'add':
      return (tensors) => {
        const [a, b] = node.inputs.map((name) => tensors.get(name)!) as [tf.Tensor, tf.Tensor]
        tensors.set(node.output, activate(tf.add(a, b), node.activation))
      }
    case 'globalAveragePool':
      return (tensors) => {
        const x = tensors.get(node.input)!
        tensors.set(node.output, activate(tf.mean(x, [1, 2]), node.activation))
      }
    case 'dense': {
      const kernel = weight<tf.Tensor2D>(node.kernel)
      const bias = weight<tf.Tensor1D>(node.bias)
      return (tensors) => {
        const a = tensors.get(node.input) as tf.Tensor2D
        tensors.set(
          node.output,
          tf.fused.matMul({ a, b: kernel, bias, activation: node.activation }),
        )
      }
    }
  }
}

/**
 * Decodes the weights (float32 or float16-quantised TF.js manifest) into tensors on the active
 * backend, once, and compiles the graph into a function of the input batch.
 *
 * @throws {@link MoodlensError} `ERR_INVALID_MODEL` when the weights cannot be decoded.
 *
 * @example
 * ```ts
 * const model = buildEmotionModel(spec, weights)
 * const logits = tf.tidy(() => model.predict(batch))
 * ```
 */
export function buildEmotionModel(spec: EmotionModelSpec, bytes: Uint8Array): EmotionModel {
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : bytes.slice().buffer
  let decoded: tf.NamedTensorMap
  try {
    decoded = tf.io.decodeWeights(buffer, [...spec.weights])
  } catch (error) {
    throw new MoodlensError('ERR_INVALID_MODEL', 'Invalid emotion model: undecodable weights', {
      cause: error,
    })
  }
  const used = new Set(
    spec.graph.flatMap((node) =>
      node.op === 'conv2d' || node.op === 'depthwiseConv2d'
        ? [node.filter, node.bias]
        : node.op === 'dense'
          ? [node.kernel, node.bias]
          : [],
    ),
  )
  // Weights the graph does not use are released at once rather than kept for the model's life.
  const weights: tf.NamedTensorMap = {}
  for (const [name, tensor] of Object.entries(decoded)) {
    if (used.has(name)) weights[name] = tensor
    else tensor.dispose()
  }
  const steps = spec.graph.map((node) => compile(node, weights))
  const output = spec.graph[spec.graph.length - 1]!.output
  return {
    spec,
    predict(input) {
      const tensors: Tensors = new Map([['input', input]])
      for (const step of steps) step(tensors)
      return tensors.get(output) as tf.Tensor2D
    },
    dispose() {
      tf.dispose(weights)
    },
  }
}
