import { InvalidOptionError } from './InvalidOptionError.ts'
import {
  createCatalogCsvParser,
  type CatalogCsvOptions,
  type CatalogCsvResult,
} from './createCatalogCsvParser.ts'

/**
 * Reads a Spotify-style catalogue CSV held in memory (RFC 4180: fields with commas, quotes or
 * line breaks are quoted, quotes doubled). Malformed rows are reported with their line number and
 * left out rather than stopping the read; repeated ids keep the first row. Pass the result's
 * `tracks` to `createCatalog`.
 *
 * @throws {@link RecommenderError} `ERR_INVALID_CSV` when there is no usable header.
 * @throws {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { createCatalog, parseCatalogCsv } from '@moodlens/recommender'
 *
 * const { tracks, errors, duplicates } = parseCatalogCsv(await (await fetch('/songs.csv')).text())
 * for (const error of errors) console.warn(`songs.csv:${error.line}: ${error.reason}`)
 * const catalog = createCatalog(tracks)
 * ```
 */
export function parseCatalogCsv(text: string, options: CatalogCsvOptions = {}): CatalogCsvResult {
  if (typeof text !== 'string') throw new InvalidOptionError('text', 'a string', text)
  const parser = createCatalogCsvParser(options)
  parser.push(text)
  return parser.end()
}
