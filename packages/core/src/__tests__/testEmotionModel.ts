// Emotion models built by the tests: seeded weights in the exported format (model.json + one
// weights shard, float16 or float32) together with a double-precision reference forward pass.
import { EMOTIONS, type Emotion } from '../emotions.ts'
import type { EmotionModelHandler } from '../loadEmotionModelFiles.ts'
import { roundToFloat16, toFloat16Bits } from './float16.ts'
import {
  addImages,
  convolve,
  dense,
  globalAveragePool,
  resizeBilinear,
  type Activation,
  type ReferenceImage,
} from './referenceGraph.ts'

import { seededRandom } from '../../../../scripts/seededRandom.mjs'

export { seededRandom }

export interface TestFace {
  readonly width: number
  readonly height: number
  readonly data: Uint8Array
}

/**
 * A face of seeded grey levels: a random oriented wave plus noise, so that different seeds differ
 * in structure (not only in noise, which global pooling would average away).
 */
export function randomFace(seed: number, width: number, height: number = width): TestFace {
  const random = seededRandom(seed)
  const [fx, fy, phase, contrast] = [random() - 0.5, random() - 0.5, random() * 6.3, random()]
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const wave = Math.sin(fx * 2 * x + fy * 2 * y + phase) * 100 * (0.3 + contrast)
      data[y * width + x] = Math.max(
        0,
        Math.min(255, Math.round(128 + wave + (random() - 0.5) * 60)),
      )
    }
  }
  return { width, height, data }
}

interface Weight {
  readonly name: string
  readonly shape: readonly number[]
  /** The values the model really holds (after float16 or float32 rounding). */
  readonly values: Float64Array
}

type Node =
  | {
      readonly op: 'conv2d' | 'depthwiseConv2d'
      readonly input: string
      readonly output: string
      readonly filter: Weight
      readonly bias: Weight
      readonly strides: number
      readonly pad: readonly [number, number, number, number]
      readonly activation: Activation
    }
  | {
      readonly op: 'add'
      readonly inputs: readonly [string, string]
      readonly output: string
      readonly activation: Activation
    }
  | {
      readonly op: 'globalAveragePool'
      readonly input: string
      readonly output: string
      readonly activation: Activation
    }
  | {
      readonly op: 'dense'
      readonly input: string
      readonly output: string
      readonly kernel: Weight
      readonly bias: Weight
      readonly activation: Activation
    }

export interface TestModel {
  /** A fresh copy each time: tests may break it. */
  modelJson(): Record<string, unknown>
  /** The weights shard, a fresh copy each time. */
  weights(): ArrayBuffer
  /** An IO handler serving this model. */
  handler(): EmotionModelHandler
  /** The logits of the double-precision reference for one face of any size. */
  reference(face: TestFace): number[]
  readonly inputSize: number
  readonly labels: readonly Emotion[]
}

interface ConvolutionOptions {
  readonly kernel: number
  readonly out?: number
  readonly strides?: number
  readonly pad?: readonly [number, number, number, number]
  readonly activation?: Activation
}

export class TestModelBuilder {
  readonly #random: () => number
  readonly #float16: boolean
  readonly #nodes: Node[] = []
  readonly #channels = new Map<string, number>([['input', 1]])

  constructor(options: { readonly seed: number; readonly float16: boolean }) {
    this.#random = seededRandom(options.seed)
    this.#float16 = options.float16
  }

  weight(name: string, shape: readonly number[], values?: readonly number[]): Weight {
    const count = shape.reduce((a, b) => a * b, 1)
    const fanIn = shape.length > 1 ? count / shape[shape.length - 1]! : 4
    const raw =
      values ?? Array.from({ length: count }, () => ((this.#random() - 0.5) * 6) / Math.sqrt(fanIn))
    const round = this.#float16 ? roundToFloat16 : Math.fround
    return { name, shape, values: Float64Array.from(raw, round) }
  }

  #channelsOf(name: string): number {
    const channels = this.#channels.get(name)
    if (channels === undefined) throw new Error(`no tensor ${name}`)
    return channels
  }

  convolution(
    op: 'conv2d' | 'depthwiseConv2d',
    input: string,
    output: string,
    options: ConvolutionOptions,
  ): this {
    const inChannels = this.#channelsOf(input)
    const depthwise = op === 'depthwiseConv2d'
    const out = depthwise ? inChannels : (options.out ?? inChannels)
    const { kernel } = options
    this.#nodes.push({
      op,
      input,
      output,
      filter: this.weight(`${output}/filter`, [kernel, kernel, inChannels, depthwise ? 1 : out]),
      bias: this.weight(`${output}/bias`, [out]),
      strides: options.strides ?? 1,
      pad: options.pad ?? [0, 0, 0, 0],
      activation: options.activation ?? 'linear',
    })
    this.#channels.set(output, out)
    return this
  }

  add(a: string, b: string, output: string): this {
    this.#nodes.push({ op: 'add', inputs: [a, b], output, activation: 'linear' })
    this.#channels.set(output, this.#channelsOf(a))
    return this
  }

  globalAveragePool(input: string, output: string): this {
    this.#nodes.push({ op: 'globalAveragePool', input, output, activation: 'linear' })
    this.#channels.set(output, this.#channelsOf(input))
    return this
  }

  dense(
    input: string,
    output: string,
    units: number,
    values?: { readonly kernel: readonly number[]; readonly bias: readonly number[] },
  ): this {
    const inputs = this.#channelsOf(input)
    this.#nodes.push({
      op: 'dense',
      input,
      output,
      kernel: this.weight(`${output}/kernel`, [inputs, units], values?.kernel),
      bias: this.weight(`${output}/bias`, [units], values?.bias),
      activation: 'linear',
    })
    this.#channels.set(output, units)
    return this
  }

  build(options: {
    readonly inputSize: number
    readonly scale?: number
    readonly offset?: number
    readonly labels?: readonly Emotion[]
  }): TestModel {
    const { inputSize, scale = 1 / 127.5, offset = -1, labels = EMOTIONS } = options
    const nodes = [...this.#nodes]
    const weights = nodes.flatMap((node) =>
      node.op === 'dense'
        ? [node.kernel, node.bias]
        : node.op === 'conv2d' || node.op === 'depthwiseConv2d'
          ? [node.filter, node.bias]
          : [],
    )
    const float16 = this.#float16
    const bytes = weights.reduce((sum, w) => sum + w.values.length * (float16 ? 2 : 4), 0)
    const shard = new ArrayBuffer(bytes)
    const view = new DataView(shard)
    let offsetBytes = 0
    for (const { values } of weights) {
      for (const value of values) {
        if (float16) view.setUint16(offsetBytes, toFloat16Bits(value), true)
        else view.setFloat32(offsetBytes, value, true)
        offsetBytes += float16 ? 2 : 4
      }
    }
    const json = {
      format: 'moodlens/emotion-classifier',
      formatVersion: 1,
      architecture: 'test',
      inputSize,
      input: { channels: 1, scale, offset },
      labels: [...labels],
      graph: nodes.map((node) => {
        const { activation, output } = node
        switch (node.op) {
          case 'conv2d':
          case 'depthwiseConv2d':
            return {
              op: node.op,
              inputs: [node.input],
              output,
              weights: { filter: node.filter.name, bias: node.bias.name },
              strides: node.strides,
              pad: [...node.pad],
              activation,
            }
          case 'add':
            return { op: 'add', inputs: [...node.inputs], output }
          case 'globalAveragePool':
            return { op: 'globalAveragePool', inputs: [node.input], output }
          case 'dense':
            return {
              op: 'dense',
              inputs: [node.input],
              output,
              weights: { kernel: node.kernel.name, bias: node.bias.name },
              activation,
            }
        }
      }),
      weightsManifest: [
        {
          paths: ['weights.bin'],
          weights: weights.map(({ name, shape }) => ({
            name,
            shape: [...shape],
            dtype: 'float32',
            ...(float16 ? { quantization: { dtype: 'float16' } } : {}),
          })),
        },
      ],
      training: { note: 'built by a test' },
    }
    const text = JSON.stringify(json)

    const reference = (face: TestFace): number[] => {
      const grey = resizeBilinear(face.data, face.width, face.height, inputSize)
      const tensors = new Map<string, ReferenceImage | Float64Array>([
        [
          'input',
          {
            height: inputSize,
            width: inputSize,
            channels: 1,
            data: grey.map((value) => value * scale + offset),
          },
        ],
      ])
      const image = (name: string) => tensors.get(name) as ReferenceImage
      let last: ReferenceImage | Float64Array | undefined
      for (const node of nodes) {
        switch (node.op) {
          case 'conv2d':
          case 'depthwiseConv2d':
            last = convolve(image(node.input), {
              filterShape: node.filter.shape as [number, number, number, number],
              filter: node.filter.values,
              bias: node.bias.values,
              strides: node.strides,
              pad: node.pad,
              activation: node.activation,
              depthwise: node.op === 'depthwiseConv2d',
            })
            break
          case 'add':
            last = addImages(image(node.inputs[0]), image(node.inputs[1]), node.activation)
            break
          case 'globalAveragePool':
            last = globalAveragePool(image(node.input), node.activation)
            break
          case 'dense':
            last = dense(
              tensors.get(node.input) as Float64Array,
              node.kernel.values,
              node.bias.values,
              node.activation,
            )
            break
        }
        tensors.set(node.output, last)
      }
      return Array.from(last as Float64Array)
    }

    return {
      inputSize,
      labels,
      modelJson: () => JSON.parse(text) as Record<string, unknown>,
      weights: () => shard.slice(0),
      handler: () => ({
        load: async () => ({ modelJson: JSON.parse(text) as unknown, weights: shard.slice(0) }),
      }),
      reference,
    }
  }
}

/**
 * A MobileNetV2-shaped model in miniature: a stride-2 stem, an inverted residual block with its
 * skip connection, a stride-2 block with asymmetric explicit padding, a 1x1 head, global average
 * pooling and the dense logits.
 */
export function miniMobileNet(
  options: {
    readonly seed?: number
    readonly float16?: boolean
    readonly inputSize?: number
    readonly labels?: readonly Emotion[]
  } = {},
): TestModel {
  const { seed = 1, float16 = true, inputSize = 12, labels } = options
  return new TestModelBuilder({ seed, float16 })
    .convolution('conv2d', 'input', 'stem', {
      kernel: 3,
      out: 8,
      strides: 2,
      pad: [1, 1, 1, 1],
      activation: 'relu6',
    })
    .convolution('conv2d', 'stem', 'b1/expand', { kernel: 1, out: 16, activation: 'relu6' })
    .convolution('depthwiseConv2d', 'b1/expand', 'b1/dw', {
      kernel: 3,
      pad: [1, 1, 1, 1],
      activation: 'relu6',
    })
    .convolution('conv2d', 'b1/dw', 'b1/project', { kernel: 1, out: 8 })
    .add('stem', 'b1/project', 'b1')
    .convolution('conv2d', 'b1', 'b2/expand', { kernel: 1, out: 16, activation: 'relu' })
    .convolution('depthwiseConv2d', 'b2/expand', 'b2/dw', {
      kernel: 3,
      strides: 2,
      pad: [0, 1, 1, 0],
      activation: 'relu6',
    })
    .convolution('conv2d', 'b2/dw', 'b2/project', { kernel: 1, out: 12 })
    .convolution('conv2d', 'b2/project', 'head', { kernel: 1, out: 16, activation: 'relu6' })
    .globalAveragePool('head', 'pool')
    .dense('pool', 'logits', 7)
    .build({ inputSize, ...(labels ? { labels } : {}) })
}
