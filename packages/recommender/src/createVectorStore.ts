import { scoringErrorBound, scoringModuleBytes } from './scoringModule.ts'

/** Rows scored per WebAssembly call: 1,024 rows of 12 features are 48 KiB, cache-resident. */
export const BLOCK_ROWS = 1024

/** Query slots in WebAssembly memory: `recommendMany` scores up to this many targets per pass. */
export const QUERY_SLOTS = 64

/** Below this many rows the SIMD kernel is not worth a WebAssembly instance: plain JS scans. */
export const WASM_MIN_ROWS = 2048

/**
 * The SIMD scorer bound to one store's memory: set query slots, then score blocks of rows.
 */
export interface WasmScorer {
  /** The float32 scores of the last {@link WasmScorer.score} call. */
  readonly scores: Float32Array
  /** |float32 score - exact score| is below this for unit rows and a unit query. */
  readonly errorBound: number
  setQuery(slot: number, query: Float64Array): void
  /** Scores rows `[start, start + count)` (count <= BLOCK_ROWS) and returns the maximum. */
  score(start: number, count: number, slot: number): number
}

/**
 * Row-major float32 storage for a catalogue's vectors, with 16 bytes of zero padding after the
 * last row (so a 4-wide read of the last row's tail stays in bounds and finite) and, where
 * WebAssembly SIMD is available, living in WebAssembly memory with a scorer attached.
 */
export interface VectorStore {
  /** `capacity * d` values plus 4 padding values. */
  readonly data: Float32Array
  readonly scorer: WasmScorer | undefined
}

/** How a store should score: `'auto'` uses SIMD when available and the store is large enough. */
export type KernelChoice = 'auto' | 'wasm' | 'js'

const moduleCache = new Map<number, WebAssembly.Module | null>()

function compiledModule(d: number): WebAssembly.Module | undefined {
  const cached = moduleCache.get(d)
  if (cached !== undefined) return cached ?? undefined
  let compiled: WebAssembly.Module | null = null
  try {
    const bytes = scoringModuleBytes(d)
    // validate() is false where SIMD is unsupported; a strict Content-Security-Policy without
    // 'wasm-unsafe-eval' makes compiling throw. Either way the JS kernel takes over.
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      compiled = new WebAssembly.Module(bytes)
    }
  } catch {
    compiled = null
  }
  moduleCache.set(d, compiled)
  return compiled ?? undefined
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16

/**
 * Allocates storage for `capacity` rows of `d` values.
 */
export function createVectorStore(
  capacity: number,
  d: number,
  kernel: KernelChoice = 'auto',
): VectorStore {
  const length = capacity * d + 4
  const wanted = kernel === 'wasm' || (kernel === 'auto' && capacity >= WASM_MIN_ROWS)
  const module = wanted ? compiledModule(d) : undefined
  if (module !== undefined) {
    try {
      return wasmStore(module, capacity, d)
    } catch {
      // Memory of this size could not be reserved (32-bit devices, huge catalogues): use JS.
    }
  }
  return { data: new Float32Array(length), scorer: undefined }
}

function wasmStore(module: WebAssembly.Module, capacity: number, d: number): VectorStore {
  const dPadded = 4 * Math.ceil(d / 4)
  const matrixBytes = align16((capacity * d + 4) * 4)
  const queryOffset = matrixBytes
  const queryBytes = QUERY_SLOTS * dPadded * 4
  const scoresOffset = queryOffset + queryBytes
  const totalBytes = scoresOffset + BLOCK_ROWS * 4
  const pages = Math.ceil(totalBytes / 65_536)
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages })
  const instance = new WebAssembly.Instance(module, { env: { memory } })
  const score = instance.exports['score'] as (
    row: number,
    count: number,
    query: number,
    out: number,
  ) => number
  const buffer = memory.buffer
  const data = new Float32Array(buffer, 0, capacity * d + 4)
  const queries = new Float32Array(buffer, queryOffset, QUERY_SLOTS * dPadded)
  const scores = new Float32Array(buffer, scoresOffset, BLOCK_ROWS)
  const rowBytes = d * 4
  const scorer: WasmScorer = {
    scores,
    errorBound: scoringErrorBound(d),
    setQuery(slot, query) {
      const base = slot * dPadded
      for (let j = 0; j < dPadded; j++) queries[base + j] = j < d ? query[j]! : 0
    },
    score(start, count, slot) {
      return score(start * rowBytes, count, queryOffset + slot * dPadded * 4, scoresOffset)
    },
  }
  return { data, scorer }
}
