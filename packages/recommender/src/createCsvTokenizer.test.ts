import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCsvTokenizer, type CsvRecord } from './createCsvTokenizer.ts'

function tokenize(chunks: readonly string[], delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = []
  const tokenizer = createCsvTokenizer((record) => records.push(record), delimiter)
  for (const chunk of chunks) tokenizer.push(chunk)
  tokenizer.end()
  return records
}

/** Writes fields the RFC 4180 way: quoted when they hold a delimiter, quote or line break. */
function encode(rows: readonly (readonly string[])[], newline: string): string {
  return rows
    .map((row) =>
      row
        .map((f) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f))
        .join(','),
    )
    .join(newline)
}

describe('createCsvTokenizer', () => {
  it('reads RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes', () => {
    const text = 'id,name,note\r\n1,"Hello, world","She said ""hi"""\r\n2,"two\nlines",plain\r\n'
    expect(tokenize([text])).toEqual([
      { fields: ['id', 'name', 'note'], line: 1 },
      { fields: ['1', 'Hello, world', 'She said "hi"'], line: 2 },
      { fields: ['2', 'two\nlines', 'plain'], line: 3 },
    ])
  })

  it('numbers records by the physical line they start on', () => {
    const records = tokenize(['a\n"b\n\nb"\nc\r\n\r\nd\re'])
    expect(records.map((r) => [r.fields[0], r.line])).toEqual([
      ['a', 1],
      ['b\n\nb', 2],
      ['c', 5],
      ['d', 7],
      ['e', 8],
    ])
  })

  it('keeps empty fields and a final record without a line break', () => {
    expect(tokenize(['a,,c\n,,\n"",x']).map((r) => r.fields)).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['', 'x'],
    ])
  })

  it('skips blank lines but not a quoted empty field', () => {
    expect(tokenize(['a\n\n\r\n""\nb\n']).map((r) => r.fields)).toEqual([['a'], [''], ['b']])
  })

  it('flags malformed records and carries on', () => {
    const records = tokenize(['ok,1\nbad"quote,2\n"closed"junk,3\nfine,4\n"open,5\nmore'])
    expect(records.map((r) => [r.line, r.error])).toEqual([
      [1, undefined],
      [2, 'a quote inside an unquoted field'],
      [3, 'text after a closing quote'],
      [4, undefined],
      [5, 'a quoted field is not closed before the end of the input'],
    ])
    expect(records[1]!.fields).toEqual(['bad"quote', '2'])
  })

  it('uses another delimiter when asked', () => {
    expect(tokenize(['a;"b;c";d\n'], ';')[0]!.fields).toEqual(['a', 'b;c', 'd'])
  })

  it('gives the same records however the text is cut into chunks', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '😀'),
      maxLength: 6,
    })
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(), { maxLength: 10 }),
        (rows, newline, cuts) => {
          const text = encode(rows, newline)
          const whole = tokenize([text])
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
          const chunks = [0, ...points].map((start, i) =>
            text.slice(start, points[i] ?? text.length),
          )
          expect(tokenize(chunks)).toEqual(whole)
          expect(whole.map((r) => r.fields)).toEqual(rows)
          expect(whole.every((r) => r.error === undefined)).toBe(true)
        },
      ),
    )
  })
})
