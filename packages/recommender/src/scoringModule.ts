/**
 * A WebAssembly module, assembled here byte by byte, that scores a block of catalogue rows against
 * one query with 128-bit SIMD (`f32x4`): four feature products per instruction instead of one.
 * It is what lets an exact top-k over a million tracks run at the speed of memory.
 *
 * The module is generated for one row width `d`, fully unrolled: `m = ceil(d / 4)` vector loads
 * per row. Loads past the row's `d` values read the next row (or the matrix's 16-byte tail
 * padding) and meet query lanes that are zero, so they add exactly 0.
 *
 * Exported function `score(rowPointer, count, queryPointer, outPointer) -> f32`: writes `count`
 * float32 scores to `outPointer` and returns their maximum. Float32 arithmetic makes these scores
 * approximations; callers bound the error ({@link scoringErrorBound}) and re-score candidates
 * exactly in float64.
 */

const I32 = 0x7f
const F32 = 0x7d
const V128 = 0x7b

const LOCAL_GET = 0x20
const LOCAL_SET = 0x21
const LOCAL_TEE = 0x22
const I32_CONST = 0x41
const F32_CONST = 0x43
const I32_ADD = 0x6a
const I32_SHL = 0x74
const I32_GE_U = 0x4f
const F32_ADD = 0x92
const F32_MAX = 0x97
const F32_STORE = 0x38
const BLOCK = 0x02
const LOOP = 0x03
const BR = 0x0c
const BR_IF = 0x0d
const END = 0x0b
const VOID = 0x40

const SIMD = 0xfd
const V128_LOAD = 0x00
const I8X16_SHUFFLE = 0x0d
const F32X4_EXTRACT_LANE = 0x1f
const F32X4_ADD = 0xe4
const F32X4_MUL = 0xe6

function uleb(value: number): number[] {
  const bytes: number[] = []
  let rest = value >>> 0
  do {
    let byte = rest & 0x7f
    rest >>>= 7
    if (rest !== 0) byte |= 0x80
    bytes.push(byte)
  } while (rest !== 0)
  return bytes
}

function sleb(value: number): number[] {
  const bytes: number[] = []
  let rest = value | 0
  for (;;) {
    const byte = rest & 0x7f
    rest >>= 7
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte)
      return bytes
    }
    bytes.push(byte | 0x80)
  }
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()]
}

function section(id: number, content: readonly number[]): number[] {
  return [id, ...uleb(content.length), ...content]
}

function name(text: string): number[] {
  return vector([...text].map((char) => [char.charCodeAt(0)]))
}

const get = (index: number): number[] => [LOCAL_GET, ...uleb(index)]
const set = (index: number): number[] => [LOCAL_SET, ...uleb(index)]
const tee = (index: number): number[] => [LOCAL_TEE, ...uleb(index)]
const simd = (op: number, ...immediates: number[]): number[] => [SIMD, ...uleb(op), ...immediates]
const i32 = (value: number): number[] => [I32_CONST, ...sleb(value)]
/** A v128 load from `[address + offset]` (alignment hint 1 byte: rows are not 16-byte aligned). */
const loadV128 = (offset: number): number[] => simd(V128_LOAD, 0, ...uleb(offset))

/**
 * The module's bytes for rows of `d` float32 values. Memory is imported as `env.memory`.
 */
export function scoringModuleBytes(d: number): Uint8Array<ArrayBuffer> {
  const m = Math.ceil(d / 4)
  // Parameters, then locals: the m query vectors, the accumulator, the running maximum, the score.
  const ROW = 0
  const COUNT = 1
  const QUERY = 2
  const OUT = 3
  const END_OUT = 4
  const Q = 5
  const ACC = Q + m
  const MAX = ACC + 1
  const SCORE = MAX + 1

  const body: number[] = []
  for (let v = 0; v < m; v++) body.push(...get(QUERY), ...loadV128(16 * v), ...set(Q + v))
  body.push(F32_CONST, 0x00, 0x00, 0x80, 0xff, ...set(MAX)) // -Infinity
  body.push(...get(OUT), ...get(COUNT), ...i32(2), I32_SHL, I32_ADD, ...set(END_OUT))
  body.push(BLOCK, VOID, LOOP, VOID)
  body.push(...get(OUT), ...get(END_OUT), I32_GE_U, BR_IF, 1)
  body.push(...get(OUT)) // the store's address, consumed after the score is computed
  for (let v = 0; v < m; v++) {
    body.push(...get(ROW), ...loadV128(16 * v), ...get(Q + v), ...simd(F32X4_MUL))
    if (v > 0) body.push(...simd(F32X4_ADD))
  }
  // Horizontal sum: (a0 + a2, a1 + a3, ...), then lane 0 + lane 1.
  body.push(...tee(ACC), ...get(ACC), ...get(ACC))
  body.push(...simd(I8X16_SHUFFLE, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7))
  body.push(...simd(F32X4_ADD), ...tee(ACC), ...simd(F32X4_EXTRACT_LANE, 0))
  body.push(...get(ACC), ...simd(F32X4_EXTRACT_LANE, 1), F32_ADD, ...tee(SCORE))
  body.push(F32_STORE, 2, 0)
  body.push(...get(MAX), ...get(SCORE), F32_MAX, ...set(MAX))
  body.push(...get(ROW), ...i32(4 * d), I32_ADD, ...set(ROW))
  body.push(...get(OUT), ...i32(4), I32_ADD, ...set(OUT))
  body.push(BR, 0, END, END)
  body.push(...get(MAX), END)

  const locals = vector(
    [
      [1, I32],
      [m + 1, V128],
      [2, F32],
    ].map(([count, type]) => [...uleb(count!), type!]),
  )
  const code = [...locals, ...body]
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector([[0x60, ...vector([[I32], [I32], [I32], [I32]]), ...vector([[F32]])]])),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vector([[0]])),
    ...section(7, vector([[...name('score'), 0x00, 0]])),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ])
}

/**
 * An upper bound on |float32 score - exact score| for unit-length rows and query of width `d`:
 * rounding the query to float32 (one unit roundoff u = 2^-24), each product (u) and a sum of at
 * most 4 * ceil(d / 4) terms (that many u) each scale |x_j q_j|, whose sum is at most
 * ||x|| ||q|| <= 1 + d u. Doubled for margin.
 */
export function scoringErrorBound(d: number): number {
  const terms = 4 * Math.ceil(d / 4)
  return (2 * (terms + 2) * (1 + d * 2 ** -24)) / 2 ** 24
}
