import type { Catalog, CatalogInternals, CatalogTrack } from './createCatalog.ts'
import { InvalidOptionError } from './InvalidOptionError.ts'
import type { Query } from './resolveQuery.ts'
import { scanTopK } from './scanTopK.ts'
import { selectMmr } from './selectMmr.ts'
import { TasteProfile } from './TasteProfile.ts'
import { TopK } from './TopK.ts'

/**
 * Keeps a track when it returns `true`. Called only for tracks good enough to make the list, in
 * no guaranteed order or number: keep it pure.
 *
 * @example
 * ```ts
 * import type { TrackPredicate } from '@moodlens/recommender'
 *
 * const noExplicit: TrackPredicate<{ id: string; explicit: boolean }> = (track) => !track.explicit
 * ```
 */
export type TrackPredicate<TTrack> = (track: TTrack, index: number) => boolean

/**
 * Inclusive bounds on a numeric field, like Spotify's former `min_energy` / `max_energy`.
 *
 * @example
 * ```ts
 * import type { FeatureRange } from '@moodlens/recommender'
 *
 * const danceable: FeatureRange = { min: 0.6 }
 * ```
 */
export interface FeatureRange {
  readonly min?: number
  readonly max?: number
}

/**
 * A hard filter: a predicate, or bounds per field. Bounds on a catalogue feature compare the raw
 * value the catalogue used (imputed where it was missing); bounds on any other field read the
 * track's property, and a track without a finite number there is filtered out.
 *
 * @example
 * ```ts
 * import type { TrackFilter } from '@moodlens/recommender'
 *
 * const filter: TrackFilter<{ id: string }> = { tempo: { min: 100, max: 130 }, energy: { min: 0.5 } }
 * ```
 */
export type TrackFilter<TTrack> = TrackPredicate<TTrack> | Readonly<Record<string, FeatureRange>>

/**
 * Maximal-marginal-relevance re-ranking: `lambda` from 0 (variety only) to 1 (relevance only:
 * plain top-k), over the best `candidates` tracks (default `max(50, 5 * k)`).
 *
 * @example
 * ```ts
 * import type { DiversityOptions } from '@moodlens/recommender'
 *
 * const diversity: DiversityOptions = { lambda: 0.7 }
 * ```
 */
export interface DiversityOptions {
  readonly lambda: number
  readonly candidates?: number
}

/**
 * Options shared by `recommend`, `recommendMany` and `createMoodJourney`.
 *
 * @example
 * ```ts
 * import type { RankingOptions } from '@moodlens/recommender'
 *
 * const options: RankingOptions<{ id: string }> = { exclude: ['recently-played-id'] }
 * ```
 */
export interface RankingOptions<TTrack> {
  /** Hard filter; see {@link TrackFilter}. */
  readonly filter?: TrackFilter<TTrack>
  /** Track ids never to return, such as the recently played ones. */
  readonly exclude?: Iterable<string>
  /** A listener's learned taste, applied to targets that carry a mood. */
  readonly profile?: TasteProfile
  /** Attach each feature's contribution to the score. Default `false`. */
  readonly explain?: boolean
}

/**
 * One feature's share of a score: `contribution` is the product of the track's and the target's
 * unit-vector components, and the contributions of all features add up to the score (to rounding).
 * `value` is the raw feature value of the track.
 *
 * @example
 * ```ts
 * import type { FeatureContribution } from '@moodlens/recommender'
 *
 * const line = (c: FeatureContribution) => `${c.feature} = ${c.value}: ${c.contribution.toFixed(3)}`
 * ```
 */
export interface FeatureContribution {
  readonly feature: string
  readonly value: number
  readonly contribution: number
}

/**
 * A recommended track with its cosine similarity to the target, from -1 to 1.
 *
 * @example
 * ```ts
 * import type { Recommendation } from '@moodlens/recommender'
 *
 * const show = (r: Recommendation<{ id: string; title: string }>) => `${r.track.title} (${r.score.toFixed(2)})`
 * ```
 */
export interface Recommendation<TTrack> {
  readonly id: string
  /** The track's row in the catalogue. */
  readonly index: number
  readonly track: TTrack
  /**
   * Cosine similarity between track and target in the catalogue's centred feature space. 0 for
   * every track when the target has no direction (a neutral mood under the default profile): the
   * tracks are then the ones closest to the catalogue's centre, most typical first.
   */
  readonly score: number
  /** Present when `explain` is set: one entry per catalogue feature, in catalogue order. */
  readonly explanation?: readonly FeatureContribution[]
}

/** Validated ranking options. */
export interface PreparedRanking {
  readonly accept: ((row: number) => boolean) | undefined
  readonly profile: TasteProfile | undefined
  readonly explain: boolean
}

/** Validates the options shared by all ranking functions. */
export function prepareRanking<TTrack extends CatalogTrack>(
  catalog: Catalog<TTrack>,
  options: RankingOptions<TTrack>,
): PreparedRanking {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options)
  }
  const { filter, exclude, profile, explain = false } = options
  if (typeof explain !== 'boolean') throw new InvalidOptionError('explain', 'a boolean', explain)
  if (profile !== undefined && !(profile instanceof TasteProfile)) {
    throw new InvalidOptionError('profile', 'a TasteProfile from createTasteProfile()', profile)
  }
  const tracks = catalog.tracks
  const excluded = exclude === undefined ? undefined : toIdSet(exclude)
  const predicate = typeof filter === 'function' ? filter : undefined
  const ranges =
    filter === undefined || predicate !== undefined ? undefined : toRanges(catalog, filter)
  const checks: ((row: number) => boolean)[] = []
  if (excluded !== undefined && excluded.size > 0)
    checks.push((row) => !excluded.has(tracks[row]!.id))
  if (ranges !== undefined && ranges.length > 0) {
    checks.push((row) => {
      const track = tracks[row] as unknown as Record<string, unknown>
      for (const { field, fallback, min, max } of ranges) {
        const raw = track[field]
        const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : fallback
        if (!(value >= min && value <= max)) return false
      }
      return true
    })
  }
  if (predicate !== undefined) checks.push((row) => predicate(tracks[row]!, row) === true)
  const accept =
    checks.length === 0
      ? undefined
      : checks.length === 1
        ? checks[0]
        : (row: number) => checks.every((check) => check(row))
  return { accept, profile, explain }
}

function toIdSet(exclude: unknown): Set<string> {
  if (
    typeof exclude !== 'object' ||
    exclude === null ||
    typeof (exclude as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidOptionError('exclude', 'an iterable of track ids', exclude)
  }
  const ids = new Set<string>()
  for (const id of exclude as Iterable<unknown>) {
    if (typeof id !== 'string') throw new InvalidOptionError('exclude', 'track ids (strings)', id)
    ids.add(id)
  }
  return ids
}

interface Range {
  readonly field: string
  /** The value used when the track has no finite number: the imputed mean for a catalogue feature, NaN (fails) otherwise. */
  readonly fallback: number
  readonly min: number
  readonly max: number
}

function toRanges(catalog: Catalog<CatalogTrack>, filter: unknown): Range[] {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new InvalidOptionError(
      'filter',
      'a predicate or a record of { min?, max? } per field',
      filter,
    )
  }
  return Object.entries(filter).map(([field, range]: [string, unknown]) => {
    if (typeof range !== 'object' || range === null) {
      throw new InvalidOptionError(`filter.${field}`, '{ min?, max? }', range)
    }
    const bound = (name: 'min' | 'max', absent: number): number => {
      const given = (range as Record<string, unknown>)[name]
      const value = given === undefined ? absent : given
      if (typeof value !== 'number' || Number.isNaN(value)) {
        throw new InvalidOptionError(`filter.${field}.${name}`, 'a number', value)
      }
      return value
    }
    const min = bound('min', -Infinity)
    const max = bound('max', Infinity)
    if (min > max) throw new InvalidOptionError(`filter.${field}`, 'min <= max', `${min} > ${max}`)
    const feature = catalog.features.find((f) => f.name === field)
    return { field, fallback: feature === undefined ? Number.NaN : feature.mean, min, max }
  })
}

/** Validates `k`. */
export function validateK(k: unknown, option = 'k'): number {
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1) {
    throw new InvalidOptionError(option, 'an integer >= 1', k)
  }
  return k
}

/** Validates `diversity`, returning the pool size and lambda, or undefined. */
export function prepareDiversity(
  diversity: unknown,
  k: number,
): { lambda: number; candidates: number } | undefined {
  if (diversity === undefined) return undefined
  if (typeof diversity !== 'object' || diversity === null) {
    throw new InvalidOptionError('diversity', '{ lambda, candidates? }', diversity)
  }
  const { lambda, candidates = Math.max(50, 5 * k) } = diversity as DiversityOptions
  if (typeof lambda !== 'number' || !(lambda >= 0 && lambda <= 1)) {
    throw new InvalidOptionError('diversity.lambda', 'a number from 0 to 1', lambda)
  }
  if (typeof candidates !== 'number' || !Number.isSafeInteger(candidates) || candidates < k) {
    throw new InvalidOptionError('diversity.candidates', `an integer >= k (${k})`, candidates)
  }
  return { lambda, candidates }
}

/**
 * The best `k` rows for one query: by cosine, or, for a query with no direction, by closeness to
 * the catalogue centre.
 */
export function topRows(
  internals: CatalogInternals,
  rows: number,
  query: Query,
  k: number,
  accept: ((row: number) => boolean) | undefined,
): TopK {
  if (!query.zero) return scanTopK(internals, rows, [query.vector], k, accept)[0]!
  const heap = new TopK(k)
  const norms = internals.norms
  let threshold = -Infinity
  for (let row = 0; row < rows; row++) {
    const score = -norms[row]!
    if (score > threshold && (accept === undefined || accept(row)))
      threshold = heap.push(score, row)
  }
  return heap
}

/**
 * Turns kept rows into results: re-ranked by MMR when asked, scores clamped to [-1, 1] (float32
 * rounding of unit vectors can overshoot 1 by ~1e-7), explanations attached when asked.
 */
export function toRecommendations<TTrack extends CatalogTrack>(
  catalog: Catalog<TTrack>,
  internals: CatalogInternals,
  query: Query,
  heap: TopK,
  k: number,
  diversity: { lambda: number } | undefined,
  explain: boolean,
): Recommendation<TTrack>[] {
  const { indices, scores } = heap.sorted()
  const relevance = query.zero ? new Float64Array(indices.length) : scores
  const order =
    diversity === undefined
      ? Array.from({ length: Math.min(k, indices.length) }, (_, i) => i)
      : selectMmr(
          internals.store.data,
          internals.d,
          internals.dPadded,
          indices,
          relevance,
          k,
          diversity.lambda,
        )
  return order.map((position) => {
    const index = indices[position]!
    const track = catalog.tracks[index]!
    const score = Math.max(-1, Math.min(1, relevance[position]!))
    if (!explain) return { id: track.id, index, track, score }
    return {
      id: track.id,
      index,
      track,
      score,
      explanation: explainRow(catalog, internals, query, index),
    }
  })
}

function explainRow(
  catalog: Catalog<CatalogTrack>,
  internals: CatalogInternals,
  query: Query,
  index: number,
): FeatureContribution[] {
  const { d, store } = internals
  return catalog.features.map((feature, j) => ({
    feature: feature.name,
    value: catalog.value(index, feature.name),
    contribution: query.vector[j]! * store.data[index * d + j]!,
  }))
}
