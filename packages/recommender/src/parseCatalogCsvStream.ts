import {
  createCatalogCsvParser,
  type CatalogCsvOptions,
  type CatalogCsvResult,
} from './createCatalogCsvParser.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { RecommenderError } from './RecommenderError.ts'

/**
 * Options of {@link parseCatalogCsvStream}.
 *
 * @example
 * ```ts
 * import type { CatalogCsvStreamOptions } from '@moodlens/recommender'
 *
 * const options: CatalogCsvStreamOptions = { signal: AbortSignal.timeout(10_000) }
 * ```
 */
export interface CatalogCsvStreamOptions extends CatalogCsvOptions {
  /** Stops reading; the promise rejects with `ERR_ABORTED`. */
  readonly signal?: AbortSignal
}

/**
 * A source of CSV text: a web `ReadableStream` (such as `fetch`'s `response.body`) or any async
 * iterable (a Node stream) of strings or UTF-8 bytes.
 *
 * @example
 * ```ts
 * import type { CsvSource } from '@moodlens/recommender'
 *
 * const source: CsvSource = (await fetch('/songs.csv')).body!
 * ```
 */
export type CsvSource =
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>

/**
 * {@link parseCatalogCsv} for text that arrives in chunks: the file is never held whole in
 * memory as one string. Bytes are decoded as UTF-8 (a byte-order mark is dropped); a row holding
 * a byte sequence that is not UTF-8 is reported as malformed. Rows split across chunks, even
 * inside a quoted field or a CRLF, are read exactly as from the whole text.
 *
 * @throws {@link RecommenderError} `ERR_INVALID_CSV` when there is no usable header,
 * `ERR_ABORTED` when `signal` aborts (the abort reason is the cause).
 *
 * @example
 * ```ts
 * import { createCatalog, parseCatalogCsvStream } from '@moodlens/recommender'
 *
 * const response = await fetch('/songs.csv')
 * const { tracks, errors } = await parseCatalogCsvStream(response.body!)
 * const catalog = createCatalog(tracks)
 * ```
 */
export async function parseCatalogCsvStream(
  source: CsvSource,
  options: CatalogCsvStreamOptions = {},
): Promise<CatalogCsvResult> {
  const { signal, ...csvOptions } = options
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', 'an AbortSignal', signal)
  }
  const parser = createCatalogCsvParser(csvOptions)
  const decoder = new TextDecoder('utf-8')
  const checkAbort = (): void => {
    if (signal?.aborted === true) {
      throw new RecommenderError('ERR_ABORTED', 'Reading the CSV was aborted', {
        cause: signal.reason,
      })
    }
  }
  checkAbort()
  for await (const chunk of chunks(source)) {
    checkAbort()
    if (typeof chunk === 'string') parser.push(chunk)
    else if (chunk instanceof Uint8Array) parser.push(decoder.decode(chunk, { stream: true }))
    else throw new InvalidOptionError('source', 'chunks of strings or Uint8Array', chunk)
  }
  parser.push(decoder.decode())
  return parser.end()
}

async function* chunks(source: CsvSource): AsyncGenerator<unknown> {
  if (typeof source === 'object' && source !== null && 'getReader' in source) {
    // Not every browser makes ReadableStream async-iterable yet.
    const reader = source.getReader()
    let finished = false
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) {
          finished = true
          return
        }
        yield value
      }
    } finally {
      // Stopped early (aborted, or a chunk was rejected): tell the source, so a download stops.
      if (!finished) await reader.cancel().catch(() => {})
      reader.releaseLock()
    }
  }
  if (
    typeof source !== 'object' ||
    source === null ||
    (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function' &&
      typeof (source as Iterable<unknown>)[Symbol.iterator] !== 'function')
  ) {
    throw new InvalidOptionError(
      'source',
      'a ReadableStream or an (async) iterable of chunks',
      source,
    )
  }
  yield* source as AsyncIterable<unknown>
}
