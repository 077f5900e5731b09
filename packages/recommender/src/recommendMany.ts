import { catalogInternals, type Catalog, type CatalogTrack } from './createCatalog.ts'
import {
  prepareDiversity,
  prepareRanking,
  topRows,
  toRecommendations,
  validateK,
  type Recommendation,
} from './rankCatalog.ts'
import { DEFAULT_K, type RecommendOptions } from './recommend.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import { resolveQuery, toMoodTarget, type RecommendTarget } from './resolveQuery.ts'
import { scanTopK } from './scanTopK.ts'

/**
 * {@link recommend} for many targets at once (say, one per listener in a room, or a batch of
 * requests on a server), sharing one pass over the catalogue: each cache-sized block of tracks is
 * scored against every target before moving on, so the catalogue is read from memory once instead
 * of once per target. Results equal separate `recommend` calls with the same options.
 *
 * @throws Whatever {@link recommend} throws; an option error names the target's position.
 *
 * @example
 * ```ts
 * import { recommendMany } from '@moodlens/recommender'
 *
 * const [forAda, forBob] = recommendMany(catalog, ['happy', { sad: 0.6, neutral: 0.4 }], { k: 10 })
 * ```
 */
export function recommendMany<TTrack extends CatalogTrack>(
  catalog: Catalog<TTrack>,
  targets: readonly RecommendTarget[],
  options: RecommendOptions<TTrack> = {},
): Recommendation<TTrack>[][] {
  const internals = catalogInternals(catalog)
  if (!Array.isArray(targets))
    throw new InvalidOptionError('targets', 'an array of targets', targets)
  const prepared = prepareRanking(catalog, options)
  const k = validateK(options.k === undefined ? DEFAULT_K : options.k)
  const diversity = prepareDiversity(options.diversity, k)
  const pool = diversity?.candidates ?? k
  const queries = targets.map((target, t) =>
    resolveQuery(catalog, toMoodTarget(target, `targets[${t}]`), prepared.profile),
  )
  const directed = queries.filter((query) => !query.zero)
  const heaps = scanTopK(
    internals,
    catalog.size,
    directed.map((query) => query.vector),
    pool,
    prepared.accept,
  )
  let next = 0
  return queries.map((query) => {
    const heap = query.zero
      ? topRows(internals, catalog.size, query, pool, prepared.accept)
      : heaps[next++]!
    return toRecommendations(catalog, internals, query, heap, k, diversity, prepared.explain)
  })
}
