/**
 * One CSV record: its fields, the physical line it starts on (1-based), and why it is malformed,
 * if it is.
 */
export interface CsvRecord {
  readonly fields: string[]
  readonly line: number
  readonly error?: string
}

/** An incremental RFC 4180 tokenizer: feed text in chunks of any size, get records. */
export interface CsvTokenizer {
  push(text: string): void
  end(): void
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const AFTER_QUOTE = 3

/**
 * Splits CSV text into records, chunk by chunk, with the same result however the text is cut.
 * Fields may be quoted (`"a, ""b""` and line breaks inside quotes are kept). Records end at LF,
 * CRLF or CR. Blank lines are skipped. A record with a quote inside an unquoted field, text after
 * a closing quote, or a quote left open at the end of input is still emitted, with `error` set,
 * so that the caller can report it and carry on.
 */
export function createCsvTokenizer(
  onRecord: (record: CsvRecord) => void,
  delimiter = ',',
): CsvTokenizer {
  const DELIMITER = delimiter.charCodeAt(0)
  let state = FIELD_START
  let field = ''
  let fields: string[] = []
  let line = 1
  let recordLine = 1
  let error: string | undefined
  let quoted = false
  let pendingCR = false

  const fail = (reason: string): void => {
    error ??= reason
  }
  const endField = (): void => {
    fields.push(field)
    field = ''
  }
  const endRecord = (): void => {
    endField()
    const blank = fields.length === 1 && fields[0] === '' && !quoted && error === undefined
    if (!blank)
      onRecord(
        error === undefined ? { fields, line: recordLine } : { fields, line: recordLine, error },
      )
    fields = []
    error = undefined
    quoted = false
    state = FIELD_START
  }
  /** Consumes the line break at `at` (CR, LF or CRLF) and returns the index after it. */
  const lineBreak = (text: string, at: number): number => {
    line++
    recordLine = line
    if (text.charCodeAt(at) === CR) {
      if (at + 1 === text.length) pendingCR = true
      else if (text.charCodeAt(at + 1) === LF) return at + 2
    }
    return at + 1
  }

  return {
    push(text) {
      let i = 0
      const n = text.length
      if (pendingCR) {
        pendingCR = false
        if (n > 0 && text.charCodeAt(0) === LF) i = 1
      }
      while (i < n) {
        if (state === FIELD_START) {
          if (text.charCodeAt(i) === QUOTE) {
            state = QUOTED
            quoted = true
            i++
          } else {
            state = UNQUOTED
          }
        } else if (state === UNQUOTED) {
          let j = i
          let c = 0
          while (j < n) {
            c = text.charCodeAt(j)
            if (c === DELIMITER || c === LF || c === CR || c === QUOTE) break
            j++
          }
          field += text.slice(i, j)
          if (j === n) break
          if (c === QUOTE) {
            fail('a quote inside an unquoted field')
            field += '"'
            i = j + 1
          } else if (c === DELIMITER) {
            endField()
            state = FIELD_START
            i = j + 1
          } else {
            endRecord()
            i = lineBreak(text, j)
          }
        } else if (state === QUOTED) {
          const close = text.indexOf('"', i)
          const stop = close < 0 ? n : close
          for (
            let at = text.indexOf('\n', i);
            at >= 0 && at < stop;
            at = text.indexOf('\n', at + 1)
          ) {
            line++
          }
          field += text.slice(i, stop)
          if (close < 0) break
          state = AFTER_QUOTE
          i = close + 1
        } else {
          const c = text.charCodeAt(i)
          if (c === QUOTE) {
            field += '"'
            state = QUOTED
            i++
          } else if (c === DELIMITER) {
            endField()
            state = FIELD_START
            i++
          } else if (c === LF || c === CR) {
            endRecord()
            i = lineBreak(text, i)
          } else {
            fail('text after a closing quote')
            state = UNQUOTED
          }
        }
      }
    },
    end() {
      pendingCR = false
      if (state === QUOTED) fail('a quoted field is not closed before the end of the input')
      if (state !== FIELD_START || fields.length > 0 || field !== '') endRecord()
    },
  }
}
