import { createCsvTokenizer, type CsvRecord } from './createCsvTokenizer.ts'
import { DEFAULT_FEATURES } from './featureSpecs.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { RecommenderError } from './RecommenderError.ts'

/**
 * A track read from a CSV: every column by its header name, numeric columns as numbers (NaN for
 * an empty one when `allowMissing` is set), the rest as strings, plus `id` from the id column.
 *
 * @example
 * ```ts
 * import type { CsvTrack } from '@moodlens/recommender'
 *
 * const title = (track: CsvTrack) => String(track['track_name'])
 * ```
 */
export interface CsvTrack {
  readonly id: string
  readonly [column: string]: string | number
}

/**
 * A CSV row left out, with the physical line it starts on (the header is line 1) and why.
 *
 * @example
 * ```ts
 * import type { CsvRowError } from '@moodlens/recommender'
 *
 * const report = (e: CsvRowError) => `line ${e.line}: ${e.reason}`
 * ```
 */
export interface CsvRowError {
  readonly line: number
  readonly reason: string
}

/**
 * A row dropped because its id was already read, keeping the first.
 *
 * @example
 * ```ts
 * import type { CsvDuplicate } from '@moodlens/recommender'
 *
 * const report = (dup: CsvDuplicate) => `${dup.id}: line ${dup.line} repeats line ${dup.firstLine}`
 * ```
 */
export interface CsvDuplicate {
  readonly line: number
  readonly id: string
  readonly firstLine: number
}

/**
 * What reading a catalogue CSV produced.
 *
 * @example
 * ```ts
 * import { parseCatalogCsv, type CatalogCsvResult } from '@moodlens/recommender'
 *
 * const result: CatalogCsvResult = parseCatalogCsv('id,valence\na,0.5\n')
 * result.tracks.length // 1
 * ```
 */
export interface CatalogCsvResult {
  /** Valid rows, first occurrence of each id, in file order. */
  readonly tracks: CsvTrack[]
  /** Malformed rows, left out. */
  readonly errors: CsvRowError[]
  /** Rows whose id was already read, left out. */
  readonly duplicates: CsvDuplicate[]
  /** Data rows read (not counting the header and blank lines). */
  readonly rows: number
  /** The header's column names. */
  readonly columns: readonly string[]
}

/**
 * Options for reading a catalogue CSV.
 *
 * @example
 * ```ts
 * import type { CatalogCsvOptions } from '@moodlens/recommender'
 *
 * const options: CatalogCsvOptions = { idColumn: 'isrc', numericColumns: ['bpm', 'energy'] }
 * ```
 */
export interface CatalogCsvOptions {
  /** The column holding track ids. Default: `track_id` if the header has it, else `id`. */
  readonly idColumn?: string
  /**
   * Columns to convert to numbers; each must be in the header. Default: those of
   * {@link DEFAULT_NUMERIC_COLUMNS} that the header has.
   */
  readonly numericColumns?: readonly string[]
  /**
   * Keep rows with an empty numeric field, as NaN, for `createCatalog`'s `missing` policy to
   * handle. Default `false`: such rows are reported and left out.
   */
  readonly allowMissing?: boolean
  /** Field delimiter, one character. Default `','`. */
  readonly delimiter?: string
}

/**
 * The columns converted to numbers by default: the ten {@link SPOTIFY_FEATURES} and the other
 * numeric columns of Spotify exports.
 *
 * @example
 * ```ts
 * import { DEFAULT_NUMERIC_COLUMNS } from '@moodlens/recommender'
 *
 * DEFAULT_NUMERIC_COLUMNS.includes('tempo') // true
 * ```
 */
// concat, not a spread: bundlers drop an unused pure call, but keep a spread's iteration.
export const DEFAULT_NUMERIC_COLUMNS: readonly string[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ (DEFAULT_FEATURES as readonly string[]).concat([
    'key',
    'duration_ms',
    'time_signature',
    'popularity',
    'track_popularity',
  ]),
)

/**
 * An incremental catalogue CSV reader: `push` text as it arrives, in chunks of any size, then
 * `end` for the result. {@link parseCatalogCsv} and {@link parseCatalogCsvStream} are built on it.
 *
 * @example
 * ```ts
 * import { createCatalogCsvParser } from '@moodlens/recommender'
 *
 * const parser = createCatalogCsvParser()
 * parser.push('track_id,valence,ener')
 * parser.push('gy\nabc,0.5,0.7\n')
 * parser.end().tracks // [{ track_id: 'abc', valence: 0.5, energy: 0.7, id: 'abc' }]
 * ```
 */
export interface CatalogCsvParser {
  /** @throws {@link RecommenderError} `ERR_INVALID_CSV` if the header is unusable. */
  push(text: string): void
  /** @throws {@link RecommenderError} `ERR_INVALID_CSV` for an input with no header. */
  end(): CatalogCsvResult
}

/**
 * Creates a {@link CatalogCsvParser}.
 *
 * @throws {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { createCatalogCsvParser } from '@moodlens/recommender'
 *
 * const parser = createCatalogCsvParser({ idColumn: 'id' })
 * for (const chunk of chunks) parser.push(chunk)
 * const { tracks, errors } = parser.end()
 * ```
 */
export function createCatalogCsvParser(options: CatalogCsvOptions = {}): CatalogCsvParser {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options)
  }
  const { idColumn, numericColumns, allowMissing = false, delimiter = ',' } = options
  if (idColumn !== undefined && (typeof idColumn !== 'string' || idColumn === '')) {
    throw new InvalidOptionError('idColumn', 'a non-empty string', idColumn)
  }
  if (
    numericColumns !== undefined &&
    (!Array.isArray(numericColumns) || !numericColumns.every((c) => typeof c === 'string'))
  ) {
    throw new InvalidOptionError('numericColumns', 'an array of column names', numericColumns)
  }
  if (typeof allowMissing !== 'boolean') {
    throw new InvalidOptionError('allowMissing', 'a boolean', allowMissing)
  }
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || '"\r\n'.includes(delimiter)) {
    throw new InvalidOptionError(
      'delimiter',
      'one character other than a quote or line break',
      delimiter,
    )
  }

  const tracks: CsvTrack[] = []
  const errors: CsvRowError[] = []
  const duplicates: CsvDuplicate[] = []
  const firstLine = new Map<string, number>()
  let columns: string[] | undefined
  let idAt = -1
  let numeric: boolean[] = []
  let template: Record<string, string | number> = {}
  let rows = 0
  let first = true

  const readHeader = (record: CsvRecord): void => {
    if (record.error !== undefined) {
      throw new RecommenderError(
        'ERR_INVALID_CSV',
        `The header (line ${record.line}) is malformed: ${record.error}`,
      )
    }
    const header = record.fields
    const seen = new Set<string>()
    for (const name of header) {
      if (name === '')
        throw new RecommenderError('ERR_INVALID_CSV', 'The header has an empty column name')
      // Assigning a "__proto__" property would replace the track object's prototype.
      if (name === '__proto__')
        throw new RecommenderError('ERR_INVALID_CSV', 'The header has a column named "__proto__"')
      if (seen.has(name))
        throw new RecommenderError('ERR_INVALID_CSV', `The header repeats column "${name}"`)
      seen.add(name)
    }
    const idName = idColumn ?? (seen.has('track_id') ? 'track_id' : 'id')
    idAt = header.indexOf(idName)
    if (idAt < 0) {
      throw new RecommenderError(
        'ERR_INVALID_CSV',
        `The header has no id column "${idName}": ${header.join(', ')}`,
      )
    }
    const wanted = numericColumns ?? DEFAULT_NUMERIC_COLUMNS.filter((name) => seen.has(name))
    for (const name of wanted) {
      if (!seen.has(name)) {
        throw new RecommenderError('ERR_INVALID_CSV', `The header has no numeric column "${name}"`)
      }
    }
    numeric = header.map((name) => wanted.includes(name))
    template = Object.fromEntries([
      ...header.map((name, c) => [name, numeric[c] ? 0 : '']),
      ['id', ''],
    ])
    columns = header
  }

  const readRow = (record: CsvRecord, header: string[]): void => {
    rows++
    const { fields, line } = record
    const reject = (reason: string): void => {
      errors.push({ line, reason })
    }
    if (record.error !== undefined) return reject(record.error)
    if (fields.length !== header.length) {
      return reject(`expected ${header.length} fields, got ${fields.length}`)
    }
    // U+FFFD is what undecodable bytes become: the row's text is damaged.
    if (fields.some((text) => text.includes('\uFFFD'))) {
      return reject('invalid UTF-8 (a replacement character U+FFFD)')
    }
    const id = fields[idAt]!
    if (id === '') return reject(`empty id in column "${header[idAt]}"`)
    // Cloning a template gives every track the same hidden class at once; adding two dozen
    // properties one computed key at a time is several times slower in V8.
    const track: Record<string, string | number> = { ...template }
    for (let c = 0; c < header.length; c++) {
      const text = fields[c]!
      if (!numeric[c]) {
        track[header[c]!] = text
        continue
      }
      if (text === '') {
        if (!allowMissing) return reject(`empty value in numeric column "${header[c]}"`)
        track[header[c]!] = Number.NaN
      } else if (isDecimal(text)) {
        track[header[c]!] = Number(text)
      } else {
        return reject(`column "${header[c]}" is not a number: ${JSON.stringify(text.slice(0, 40))}`)
      }
    }
    const seenAt = firstLine.get(id)
    if (seenAt !== undefined) {
      duplicates.push({ line, id, firstLine: seenAt })
      return
    }
    firstLine.set(id, line)
    track['id'] = id
    tracks.push(track as CsvTrack)
  }

  const tokenizer = createCsvTokenizer((record) => {
    if (columns === undefined) readHeader(record)
    else readRow(record, columns)
  }, delimiter)

  return {
    push(text) {
      if (first && text.length > 0) {
        first = false
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      }
      tokenizer.push(text)
    },
    end() {
      tokenizer.end()
      if (columns === undefined)
        throw new RecommenderError('ERR_INVALID_CSV', 'The CSV is empty: no header')
      return { tracks, errors, duplicates, rows, columns }
    },
  }
}

/**
 * Whether `text` is a plain decimal number (sign, digits, fraction, exponent). `Number()` alone
 * would also take hex, `Infinity`, padding spaces and the empty string.
 */
function isDecimal(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // 0-9 . + - e E
    if (!(
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2e ||
      c === 0x2b ||
      c === 0x2d ||
      c === 0x65 ||
      c === 0x45
    )) {
      return false
    }
  }
  // Misplaced signs, dots or exponents ("1.2.3", "e5", "1-") come out as NaN.
  return Number.isFinite(Number(text))
}
