import { describe, expect, it } from 'vitest'
import { miniMobileNet } from './__tests__/testEmotionModel.ts'
import { EMOTIONS } from './emotions.ts'
import { MoodlensError } from './MoodlensError.ts'
import { parseEmotionModelJson } from './parseEmotionModelJson.ts'

type Json = Record<string, unknown>
type Node = Record<string, unknown> & { weights?: Record<string, string> }

const source = miniMobileNet()
const graphOf = (json: Json) => json.graph as Node[]
const manifestOf = (json: Json) =>
  (json.weightsManifest as { paths: string[]; weights: Record<string, unknown>[] }[])[0]!
const weightNamed = (json: Json, name: string) =>
  manifestOf(json).weights.find((entry) => entry.name === name)!

function expectInvalid(json: unknown, message: RegExp): void {
  let thrown: unknown
  try {
    parseEmotionModelJson(json)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(MoodlensError)
  expect((thrown as MoodlensError).code).toBe('ERR_INVALID_MODEL')
  expect((thrown as MoodlensError).message).toMatch(message)
}

describe('parseEmotionModelJson', () => {
  it('accepts a well-formed model and infers its sizes', () => {
    const spec = parseEmotionModelJson(source.modelJson())
    expect(spec.inputSize).toBe(12)
    expect(spec.labels).toEqual(EMOTIONS)
    expect(spec.graph).toHaveLength(11)
    expect(spec.graph[0]).toMatchObject({
      op: 'conv2d',
      input: 'input',
      output: 'stem',
      strides: 2,
      pad: [1, 1, 1, 1],
      activation: 'relu6',
    })
    expect(spec.weightPaths).toEqual(['weights.bin'])
    expect(spec.weightBytes).toBe(source.weights().byteLength)
  })

  it('defaults strides to 1, pad to none and activation to linear', () => {
    const json = source.modelJson()
    const expand = graphOf(json)[1]!
    delete expand.strides
    delete expand.pad
    delete expand.activation
    expect(parseEmotionModelJson(json).graph[1]).toMatchObject({
      strides: 1,
      pad: [0, 0, 0, 0],
      activation: 'linear',
    })
  })

  it('reads a weights manifest split over several groups and shards, in order', () => {
    const json = source.modelJson()
    const [group] = json.weightsManifest as { paths: string[]; weights: unknown[] }[]
    json.weightsManifest = [
      { paths: ['a.bin'], weights: group!.weights.slice(0, 5) },
      { paths: ['b.bin', 'c.bin'], weights: group!.weights.slice(5) },
    ]
    const spec = parseEmotionModelJson(json)
    expect(spec.weightPaths).toEqual(['a.bin', 'b.bin', 'c.bin'])
    expect(spec.weights.map((weight) => weight.name)).toEqual(
      (group!.weights as { name: string }[]).map((weight) => weight.name),
    )
  })

  const cases: [string, (json: Json) => unknown, RegExp][] = [
    ['is not an object', () => [1, 2], /not a JSON object/],
    [
      'has another format',
      (json) => ({ ...json, format: 'tfjs-graph-model' }),
      /format is "tfjs-graph-model"/,
    ],
    [
      'has a newer format version',
      (json) => ({ ...json, formatVersion: 2 }),
      /formatVersion 2 is not supported/,
    ],
    ['has no input size', (json) => ({ ...json, inputSize: undefined }), /inputSize/],
    ['has a fractional input size', (json) => ({ ...json, inputSize: 12.5 }), /inputSize/],
    [
      'takes three channels',
      (json) => ({ ...json, input: { channels: 3, scale: 1, offset: 0 } }),
      /channels must be 1/,
    ],
    [
      'has a non-finite scale',
      (json) => ({ ...json, input: { channels: 1, scale: null, offset: 0 } }),
      /scale/,
    ],
    [
      'lacks an emotion label',
      (json) => ({ ...json, labels: EMOTIONS.slice(1) }),
      /labels must list/,
    ],
    [
      'repeats a label',
      (json) => ({ ...json, labels: [...EMOTIONS.slice(1), 'sad'] }),
      /labels must list/,
    ],
    [
      'has an unknown label',
      (json) => ({ ...json, labels: [...EMOTIONS.slice(1), 'joy'] }),
      /labels must list/,
    ],
    [
      'has no weights manifest',
      (json) => ({ ...json, weightsManifest: [] }),
      /weightsManifest must be/,
    ],
    [
      'has a manifest group without paths',
      (json) => ({ ...json, weightsManifest: [{ weights: [] }] }),
      /"paths" and "weights"/,
    ],
    [
      'lists no weight files',
      (json) => {
        manifestOf(json).paths = []
      },
      /lists no weight files/,
    ],
    [
      'has an int32 weight',
      (json) => {
        weightNamed(json, 'stem/bias').dtype = 'int32'
      },
      /dtype int32, expected float32/,
    ],
    [
      'has a uint8-quantised weight',
      (json) => {
        weightNamed(json, 'stem/bias').quantization = { dtype: 'uint8', scale: 1, min: 0 }
      },
      /unsupported quantization/,
    ],
    [
      'lists a weight twice',
      (json) => {
        manifestOf(json).weights.push({ ...weightNamed(json, 'stem/bias') })
      },
      /listed twice/,
    ],
    [
      'has a weight with a bad shape',
      (json) => {
        weightNamed(json, 'stem/bias').shape = [8, 0]
      },
      /shape of positive integers/,
    ],
    ['has no graph', (json) => ({ ...json, graph: [] }), /graph must be a non-empty array/],
    [
      'has an unknown op',
      (json) => {
        graphOf(json)[3]!.op = 'maxPool'
      },
      /graph\[3\] has unknown op "maxPool"/,
    ],
    [
      'has an unknown activation',
      (json) => {
        graphOf(json)[0]!.activation = 'gelu'
      },
      /graph\[0\]: unknown activation "gelu"/,
    ],
    [
      'reads a tensor no node writes',
      (json) => {
        graphOf(json)[2]!.inputs = ['stem_typo']
      },
      /graph\[2\] reads "stem_typo"/,
    ],
    [
      'reads a tensor written later',
      (json) => {
        graphOf(json)[1]!.inputs = ['b1']
      },
      /graph\[1\] reads "b1"/,
    ],
    [
      'writes a tensor twice',
      (json) => {
        graphOf(json)[2]!.output = 'stem'
      },
      /graph\[2\] writes "stem", which already exists/,
    ],
    [
      'has a node without inputs',
      (json) => {
        graphOf(json)[2]!.inputs = []
      },
      /graph\[2\].inputs must be a non-empty array/,
    ],
    [
      'adds one tensor',
      (json) => {
        graphOf(json)[4]!.inputs = ['stem']
      },
      /graph\[4\] \(add\) takes 2 input/,
    ],
    [
      'adds tensors of different shapes',
      (json) => {
        graphOf(json)[4]!.inputs = ['stem', 'b1/expand']
      },
      /graph\[4\] adds shapes \[6, 6, 8\] and \[6, 6, 16\]/,
    ],
    [
      'misses a weight in the manifest',
      (json) => {
        graphOf(json)[1]!.weights!.filter = 'nope'
      },
      /uses weight "nope", which the weightsManifest lacks/,
    ],
    [
      'has a convolution without a bias',
      (json) => {
        delete graphOf(json)[1]!.weights!.bias
      },
      /graph\[1\] \(conv2d\) needs weights.bias/,
    ],
    [
      'has a filter of the wrong depth',
      (json) => {
        graphOf(json)[1]!.inputs = ['input']
      },
      /graph\[1\]: weight "b1\/expand\/filter" has shape \[1, 1, 8, 16\], the graph needs \[1, 1, 1, 16\]/,
    ],
    [
      'has a depthwise filter with a channel multiplier',
      (json) => {
        weightNamed(json, 'b1/dw/filter').shape = [3, 3, 16, 2]
      },
      /has shape \[3, 3, 16, 2\], the graph needs \[3, 3, 16, 1\]/,
    ],
    [
      'has a bias of the wrong length',
      (json) => {
        weightNamed(json, 'stem/bias').shape = [9]
      },
      /weight "stem\/bias" has shape \[9\], the graph needs \[8\]/,
    ],
    [
      'has a dense kernel of the wrong size',
      (json) => {
        weightNamed(json, 'logits/kernel').shape = [12, 7]
      },
      /weight "logits\/kernel" has shape \[12, 7\], the graph needs \[16, 7\]/,
    ],
    [
      'has a rank-2 filter',
      (json) => {
        weightNamed(json, 'head/filter').shape = [12, 16]
      },
      /has shape \[12, 16\], the graph needs/,
    ],
    [
      'has negative padding',
      (json) => {
        graphOf(json)[0]!.pad = [1, -1, 1, 1]
      },
      /pad must be \[top, bottom, left, right\]/,
    ],
    [
      'has three-sided padding',
      (json) => {
        graphOf(json)[0]!.pad = [1, 1, 1]
      },
      /pad must be/,
    ],
    [
      'has zero strides',
      (json) => {
        graphOf(json)[0]!.strides = 0
      },
      /strides must be a positive integer/,
    ],
    [
      'has a filter larger than its padded input',
      (json) => ({ ...json, inputSize: 1 }),
      /graph\[6\]: a 3x3 filter does not fit a padded 2x2 input/,
    ],
    [
      'pools a flat tensor',
      (json) => {
        graphOf(json).push({ op: 'globalAveragePool', inputs: ['logits'], output: 'x' })
      },
      /graph\[11\] \(globalAveragePool\) needs an image input/,
    ],
    [
      'applies dense to an image',
      (json) => {
        graphOf(json)[10]!.inputs = ['head']
      },
      /graph\[10\] \(dense\) needs a flat \[n, features\] input/,
    ],
    [
      'convolves a flat tensor',
      (json) => {
        graphOf(json).push({
          op: 'conv2d',
          inputs: ['logits'],
          output: 'x',
          weights: { filter: 'head/filter', bias: 'head/bias' },
        })
      },
      /graph\[11\] \(conv2d\) needs an image input/,
    ],
    [
      'ends before the logits',
      (json) => {
        graphOf(json).pop()
      },
      /the last node outputs \[16\] per face, expected \[7\] logits/,
    ],
    [
      'ends in an image',
      (json) => ({ ...json, graph: graphOf(json).slice(0, 1) }),
      /the last node outputs \[6, 6, 8\] per face/,
    ],
  ]

  it('rejects a node that reads its own output', () => {
    const json = source.modelJson()
    graphOf(json)[9]!.inputs = ['pool']
    expectInvalid(json, /graph\[9\] reads "pool", which no earlier node writes/)
  })

  it.each(cases)('rejects a model that %s', (_, breakModel, message) => {
    const json = source.modelJson()
    const broken = breakModel(json) ?? json
    expectInvalid(broken, message)
  })
})
