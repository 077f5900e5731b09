import { catalogInternals, type Catalog, type CatalogTrack } from './createCatalog.ts'
import {
  prepareDiversity,
  prepareRanking,
  topRows,
  toRecommendations,
  validateK,
  type DiversityOptions,
  type RankingOptions,
  type Recommendation,
} from './rankCatalog.ts'
import { resolveQuery, toMoodTarget, type RecommendTarget } from './resolveQuery.ts'

/**
 * Options of {@link recommend} and {@link recommendMany}.
 *
 * @example
 * ```ts
 * import type { RecommendOptions } from '@moodlens/recommender'
 *
 * const options: RecommendOptions<{ id: string }> = {
 *   k: 10,
 *   filter: { tempo: { min: 90 } },
 *   exclude: recentlyPlayed,
 *   diversity: { lambda: 0.7 },
 *   explain: true,
 * }
 * ```
 */
export interface RecommendOptions<TTrack> extends RankingOptions<TTrack> {
  /** How many tracks to return (fewer if fewer pass the filters). Default 20. */
  readonly k?: number
  /** Re-rank for variety with maximal marginal relevance. Default: off. */
  readonly diversity?: DiversityOptions
}

/**
 * The default number of recommendations, as Spotify's former `/recommendations` `limit`.
 *
 * @example
 * ```ts
 * import { DEFAULT_K } from '@moodlens/recommender'
 *
 * DEFAULT_K // 20
 * ```
 */
export const DEFAULT_K = 20

/**
 * The `k` tracks of the catalogue most similar to a target, best first: exact top-k by cosine
 * similarity between the target and each track in the catalogue's centred feature space, with
 * ties broken by catalogue order. Optionally filtered, with recently played ids excluded,
 * re-ranked for diversity, tilted by a taste profile and explained feature by feature.
 *
 * A target with no direction (a neutral mood under the default profile sits at the centre of the
 * circumplex, which maps to the typical track) ranks tracks by closeness to the catalogue centre
 * instead, each with score 0.
 *
 * @throws {@link RecommenderError} for a bad mood or a target sharing no feature with the
 * catalogue; {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { createCatalog, recommend } from '@moodlens/recommender'
 *
 * const catalog = createCatalog(tracks)
 * for (const { track, score } of recommend(catalog, { happy: 0.8, surprise: 0.2 }, { k: 5 })) {
 *   console.log(track.id, score.toFixed(3))
 * }
 * ```
 */
export function recommend<TTrack extends CatalogTrack>(
  catalog: Catalog<TTrack>,
  target: RecommendTarget,
  options: RecommendOptions<TTrack> = {},
): Recommendation<TTrack>[] {
  const internals = catalogInternals(catalog)
  const prepared = prepareRanking(catalog, options)
  const k = validateK(options.k === undefined ? DEFAULT_K : options.k)
  const diversity = prepareDiversity(options.diversity, k)
  const query = resolveQuery(catalog, toMoodTarget(target), prepared.profile)
  const heap = topRows(internals, catalog.size, query, diversity?.candidates ?? k, prepared.accept)
  return toRecommendations(catalog, internals, query, heap, k, diversity, prepared.explain)
}
