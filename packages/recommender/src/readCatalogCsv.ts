import { createReadStream } from 'node:fs'
import type { CatalogCsvResult } from './createCatalogCsvParser.ts'
import { parseCatalogCsvStream, type CatalogCsvStreamOptions } from './parseCatalogCsvStream.ts'

/**
 * Reads a catalogue CSV file from disk with Node's streams, in 64 KiB chunks (the whole file is
 * never held as one string): {@link parseCatalogCsvStream} over `fs.createReadStream`. Only in the
 * `@moodlens/recommender/node` entry point, so the main one stays free of Node built-ins.
 *
 * @throws `RecommenderError` with code `ERR_INVALID_CSV` or `ERR_ABORTED`; Node's own error (such as
 * `ENOENT`) when the file cannot be read.
 *
 * @example
 * ```ts
 * import { createCatalog } from '@moodlens/recommender'
 * import { readCatalogCsv } from '@moodlens/recommender/node'
 *
 * const { tracks, errors, duplicates } = await readCatalogCsv('data/spotify_songs.csv')
 * console.log(`${tracks.length} tracks, ${errors.length} bad rows, ${duplicates.length} repeats`)
 * const catalog = createCatalog(tracks)
 * ```
 */
export async function readCatalogCsv(
  path: string | URL,
  options: CatalogCsvStreamOptions = {},
): Promise<CatalogCsvResult> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 })
  try {
    return await parseCatalogCsvStream(stream, options)
  } finally {
    stream.destroy()
  }
}
