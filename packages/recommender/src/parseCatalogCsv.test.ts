import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeOf, optionOf } from './__tests__/thrown.ts'
import { createCatalog } from './createCatalog.ts'
import { createCatalogCsvParser, DEFAULT_NUMERIC_COLUMNS } from './createCatalogCsvParser.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { parseCatalogCsv } from './parseCatalogCsv.ts'
import { parseCatalogCsvStream } from './parseCatalogCsvStream.ts'
import { recommend } from './recommend.ts'

const HEADER =
  'track_id,track_name,track_artist,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo'

const row = (id: string, name: string, valence = '0.5', energy = '0.6') =>
  `${id},${name},Artist,0.7,${energy},5,-6.5,1,0.05,0.1,0,0.1,${valence},120.5`

describe('parseCatalogCsv', () => {
  it('reads a Spotify-style CSV: numbers as numbers, text as text, id from track_id', () => {
    const text = [HEADER, row('a1', '"Song, with comma"'), row('b2', '"Say ""hi"""', '0.9')].join(
      '\n',
    )
    const result = parseCatalogCsv(text)
    expect(result.errors).toEqual([])
    expect(result.rows).toBe(2)
    expect(result.columns).toEqual(HEADER.split(','))
    expect(result.tracks).toHaveLength(2)
    expect(result.tracks[0]).toMatchObject({
      id: 'a1',
      track_id: 'a1',
      track_name: 'Song, with comma',
      track_artist: 'Artist',
      valence: 0.5,
      tempo: 120.5,
      key: 5,
      loudness: -6.5,
    })
    expect(result.tracks[1]!['track_name']).toBe('Say "hi"')
    const catalog = createCatalog(result.tracks)
    expect(recommend(catalog, 'happy', { k: 1 })[0]!.id).toBe('b2')
  })

  it('reports bad rows with their line numbers and keeps the rest', () => {
    const text = [
      HEADER,
      row('a', 'ok'),
      row('b', 'x') + ',extra',
      row('c', '"multi\nline"'),
      row('', 'no id'),
      row('d', 'bad number', 'abc'),
      row('e', 'empty', ''),
      row('f', 'broken"quote'),
      row('g', 'hex', '0x1F'),
      row('h', 'infinite', 'Infinity'),
      row('i', 'fine', '1e-3'),
      row('j', '"replacement \uFFFD"'),
    ].join('\r\n')
    const result = parseCatalogCsv(text)
    expect(result.tracks.map((t) => t.id)).toEqual(['a', 'c', 'i'])
    expect(result.tracks[2]!['valence']).toBe(0.001)
    expect(result.errors).toEqual([
      { line: 3, reason: 'expected 14 fields, got 15' },
      { line: 6, reason: 'empty id in column "track_id"' },
      { line: 7, reason: 'column "valence" is not a number: "abc"' },
      { line: 8, reason: 'empty value in numeric column "valence"' },
      { line: 9, reason: 'a quote inside an unquoted field' },
      { line: 10, reason: 'column "valence" is not a number: "0x1F"' },
      { line: 11, reason: 'column "valence" is not a number: "Infinity"' },
      { line: 13, reason: 'invalid UTF-8 (a replacement character U+FFFD)' },
    ])
    expect(result.rows).toBe(11)
  })

  it('deduplicates by id, keeping the first row and listing the others', () => {
    const text = [
      HEADER,
      row('a', 'first'),
      row('b', 'b'),
      row('a', 'second'),
      row('a', 'third'),
    ].join('\n')
    const result = parseCatalogCsv(text)
    expect(result.tracks.map((t) => t['track_name'])).toEqual(['first', 'b'])
    expect(result.duplicates).toEqual([
      { line: 4, id: 'a', firstLine: 2 },
      { line: 5, id: 'a', firstLine: 2 },
    ])
  })

  it('keeps rows with empty numbers as NaN when allowMissing is set, for the catalogue policy', () => {
    const text = [HEADER, row('a', 'x'), row('b', 'y', ''), row('c', 'z', '0.9')].join('\n')
    const { tracks, errors } = parseCatalogCsv(text, { allowMissing: true })
    expect(errors).toEqual([])
    expect(tracks[1]!['valence']).toBeNaN()
    const catalog = createCatalog(tracks, { missing: 'mean' })
    expect(catalog.issues).toEqual([
      expect.objectContaining({ id: 'b', action: 'imputed', feature: 'valence' }),
    ])
  })

  it('takes the id column, numeric columns and delimiter you name', () => {
    const text = '\uFEFFisrc;title;bpm;year\nX1;"A; B";128;1999\nX2;C;90;n/a\n'
    const result = parseCatalogCsv(text, {
      idColumn: 'isrc',
      numericColumns: ['bpm'],
      delimiter: ';',
    })
    expect(result.columns).toEqual(['isrc', 'title', 'bpm', 'year'])
    expect(result.tracks).toEqual([
      { isrc: 'X1', title: 'A; B', bpm: 128, year: '1999', id: 'X1' },
      { isrc: 'X2', title: 'C', bpm: 90, year: 'n/a', id: 'X2' },
    ])
    // 'id' is the default id column without track_id
    expect(parseCatalogCsv('id,valence\nq,0.5\n').tracks).toEqual([{ id: 'q', valence: 0.5 }])
  })

  it('converts only the default numeric columns present', () => {
    expect(DEFAULT_NUMERIC_COLUMNS).toContain('valence')
    expect(DEFAULT_NUMERIC_COLUMNS).toContain('duration_ms')
    const { tracks } = parseCatalogCsv('id,energy,genre\na,0.5,7\n')
    expect(tracks[0]).toEqual({ id: 'a', energy: 0.5, genre: '7' })
  })

  it.each([
    ['', /empty/],
    ['\n\n', /empty/],
    ['name,valence\nx,1\n', /no id column "id"/],
    ['id,,valence\n', /empty column name/],
    ['id,a,a\n', /repeats column "a"/],
    ['id,__proto__\n', /__proto__/],
    ['id,"bad"x\n', /header .* malformed/],
  ])('rejects an unusable header in %j', (text, message) => {
    expect(codeOf(() => parseCatalogCsv(text))).toBe('ERR_INVALID_CSV')
    expect(() => parseCatalogCsv(text)).toThrow(message)
  })

  it('rejects a named numeric column the header lacks', () => {
    expect(() => parseCatalogCsv('id,a\n', { numericColumns: ['b'] })).toThrow(
      /no numeric column "b"/,
    )
  })

  it.each([
    [{ idColumn: '' }, 'idColumn'],
    [{ numericColumns: 'valence' }, 'numericColumns'],
    [{ numericColumns: [1] }, 'numericColumns'],
    [{ allowMissing: 'yes' }, 'allowMissing'],
    [{ delimiter: ';;' }, 'delimiter'],
    [{ delimiter: '"' }, 'delimiter'],
    [{ delimiter: '\n' }, 'delimiter'],
  ])('rejects option %j naming %s', (options, option) => {
    expect(optionOf(() => parseCatalogCsv('id\n', options as never))).toBe(option)
    expect(() => parseCatalogCsv(42 as never)).toThrow(InvalidOptionError)
  })
})

describe('parseCatalogCsvStream', () => {
  const text = [
    HEADER,
    row('a1', '"Song, with comma"'),
    row('b2', '"multi\r\nline"'),
    row('c3', 'é😀'),
  ].join('\r\n')
  const bytes = new TextEncoder().encode(text)

  it('equals parseCatalogCsv however the bytes are cut, even inside a character', async () => {
    const whole = parseCatalogCsv(text)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b)
        const chunks = [0, ...points].map((start, i) =>
          bytes.slice(start, points[i] ?? bytes.length),
        )
        expect(await parseCatalogCsvStream(chunks)).toEqual(whole)
      }),
    )
  })

  it('reads strings, async iterables and web ReadableStreams', async () => {
    const whole = parseCatalogCsv(text)
    expect(await parseCatalogCsvStream([text.slice(0, 50), text.slice(50)])).toEqual(whole)
    async function* generate() {
      yield bytes.slice(0, 10)
      yield bytes.slice(10)
    }
    expect(await parseCatalogCsvStream(generate())).toEqual(whole)
    expect(await parseCatalogCsvStream(new Blob([bytes]).stream())).toEqual(whole)
  })

  it('reports undecodable bytes on their row', async () => {
    const broken = new TextEncoder().encode(`${HEADER}\n${row('a', 'fine')}\n${row('b', 'XX')}\n`)
    const at = broken.lastIndexOf(0x58) // the second X
    broken[at] = 0xff
    const result = await parseCatalogCsvStream([broken])
    expect(result.tracks.map((t) => t.id)).toEqual(['a'])
    expect(result.errors).toEqual([
      { line: 3, reason: 'invalid UTF-8 (a replacement character U+FFFD)' },
    ])
  })

  it('stops when its signal aborts', async () => {
    const controller = new AbortController()
    async function* slow() {
      yield bytes.slice(0, 20)
      controller.abort(new Error('user cancelled'))
      yield bytes.slice(20)
    }
    await expect(
      parseCatalogCsvStream(slow(), { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'ERR_ABORTED',
      cause: new Error('user cancelled'),
    })
    await expect(
      parseCatalogCsvStream([text], { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    })
  })

  it('cancels a web stream it stops reading', async () => {
    let cancelled: unknown
    const controller = new AbortController()
    const source = new ReadableStream<Uint8Array>({
      pull(stream) {
        stream.enqueue(bytes.slice(0, 10))
        controller.abort()
      },
      cancel(reason) {
        cancelled = reason ?? 'cancelled'
      },
    })
    await expect(
      parseCatalogCsvStream(source, { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'ERR_ABORTED',
    })
    expect(cancelled).toBeDefined()
  })

  it('rejects what is not a source of chunks', async () => {
    await expect(parseCatalogCsvStream(42 as never)).rejects.toBeInstanceOf(InvalidOptionError)
    await expect(parseCatalogCsvStream([42] as never)).rejects.toThrow(/"source"/)
    await expect(parseCatalogCsvStream([text], { signal: 'stop' } as never)).rejects.toThrow(
      /"signal"/,
    )
  })
})

describe('createCatalogCsvParser', () => {
  it('reads pushed text incrementally', () => {
    const parser = createCatalogCsvParser()
    parser.push('track_id,valence,ener')
    parser.push('gy\nabc,0.5,0.7\n')
    expect(parser.end().tracks).toEqual([{ track_id: 'abc', valence: 0.5, energy: 0.7, id: 'abc' }])
  })
})
