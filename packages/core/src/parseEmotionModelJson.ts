import type { io } from '@tensorflow/tfjs-core'
import { EMOTIONS, isEmotion, type Emotion } from './emotions.ts'
import { MoodlensError } from './MoodlensError.ts'

/** The `format` string every emotion `model.json` carries. */
export const EMOTION_MODEL_FORMAT = 'moodlens/emotion-classifier'

/** The one `formatVersion` this release reads. */
export const EMOTION_MODEL_FORMAT_VERSION = 1

/** What a graph node may apply after its op. */
export type GraphActivation = 'relu6' | 'relu' | 'linear'

/** A convolution node with explicit zero padding `[top, bottom, left, right]`. */
export interface ConvolutionNode {
  readonly op: 'conv2d' | 'depthwiseConv2d'
  readonly input: string
  readonly output: string
  readonly filter: string
  readonly bias: string
  readonly strides: number
  readonly pad: readonly [number, number, number, number]
  readonly activation: GraphActivation
}

/** Sums two tensors of one shape (a residual connection). */
export interface AddNode {
  readonly op: 'add'
  readonly inputs: readonly [string, string]
  readonly output: string
  readonly activation: GraphActivation
}

/** Averages `[n, h, w, c]` over `h` and `w` to `[n, c]`. */
export interface GlobalAveragePoolNode {
  readonly op: 'globalAveragePool'
  readonly input: string
  readonly output: string
  readonly activation: GraphActivation
}

/** `input [n, in] x kernel [in, out] + bias [out]`. */
export interface DenseNode {
  readonly op: 'dense'
  readonly input: string
  readonly output: string
  readonly kernel: string
  readonly bias: string
  readonly activation: GraphActivation
}

/** One validated node of the emotion model's graph. */
export type GraphNode = ConvolutionNode | AddNode | GlobalAveragePoolNode | DenseNode

/** A validated emotion `model.json`: every shape in the graph agrees with the weights manifest. */
export interface EmotionModelSpec {
  readonly inputSize: number
  readonly scale: number
  readonly offset: number
  /** The emotion each logit stands for, in the model's output order. */
  readonly labels: readonly Emotion[]
  readonly graph: readonly GraphNode[]
  /** Every weight in storage order (the order of the concatenated shards). */
  readonly weights: readonly io.WeightsManifestEntry[]
  /** Shard paths relative to `model.json`, in storage order. */
  readonly weightPaths: readonly string[]
  /** The byte length the concatenated shards must have. */
  readonly weightBytes: number
}

const INPUT_TENSOR = 'input'
const ACTIVATIONS: readonly GraphActivation[] = ['relu6', 'relu', 'linear']

function invalid(message: string): MoodlensError {
  return new MoodlensError('ERR_INVALID_MODEL', `Invalid emotion model: ${message}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function nonEmptyString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw invalid(`${what} must be a non-empty string`)
  return value
}

function bytesPerElement(entry: io.WeightsManifestEntry): number {
  if (entry.dtype !== 'float32') {
    throw invalid(`weight "${entry.name}" has dtype ${String(entry.dtype)}, expected float32`)
  }
  if (entry.quantization === undefined) return 4
  if (isRecord(entry.quantization) && entry.quantization.dtype === 'float16') return 2
  throw invalid(`weight "${entry.name}" has an unsupported quantization (only float16 is read)`)
}

function parseManifest(value: unknown): {
  weights: io.WeightsManifestEntry[]
  paths: string[]
  bytes: number
} {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('weightsManifest must be a non-empty array')
  }
  const weights: io.WeightsManifestEntry[] = []
  const paths: string[] = []
  const names = new Set<string>()
  let bytes = 0
  for (const group of value) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw invalid('each weightsManifest group needs "paths" and "weights" arrays')
    }
    for (const path of group.paths) paths.push(nonEmptyString(path, 'a weights path'))
    for (const entry of group.weights) {
      if (!isRecord(entry)) throw invalid('a weightsManifest entry is not an object')
      const name = nonEmptyString(entry.name, 'a weight name')
      if (names.has(name)) throw invalid(`weight "${name}" is listed twice`)
      names.add(name)
      const shape = entry.shape
      if (!Array.isArray(shape) || !shape.every(isPositiveInteger)) {
        throw invalid(`weight "${name}" needs a shape of positive integers`)
      }
      const spec = entry as unknown as io.WeightsManifestEntry
      bytes +=
        shape.reduce((product: number, size: number) => product * size, 1) * bytesPerElement(spec)
      weights.push(spec)
    }
  }
  if (paths.length === 0) throw invalid('weightsManifest lists no weight files')
  return { weights, paths, bytes }
}

function parseLabels(value: unknown): Emotion[] {
  if (
    !Array.isArray(value) ||
    value.length !== EMOTIONS.length ||
    !value.every(isEmotion) ||
    new Set(value).size !== EMOTIONS.length
  ) {
    throw invalid(`labels must list each of ${EMOTIONS.join(', ')} once`)
  }
  return value
}

function parsePad(value: unknown, where: string): [number, number, number, number] {
  if (value === undefined) return [0, 0, 0, 0]
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    !value.every((side) => typeof side === 'number' && Number.isInteger(side) && side >= 0)
  ) {
    throw invalid(`${where}: pad must be [top, bottom, left, right] non-negative integers`)
  }
  return value as [number, number, number, number]
}

function parseActivation(value: unknown, where: string): GraphActivation {
  if (value === undefined) return 'linear'
  const found = ACTIVATIONS.find((activation) => activation === value)
  if (!found) throw invalid(`${where}: unknown activation ${JSON.stringify(value)}`)
  return found
}

type Shape = readonly number[]

function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`
}

/**
 * Validates a parsed `model.json` against the emotion-model format, inferring every tensor's
 * shape through the graph so that a model which could not run is rejected before any weight is
 * fetched.
 *
 * @throws {@link MoodlensError} `ERR_INVALID_MODEL` naming the first problem found.
 *
 * @example
 * ```ts
 * const spec = parseEmotionModelJson(JSON.parse(text))
 * spec.inputSize // e.g. 64
 * ```
 */
export function parseEmotionModelJson(json: unknown): EmotionModelSpec {
  if (!isRecord(json)) throw invalid('model.json is not a JSON object')
  if (json.format !== EMOTION_MODEL_FORMAT) {
    throw invalid(`format is ${JSON.stringify(json.format)}, expected "${EMOTION_MODEL_FORMAT}"`)
  }
  if (json.formatVersion !== EMOTION_MODEL_FORMAT_VERSION) {
    throw invalid(
      `formatVersion ${JSON.stringify(json.formatVersion)} is not supported (this release reads ${EMOTION_MODEL_FORMAT_VERSION})`,
    )
  }
  const inputSize = json.inputSize
  if (!isPositiveInteger(inputSize)) throw invalid('inputSize must be a positive integer')
  const input = json.input
  if (!isRecord(input) || input.channels !== 1) throw invalid('input.channels must be 1')
  const { scale, offset } = input
  if (!isFiniteNumber(scale) || !isFiniteNumber(offset)) {
    throw invalid('input.scale and input.offset must be finite numbers')
  }
  const labels = parseLabels(json.labels)
  const manifest = parseManifest(json.weightsManifest)
  const weightShapes = new Map(manifest.weights.map((entry) => [entry.name, entry.shape]))

  if (!Array.isArray(json.graph) || json.graph.length === 0) {
    throw invalid('graph must be a non-empty array of nodes')
  }
  const shapes = new Map<string, Shape>([[INPUT_TENSOR, [inputSize, inputSize, 1]]])
  const graph: GraphNode[] = []
  let last: Shape = []

  json.graph.forEach((raw: unknown, index: number) => {
    const where = `graph[${index}]`
    if (!isRecord(raw)) throw invalid(`${where} is not an object`)
    const output = nonEmptyString(raw.output, `${where}.output`)
    if (shapes.has(output)) throw invalid(`${where} writes "${output}", which already exists`)
    if (!Array.isArray(raw.inputs) || raw.inputs.length === 0) {
      throw invalid(`${where}.inputs must be a non-empty array`)
    }
    const inputShapes = raw.inputs.map((name: unknown) => {
      const shape = typeof name === 'string' ? shapes.get(name) : undefined
      if (!shape)
        throw invalid(`${where} reads ${JSON.stringify(name)}, which no earlier node writes`)
      return shape
    })
    const inputs = raw.inputs as string[]
    const activation = parseActivation(raw.activation, where)
    const expectInputs = (count: number): void => {
      if (inputs.length !== count)
        throw invalid(`${where} (${String(raw.op)}) takes ${count} input(s)`)
    }
    const weightRecord = isRecord(raw.weights) ? raw.weights : {}
    const lookUp = (role: string): { name: string; shape: Shape } => {
      const name = weightRecord[role]
      if (typeof name !== 'string')
        throw invalid(`${where} (${String(raw.op)}) needs weights.${role}`)
      const shape = weightShapes.get(name)
      if (!shape) throw invalid(`${where} uses weight "${name}", which the weightsManifest lacks`)
      return { name, shape }
    }
    const weight = (role: string, expected: (shape: Shape) => Shape): string => {
      const { name, shape } = lookUp(role)
      const needed = expected(shape)
      if (shape.length !== needed.length || shape.some((size, axis) => size !== needed[axis])) {
        throw invalid(
          `${where}: weight "${name}" has shape ${formatShape(shape)}, the graph needs ${formatShape(needed)}`,
        )
      }
      return name
    }
    const [first] = inputShapes as [Shape]
    let shape: Shape
    let node: GraphNode

    switch (raw.op) {
      case 'conv2d':
      case 'depthwiseConv2d': {
        expectInputs(1)
        if (first.length !== 3) throw invalid(`${where} (${raw.op}) needs an image input`)
        const [height, width, channels] = first as [number, number, number]
        const depthwise = raw.op === 'depthwiseConv2d'
        const filter = weight('filter', (found) => [
          found[0] ?? 1,
          found[1] ?? 1,
          channels,
          depthwise ? 1 : (found[3] ?? 1),
        ])
        const [kh, kw, , outChannels] = weightShapes.get(filter) as [number, number, number, number]
        const out = depthwise ? channels : outChannels
        const bias = weight('bias', () => [out])
        const strides = raw.strides ?? 1
        if (!isPositiveInteger(strides))
          throw invalid(`${where}: strides must be a positive integer`)
        const pad = parsePad(raw.pad, where)
        const paddedHeight = height + pad[0] + pad[1]
        const paddedWidth = width + pad[2] + pad[3]
        if (paddedHeight < kh || paddedWidth < kw) {
          throw invalid(
            `${where}: a ${kh}x${kw} filter does not fit a padded ${paddedHeight}x${paddedWidth} input`,
          )
        }
        shape = [
          Math.floor((paddedHeight - kh) / strides) + 1,
          Math.floor((paddedWidth - kw) / strides) + 1,
          out,
        ]
        node = { op: raw.op, input: inputs[0]!, output, filter, bias, strides, pad, activation }
        break
      }
      case 'add': {
        expectInputs(2)
        const second = inputShapes[1]!
        if (formatShape(first) !== formatShape(second)) {
          throw invalid(`${where} adds shapes ${formatShape(first)} and ${formatShape(second)}`)
        }
        shape = first
        node = { op: 'add', inputs: [inputs[0]!, inputs[1]!], output, activation }
        break
      }
      case 'globalAveragePool': {
        expectInputs(1)
        if (first.length !== 3) throw invalid(`${where} (globalAveragePool) needs an image input`)
        shape = [first[2]!]
        node = { op: 'globalAveragePool', input: inputs[0]!, output, activation }
        break
      }
      case 'dense': {
        expectInputs(1)
        if (first.length !== 1) throw invalid(`${where} (dense) needs a flat [n, features] input`)
        const kernel = weight('kernel', (found) => [first[0]!, found[1] ?? 1])
        const units = weightShapes.get(kernel)![1]!
        const bias = weight('bias', () => [units])
        shape = [units]
        node = { op: 'dense', input: inputs[0]!, output, kernel, bias, activation }
        break
      }
      default:
        throw invalid(`${where} has unknown op ${JSON.stringify(raw.op)}`)
    }
    shapes.set(output, shape)
    graph.push(node)
    last = shape
  })

  if (last.length !== 1 || last[0] !== labels.length) {
    throw invalid(
      `the last node outputs ${formatShape(last)} per face, expected [${labels.length}] logits`,
    )
  }
  return {
    inputSize,
    scale,
    offset,
    labels,
    graph,
    weights: manifest.weights,
    weightPaths: manifest.paths,
    weightBytes: manifest.bytes,
  }
}
