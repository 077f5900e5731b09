#!/usr/bin/env node
// Converts MediaPipe's BlazeFace face detectors (.tflite, from @mediapipe/face_detection) into
// TF.js graph models that @tensorflow-models/face-detection's tfjs runtime can load from a local
// file (no tfhub download). No dependency beyond Node: the .tflite flatbuffer is read by hand.
//
//   node packages/core/scripts/convert-blazeface.mjs            # writes packages/core/models/face/
//   node packages/core/scripts/convert-blazeface.mjs --out DIR  # writes DIR/short, DIR/full
//   node packages/core/scripts/convert-blazeface.mjs --dump FILE.tflite   # lists tensors and ops
//   node packages/core/scripts/convert-blazeface.mjs --measure [--backends wasm,cpu] [--runs 5]
//       [--tiles 384,512] [--faces DIR] [--boxes FILE.json]
//     # face counts and end-to-end times of the built EmotionDetector with each shipped model on
//     # the test photos (run `npm run build -w @moodlens/core` first)
//
// The graph the face-detection package expects (dist/tfjs/detector.js): one float32 input
// [1, S, S, 3] with values in [-1, 1] (S = 128 short range, 192 full range), executed as
// `model.execute(input, 'Identity:0')`, whose result is [1, N, 17]: per anchor the score logit
// first, then the 16 box/keypoint regressors (shared/calculators/split_detection_result.js).
// The .tflite models have two outputs, regressors [1, N, 16] and classificators [1, N, 1]; the
// converter appends ConcatV2([classificators, regressors], axis 2) -> Identity.
//
// Supported TFLite builtins: CONV_2D, DEPTHWISE_CONV_2D, ADD, MAX_POOL_2D, AVERAGE_POOL_2D, PAD,
// PADV2, RELU, RELU6, PRELU, RESHAPE, RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR, CONCATENATION,
// DEQUANTIZE (of constants: folded), and fused activations NONE/RELU/RELU6. Anything else stops the conversion with an error naming the
// op. Float16 constants stay float16 in the weights file (tfjs's `quantization: float16`, decoded
// to float32 on load), so the converted weights are bit-identical to the .tflite ones.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
const CORE = resolve(HERE, '..')
const SOURCE_DIR = resolve(CORE, '../../node_modules/@mediapipe/face_detection')
const OUT_DIR = join(CORE, 'models/face')

/** The models converted by default: file in @mediapipe/face_detection -> output folder. */
export const MODELS = [
  { tflite: 'face_detection_short_range.tflite', out: 'short' },
  { tflite: 'face_detection_full_range.tflite', out: 'full' },
]

// ---------------------------------------------------------------------------------------------
// Flatbuffer reader (little-endian). A table starts with an int32 soffset to its vtable
// (vtable = table - soffset); the vtable holds uint16 vtable size, uint16 table size, then one
// uint16 offset per field (0 or beyond the vtable: field absent, default applies). Offsets to
// tables, vectors and strings are uint32, relative to where they are stored. Vectors: uint32
// length, then the elements.

class Table {
  /** @param {DataView} view @param {number} pos */
  constructor(view, pos) {
    this.view = view
    this.pos = pos
    this.vtable = pos - view.getInt32(pos, true)
    this.vtableSize = view.getUint16(this.vtable, true)
  }

  /** Absolute position of field `index`, or 0 when absent. */
  field(index) {
    const slot = 4 + 2 * index
    if (slot >= this.vtableSize) return 0
    const offset = this.view.getUint16(this.vtable + slot, true)
    return offset === 0 ? 0 : this.pos + offset
  }

  deref(index) {
    const at = this.field(index)
    return at === 0 ? 0 : at + this.view.getUint32(at, true)
  }

  uint8(index, fallback = 0) {
    const at = this.field(index)
    return at === 0 ? fallback : this.view.getUint8(at)
  }

  int8(index, fallback = 0) {
    const at = this.field(index)
    return at === 0 ? fallback : this.view.getInt8(at)
  }

  int32(index, fallback = 0) {
    const at = this.field(index)
    return at === 0 ? fallback : this.view.getInt32(at, true)
  }

  uint32(index, fallback = 0) {
    const at = this.field(index)
    return at === 0 ? fallback : this.view.getUint32(at, true)
  }

  uint64(index, fallback = 0n) {
    const at = this.field(index)
    return at === 0 ? fallback : this.view.getBigUint64(at, true)
  }

  float32(index, fallback = 0) {
    const at = this.field(index)
    return at === 0 ? fallback : this.view.getFloat32(at, true)
  }

  table(index) {
    const at = this.deref(index)
    return at === 0 ? null : new Table(this.view, at)
  }

  string(index) {
    const at = this.deref(index)
    if (at === 0) return null
    const length = this.view.getUint32(at, true)
    return new TextDecoder().decode(
      new Uint8Array(this.view.buffer, this.view.byteOffset + at + 4, length),
    )
  }

  /** [start, length] of a vector field, or null. */
  vector(index) {
    const at = this.deref(index)
    return at === 0 ? null : [at + 4, this.view.getUint32(at, true)]
  }

  int32s(index) {
    const vec = this.vector(index)
    if (vec === null) return null
    const [start, length] = vec
    return Array.from({ length }, (_, i) => this.view.getInt32(start + 4 * i, true))
  }

  float32s(index) {
    const vec = this.vector(index)
    if (vec === null) return null
    const [start, length] = vec
    return Array.from({ length }, (_, i) => this.view.getFloat32(start + 4 * i, true))
  }

  /** A [ubyte] vector as a view into the file (no copy). */
  bytes(index) {
    const vec = this.vector(index)
    if (vec === null) return null
    const [start, length] = vec
    return new Uint8Array(this.view.buffer, this.view.byteOffset + start, length)
  }

  tables(index) {
    const vec = this.vector(index)
    if (vec === null) return []
    const [start, length] = vec
    return Array.from({ length }, (_, i) => {
      const at = start + 4 * i
      return new Table(this.view, at + this.view.getUint32(at, true))
    })
  }
}

// ---------------------------------------------------------------------------------------------
// TFLite schema (tensorflow/lite/schema/schema.fbs): only the parts read here.

const TENSOR_TYPES = { 0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 9: 'int8' }
const BYTES_PER = { float32: 4, float16: 2, int32: 4, uint8: 1, int64: 8, int8: 1 }

const OP = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  MAX_POOL_2D: 17,
  RELU: 19,
  RELU6: 21,
  RESHAPE: 22,
  RESIZE_BILINEAR: 23,
  PAD: 34,
  PRELU: 54,
  PADV2: 60,
  RESIZE_NEAREST_NEIGHBOR: 97,
}
const OP_NAMES = Object.fromEntries(Object.entries(OP).map(([name, code]) => [code, name]))

const PADDING = ['SAME', 'VALID']
const ACTIVATIONS = { 0: null, 1: 'Relu', 3: 'Relu6' }

/** Parses a .tflite file into plain objects (first subgraph only). */
export function parseTflite(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const identifier = new TextDecoder().decode(bytes.subarray(4, 8))
  if (identifier !== 'TFL3') throw new Error(`not a TFLite flatbuffer (identifier "${identifier}")`)
  const model = new Table(view, view.getUint32(0, true))

  // OperatorCode: 0 deprecated_builtin_code (byte), 1 custom_code, 2 version, 3 builtin_code
  // (int). Writers put codes > 127 only in builtin_code; old files only have the byte field.
  const opcodes = model.tables(1).map((code) => {
    const builtin = Math.max(code.int8(0), code.int32(3))
    return { builtin, custom: code.string(1), version: code.int32(2, 1) }
  })

  // Buffer: 0 data [ubyte], 1 offset (ulong, from file start), 2 size (ulong).
  const buffers = model.tables(4).map((buffer) => {
    const data = buffer.bytes(0)
    if (data !== null && data.length > 0) return data
    const offset = Number(buffer.uint64(1))
    const size = Number(buffer.uint64(2))
    return offset > 1 && size > 0 ? bytes.subarray(offset, offset + size) : null
  })

  const subgraphs = model.tables(2)
  if (subgraphs.length !== 1) throw new Error(`expected 1 subgraph, found ${subgraphs.length}`)
  const graph = subgraphs[0]

  // Tensor: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization, 5 is_variable, 6 sparsity.
  const tensors = graph.tables(0).map((tensor, index) => {
    const typeCode = tensor.int8(1)
    const type = TENSOR_TYPES[typeCode]
    if (type === undefined) throw new Error(`tensor ${index}: unsupported type code ${typeCode}`)
    const quantization = tensor.table(4)
    const scale = quantization?.float32s(2)
    if (scale != null && scale.length > 0 && type !== 'float32' && type !== 'float16') {
      throw new Error(`tensor ${index} (${tensor.string(3)}): quantized ${type} is not supported`)
    }
    if (tensor.field(6) !== 0) {
      throw new Error(`tensor ${index} (${tensor.string(3)}): sparse tensors are not supported`)
    }
    return {
      index,
      name: tensor.string(3) ?? `tensor_${index}`,
      shape: tensor.int32s(0) ?? [],
      type,
      data: buffers[tensor.uint32(2)] ?? null,
    }
  })

  // Operator: 0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type, 4 builtin_options.
  const operators = graph.tables(3).map((op) => {
    const code = opcodes[op.uint32(0)]
    if (code.custom !== null) throw new Error(`custom op "${code.custom}" is not supported`)
    return {
      builtin: code.builtin,
      name: OP_NAMES[code.builtin] ?? `builtin ${code.builtin}`,
      inputs: op.int32s(1) ?? [],
      outputs: op.int32s(2) ?? [],
      options: op.table(4),
    }
  })

  return {
    version: model.uint32(0),
    description: model.string(3),
    tensors,
    operators,
    inputs: graph.int32s(1) ?? [],
    outputs: graph.int32s(2) ?? [],
  }
}

// ---------------------------------------------------------------------------------------------
// Constant values

/** A constant: element type, shape, raw little-endian element array. */
function constantOf(tensor) {
  const count = tensor.shape.reduce((a, b) => a * b, 1)
  const expected = count * BYTES_PER[tensor.type]
  if (tensor.data === null || tensor.data.length !== expected) {
    throw new Error(
      `constant ${tensor.name}: ${tensor.data?.length ?? 0} bytes, expected ${expected}`,
    )
  }
  const copy = tensor.data.slice() // aligned copy
  const values =
    tensor.type === 'float32'
      ? new Float32Array(copy.buffer)
      : tensor.type === 'float16'
        ? new Uint16Array(copy.buffer)
        : tensor.type === 'int32'
          ? new Int32Array(copy.buffer)
          : null
  if (values === null) throw new Error(`constant ${tensor.name}: type ${tensor.type} unsupported`)
  return { type: tensor.type, shape: [...tensor.shape], values }
}

/** Reorders a constant's elements: out[..] = in[permuted index] (like tf.transpose). */
function transpose(constant, perm) {
  const { shape, values } = constant
  const outShape = perm.map((axis) => shape[axis])
  const inStrides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1))
  const out = new values.constructor(values.length)
  const index = new Array(shape.length).fill(0)
  for (let i = 0; i < out.length; i++) {
    let source = 0
    for (let axis = 0; axis < perm.length; axis++) source += index[axis] * inStrides[perm[axis]]
    out[i] = values[source]
    for (let axis = perm.length - 1; axis >= 0; axis--) {
      if (++index[axis] < outShape[axis]) break
      index[axis] = 0
    }
  }
  return { ...constant, shape: outShape, values: out }
}

// ---------------------------------------------------------------------------------------------
// GraphDef (JSON) builder

const DTYPES = { float32: 'DT_FLOAT', float16: 'DT_FLOAT', int32: 'DT_INT32' }
const b64 = (text) => Buffer.from(text).toString('base64')
const ints = (values) => ({ list: { i: values.map(String) } })
const shapeAttr = (shape) => ({ dim: shape.map((size) => ({ size: String(size) })) })
const T_FLOAT = { type: 'DT_FLOAT' }

/** Converts a parsed .tflite model into { modelJson (without paths), weightData }. */
export function toGraphModel(tflite, { source } = {}) {
  const nodes = []
  const weights = [] // { spec, bytes }
  const nameOf = new Map() // tflite tensor index -> TF node name producing it
  const used = new Set()
  const constants = new Map() // tflite tensor index -> constant (for ops that read values)

  const uniqueName = (raw) => {
    let base = raw.replace(/[^A-Za-z0-9_./-]/g, '_').replace(/^[^A-Za-z0-9.]/, 'n')
    if (base.length > 80) base = base.slice(0, 80)
    let name = base
    for (let k = 1; used.has(name); k++) name = `${base}_${k}`
    used.add(name)
    return name
  }

  const addConst = (rawName, constant) => {
    const name = uniqueName(rawName)
    const dtype = constant.type === 'int32' ? 'int32' : 'float32'
    nodes.push({
      name,
      op: 'Const',
      attr: {
        value: { tensor: { dtype: DTYPES[constant.type], tensorShape: shapeAttr(constant.shape) } },
        dtype: { type: DTYPES[constant.type] },
      },
    })
    const spec = { name, shape: constant.shape, dtype }
    if (constant.type === 'float16') spec.quantization = { dtype: 'float16' }
    const { values } = constant
    weights.push({
      spec,
      bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    })
    return name
  }

  const intConst = (rawName, values, shape = [values.length]) =>
    addConst(rawName, { type: 'int32', shape, values: Int32Array.from(values) })

  const isConstant = (index) => tflite.tensors[index].data !== null || constants.has(index)
  const constantAt = (index) => {
    if (!constants.has(index)) constants.set(index, constantOf(tflite.tensors[index]))
    return constants.get(index)
  }
  /** Name of the node holding tensor `index`; constants are emitted on first use. */
  const input = (index, transform = (c) => c) => {
    if (nameOf.has(index)) return nameOf.get(index)
    if (!isConstant(index)) throw new Error(`tensor ${index} is used before it is produced`)
    const name = addConst(tflite.tensors[index].name, transform(constantAt(index)))
    nameOf.set(index, name)
    return name
  }
  const emit = (node, outputIndex) => {
    nodes.push(node)
    if (outputIndex !== undefined) nameOf.set(outputIndex, node.name)
    return node.name
  }
  const activation = (fused, producedName, outputIndex, outName) => {
    if (fused === 0) return
    const op = ACTIVATIONS[fused]
    if (op === undefined) throw new Error(`fused activation ${fused} is not supported`)
    emit({ name: outName, op, input: [producedName], attr: { T: T_FLOAT } }, outputIndex)
  }

  if (tflite.inputs.length !== 1) throw new Error(`expected 1 input, got ${tflite.inputs.length}`)
  const inputTensor = tflite.tensors[tflite.inputs[0]]
  const inputName = 'input'
  used.add(inputName)
  emit(
    {
      name: inputName,
      op: 'Placeholder',
      attr: { dtype: T_FLOAT, shape: { shape: shapeAttr(inputTensor.shape) } },
    },
    tflite.inputs[0],
  )

  const opCounts = {}
  for (const op of tflite.operators) {
    opCounts[op.name] = (opCounts[op.name] ?? 0) + 1
    const [out] = op.outputs
    const outTensor = tflite.tensors[out]
    const o = op.options
    switch (op.builtin) {
      case OP.DEQUANTIZE: {
        // float16 weights -> float32 at run time: fold (kept as float16 bits in the weights file).
        const [x] = op.inputs
        if (!isConstant(x) || tflite.tensors[x].type !== 'float16') {
          throw new Error(`DEQUANTIZE of a non-constant or non-float16 tensor (${outTensor.name})`)
        }
        constants.set(out, constantAt(x))
        break
      }
      case OP.CONV_2D:
      case OP.DEPTHWISE_CONV_2D: {
        const depthwise = op.builtin === OP.DEPTHWISE_CONV_2D
        // Conv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 activation, 4 dilation_w, 5 dilation_h
        // DepthwiseConv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 depth_multiplier,
        //   4 activation, 5 dilation_w, 6 dilation_h
        const padding = PADDING[o.int8(0)]
        const strides = [1, o.int32(2), o.int32(1), 1]
        const fused = o.int8(depthwise ? 4 : 3)
        const dilations = depthwise
          ? [1, o.int32(6, 1), o.int32(5, 1), 1]
          : [1, o.int32(5, 1), o.int32(4, 1), 1]
        const [x, w, bias] = op.inputs
        const inChannels = tflite.tensors[x].shape[3]
        const filter = input(w, (c) => {
          if (!depthwise) return transpose(c, [1, 2, 3, 0]) // [O,H,W,I] -> [H,W,I,O]
          const [, h, width, channels] = c.shape // [1,H,W,C*M] -> [H,W,C,M], same element order
          return { ...c, shape: [h, width, inChannels, channels / inChannels] }
        })
        const name = uniqueName(outTensor.name)
        const args = bias !== undefined && bias >= 0 ? [input(bias)] : []
        const act = ACTIVATIONS[fused]
        if (act === undefined) throw new Error(`fused activation ${fused} is not supported`)
        const fusedOps = [...(args.length > 0 ? ['BiasAdd'] : []), ...(act ? [act] : [])]
        const attr = {
          T: T_FLOAT,
          strides: ints(strides),
          padding: { s: b64(padding) },
          data_format: { s: b64('NHWC') },
          dilations: ints(dilations),
        }
        if (args.length === 0) {
          // No bias: a plain convolution, then the activation (if any) as its own node.
          const conv = act ? uniqueName(`${outTensor.name}/conv`) : name
          emit(
            {
              name: conv,
              op: depthwise ? 'DepthwiseConv2dNative' : 'Conv2D',
              input: [input(x), filter],
              attr,
            },
            out,
          )
          activation(fused, conv, out, name)
        } else {
          attr.fused_ops = { list: { s: fusedOps.map(b64) } }
          attr.num_args = { i: String(args.length) }
          emit(
            {
              name,
              op: depthwise ? 'FusedDepthwiseConv2dNative' : '_FusedConv2D',
              input: [input(x), filter, ...args],
              attr,
            },
            out,
          )
        }
        break
      }
      case OP.ADD: {
        // AddOptions: 0 activation
        const [a, b] = op.inputs.map((index) => input(index))
        const fused = o?.int8(0) ?? 0
        const name = uniqueName(fused ? `${outTensor.name}/add` : outTensor.name)
        emit({ name, op: 'AddV2', input: [a, b], attr: { T: T_FLOAT } }, out)
        activation(fused, name, out, uniqueName(outTensor.name))
        break
      }
      case OP.MAX_POOL_2D:
      case OP.AVERAGE_POOL_2D: {
        // Pool2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 filter_w, 4 filter_h, 5 activation
        const name = uniqueName(outTensor.name)
        const fused = o.int8(5)
        const pool = fused ? uniqueName(`${outTensor.name}/pool`) : name
        emit(
          {
            name: pool,
            op: op.builtin === OP.MAX_POOL_2D ? 'MaxPool' : 'AvgPool',
            input: [input(op.inputs[0])],
            attr: {
              T: T_FLOAT,
              ksize: ints([1, o.int32(4), o.int32(3), 1]),
              strides: ints([1, o.int32(2), o.int32(1), 1]),
              padding: { s: b64(PADDING[o.int8(0)]) },
              data_format: { s: b64('NHWC') },
            },
          },
          out,
        )
        activation(fused, pool, out, name)
        break
      }
      case OP.PAD:
      case OP.PADV2: {
        const [x, paddings, value] = op.inputs
        const padValues = constantAt(paddings)
        const inputs = [
          input(x),
          intConst(`${outTensor.name}/paddings`, padValues.values, padValues.shape),
        ]
        if (op.builtin === OP.PADV2 && value !== undefined && value >= 0) inputs.push(input(value))
        emit(
          {
            name: uniqueName(outTensor.name),
            op: inputs.length === 3 ? 'PadV2' : 'Pad',
            input: inputs,
            attr: { T: T_FLOAT, Tpaddings: { type: 'DT_INT32' } },
          },
          out,
        )
        break
      }
      case OP.RELU:
      case OP.RELU6:
        emit(
          {
            name: uniqueName(outTensor.name),
            op: op.builtin === OP.RELU ? 'Relu' : 'Relu6',
            input: [input(op.inputs[0])],
            attr: { T: T_FLOAT },
          },
          out,
        )
        break
      case OP.PRELU:
        emit(
          {
            name: uniqueName(outTensor.name),
            op: 'Prelu',
            input: [input(op.inputs[0]), input(op.inputs[1])],
            attr: { T: T_FLOAT },
          },
          out,
        )
        break
      case OP.RESHAPE: {
        // The target shape is the output tensor's static shape (equal to the shape input or to
        // ReshapeOptions.new_shape when the model has a fixed batch of 1).
        const shape = outTensor.shape
        emit(
          {
            name: uniqueName(outTensor.name),
            op: 'Reshape',
            input: [input(op.inputs[0]), intConst(`${outTensor.name}/shape`, shape)],
            attr: { T: T_FLOAT, Tshape: { type: 'DT_INT32' } },
          },
          out,
        )
        break
      }
      case OP.RESIZE_BILINEAR:
      case OP.RESIZE_NEAREST_NEIGHBOR: {
        // ResizeBilinearOptions: 0, 1 (deprecated sizes), 2 align_corners, 3 half_pixel_centers
        // ResizeNearestNeighborOptions: 0 align_corners, 1 half_pixel_centers
        const bilinear = op.builtin === OP.RESIZE_BILINEAR
        const first = bilinear ? 2 : 0
        const size = constantAt(op.inputs[1])
        emit(
          {
            name: uniqueName(outTensor.name),
            op: bilinear ? 'ResizeBilinear' : 'ResizeNearestNeighbor',
            input: [
              input(op.inputs[0]),
              intConst(`${outTensor.name}/size`, size.values, size.shape),
            ],
            attr: {
              T: T_FLOAT,
              align_corners: { b: (o?.uint8(first) ?? 0) !== 0 },
              half_pixel_centers: { b: (o?.uint8(first + 1) ?? 0) !== 0 },
            },
          },
          out,
        )
        break
      }
      case OP.CONCATENATION: {
        // ConcatenationOptions: 0 axis, 1 activation
        const rank = outTensor.shape.length
        const axis = (o.int32(0) + rank) % rank
        if (o.int8(1) !== 0) throw new Error('CONCATENATION with a fused activation')
        const inputs = op.inputs.map((index) => input(index))
        emit(
          {
            name: uniqueName(outTensor.name),
            op: 'ConcatV2',
            input: [...inputs, intConst(`${outTensor.name}/axis`, [axis], [])],
            attr: { T: T_FLOAT, N: { i: String(inputs.length) }, Tidx: { type: 'DT_INT32' } },
          },
          out,
        )
        break
      }
      default:
        throw new Error(`TFLite op ${op.name} is not supported (tensor ${outTensor.name})`)
    }
  }

  // Outputs: [1, N, 16] regressors and [1, N, 1] classificators -> [1, N, 17], score first.
  const outs = tflite.outputs.map((index) => tflite.tensors[index])
  const scores = outs.find((t) => t.shape.length === 3 && t.shape[2] === 1)
  const boxes = outs.find((t) => t.shape.length === 3 && t.shape[2] === 16)
  if (outs.length !== 2 || !scores || !boxes || scores.shape[1] !== boxes.shape[1]) {
    throw new Error(`unexpected outputs: ${outs.map((t) => `${t.name} [${t.shape}]`).join(', ')}`)
  }
  const concat = emit({
    name: uniqueName('detections'),
    op: 'ConcatV2',
    input: [
      nameOf.get(scores.index),
      nameOf.get(boxes.index),
      intConst('detections/axis', [2], []),
    ],
    attr: { T: T_FLOAT, N: { i: '2' }, Tidx: { type: 'DT_INT32' } },
  })
  used.add('Identity')
  emit({ name: 'Identity', op: 'Identity', input: [concat], attr: { T: T_FLOAT } })

  const outputShape = [1, boxes.shape[1], 17]
  const total = weights.reduce((sum, w) => sum + w.bytes.length, 0)
  const weightData = new Uint8Array(total)
  let offset = 0
  for (const w of weights) {
    weightData.set(w.bytes, offset)
    offset += w.bytes.length
  }
  const tensorInfo = (name, shape) => ({
    name,
    dtype: 'DT_FLOAT',
    tensorShape: shapeAttr(shape),
  })
  const modelJson = {
    format: 'graph-model',
    generatedBy: `TFLite schema v${tflite.version}${source ? `: ${source}` : ''}`,
    convertedBy: 'moodlens packages/core/scripts/convert-blazeface.mjs',
    signature: {
      inputs: { 'input:0': tensorInfo('input:0', inputTensor.shape) },
      outputs: { 'Identity:0': tensorInfo('Identity:0', outputShape) },
    },
    modelTopology: { node: nodes, library: {}, versions: {} },
    weightsManifest: [{ paths: [], weights: weights.map((w) => w.spec) }],
  }
  return { modelJson, weightData, opCounts, inputShape: inputTensor.shape, outputShape }
}

// ---------------------------------------------------------------------------------------------

function dump(file) {
  const model = parseTflite(readFileSync(file))
  console.log(
    `version ${model.version}, ${model.tensors.length} tensors, ${model.operators.length} ops`,
  )
  for (const index of model.inputs) console.log('input', index, model.tensors[index])
  for (const index of model.outputs) {
    const t = model.tensors[index]
    console.log('output', index, t.name, t.shape, t.type)
  }
  for (const op of model.operators) {
    const fmt = (i) =>
      i < 0
        ? '-'
        : `${model.tensors[i].name}[${model.tensors[i].shape}]${model.tensors[i].data ? `:${model.tensors[i].type}` : ''}`
    console.log(op.name, op.inputs.map(fmt).join(', '), '->', op.outputs.map(fmt).join(', '))
  }
}

function convertAll(outDir) {
  mkdirSync(outDir, { recursive: true })
  for (const { tflite, out } of MODELS) {
    const source = join(SOURCE_DIR, tflite)
    const parsed = parseTflite(readFileSync(source))
    const { modelJson, weightData, opCounts, inputShape, outputShape } = toGraphModel(parsed, {
      source: `@mediapipe/face_detection/${tflite}`,
    })
    const dir = join(outDir, out)
    mkdirSync(dir, { recursive: true })
    modelJson.weightsManifest[0].paths = ['weights.bin']
    writeFileSync(join(dir, 'model.json'), `${JSON.stringify(modelJson)}\n`)
    writeFileSync(join(dir, 'weights.bin'), weightData)
    const ops = Object.entries(opCounts)
      .map(([name, count]) => `${name} x${count}`)
      .join(', ')
    console.log(
      `${tflite} -> ${dir}: input [${inputShape}], output [${outputShape}], ` +
        `${modelJson.modelTopology.node.length} nodes, ${weightData.length} weight bytes (${ops})`,
    )
  }
}

// ---------------------------------------------------------------------------------------------
// --measure: runs the built EmotionDetector of @moodlens/core (`npm run build -w @moodlens/core`
// first) with each shipped face model on the public-domain test photos, and prints face counts
// and end-to-end detect times (faces and emotions): whole images, and the group photo cut into
// overlapping square tiles, merged (the detector's `tiling: 'always'` with each `tileSize`).

const PHOTOS = ['astronaut.png', 'grace_hopper.jpg', 'solvay_1927.jpg']

async function measure({ backends, runs, faces, tiles, boxesOut }) {
  const { createEmotionDetector } = await import('@moodlens/core')
  const { decodeImage } = await import('@moodlens/core/node')
  const images = []
  for (const file of PHOTOS) {
    images.push({ file, image: await decodeImage(readFileSync(join(faces, file))) })
  }
  const timed = async (fn) => {
    await fn() // warm-up
    await fn()
    const times = []
    let result
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      result = await fn()
      times.push(performance.now() - start)
    }
    times.sort((a, b) => a - b)
    return { result, ms: times[times.length >> 1] }
  }
  const box = ({ x, y, width, height }) => `[${[x, y, x + width, y + height].map(Math.round)}]`
  const allBoxes = {}
  for (const backend of backends) {
    for (const { out: face } of MODELS) {
      const detector = await createEmotionDetector({ backend, maxFaces: 100, models: { face } })
      for (const { file, image } of images) {
        const { width, height } = image
        const whole = await timed(() => detector.detect(image, { tiling: 'never' }))
        allBoxes[`${backend}/${face}/${file}`] = whole.result.map((found) => found.box)
        console.log(
          `${backend} ${face} ${file} ${width}x${height} whole image: ${whole.result.length} faces, ` +
            `${whole.ms.toFixed(1)} ms (median of ${runs}); boxes ` +
            whole.result.map((found) => box(found.box)).join(' '),
        )
      }
      detector.dispose()
      for (const tileSize of tiles) {
        const tiled = await createEmotionDetector({
          backend,
          maxFaces: 100,
          models: { face },
          tileSize,
          tiling: 'always',
        })
        for (const { file, image } of images) {
          if (Math.max(image.width, image.height) <= 1024) continue
          const result = await timed(() => tiled.detect(image))
          allBoxes[`${backend}/${face}/${file}/tiles${tileSize}`] = result.result.map((f) => f.box)
          console.log(
            `${backend} ${face} ${file} tiles of ${tileSize} (and the whole image), merged: ` +
              `${result.result.length} faces, ${result.ms.toFixed(0)} ms (median of ${runs})`,
          )
        }
        tiled.dispose()
      }
    }
  }
  if (boxesOut) writeFileSync(boxesOut, `${JSON.stringify(allBoxes, null, 1)}\n`)
}

function option(name, fallback) {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : fallback
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--dump')) dump(option('--dump'))
  else if (process.argv.includes('--measure')) {
    await measure({
      backends: option('--backends', 'wasm,cpu').split(','),
      runs: Number(option('--runs', '5')),
      faces: resolve(option('--faces', resolve(CORE, 'src/__tests__/fixtures/faces'))),
      tiles: option('--tiles', '384,512').split(',').map(Number),
      boxesOut: option('--boxes'),
    })
  } else convertAll(resolve(option('--out', OUT_DIR)))
}
