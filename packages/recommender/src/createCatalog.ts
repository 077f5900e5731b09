import { createIdIndex } from './createIdIndex.ts'
import { createVectorStore, type KernelChoice, type VectorStore } from './createVectorStore.ts'
import {
  DEFAULT_FEATURES,
  resolveFeatureSpecs,
  type FeatureSpec,
  type Normalization,
} from './featureSpecs.ts'
import { describe, InvalidOptionError } from './InvalidOptionError.ts'
import { RecommenderError } from './RecommenderError.ts'

/**
 * The least a track must be: an object with a non-empty string `id`. Its numeric features are
 * read by name, and everything else (title, artist, URLs) is yours and comes back in results.
 *
 * @example
 * ```ts
 * import type { CatalogTrack } from '@moodlens/recommender'
 *
 * interface Song extends CatalogTrack {
 *   title: string
 *   valence: number
 *   energy: number
 * }
 * ```
 */
export interface CatalogTrack {
  readonly id: string
}

/**
 * What {@link createCatalog} does with a track lacking a finite number for a feature:
 * `'error'` (the default) throws; `'skip'` leaves the track out; `'mean'` uses the catalogue's
 * mean for that feature, which after centring contributes nothing to the cosine. Skipped and
 * imputed tracks are listed in {@link Catalog.issues}.
 *
 * @example
 * ```ts
 * import type { MissingValuePolicy } from '@moodlens/recommender'
 *
 * const policy: MissingValuePolicy = 'mean'
 * ```
 */
export type MissingValuePolicy = 'error' | 'skip' | 'mean'

/**
 * Options of {@link createCatalog}.
 *
 * @example
 * ```ts
 * import type { CatalogOptions } from '@moodlens/recommender'
 *
 * const options: CatalogOptions = { features: ['valence', 'energy', 'tempo'], missing: 'skip' }
 * ```
 */
export interface CatalogOptions {
  /** The numeric features to rank by: built-in names or specs. Default: {@link DEFAULT_FEATURES}. */
  readonly features?: readonly (string | FeatureSpec)[]
  /** Missing or non-finite feature values. Default `'error'`. */
  readonly missing?: MissingValuePolicy
  /** A repeated id: `'error'` (default) throws; `'first'` keeps the first and lists the rest in `issues`. */
  readonly duplicates?: 'error' | 'first'
  /**
   * Centre every feature on the catalogue mean (default `true`). Without centring, min-max scaled
   * vectors all lie in the positive orthant, where cosine similarity barely separates tracks;
   * `false` exists for comparison and for features with a meaningful absolute zero. Z-scores are
   * centred either way.
   */
  readonly center?: boolean
}

/**
 * A catalogue feature as built: its spec, the statistics of its raw values over the catalogue and
 * the transform applied, `stored = weight * (raw - center) / scale` (0 where `scale` is 0),
 * before each track's vector is scaled to unit length.
 *
 * @example
 * ```ts
 * import type { CatalogFeature } from '@moodlens/recommender'
 *
 * const describeFeature = (f: CatalogFeature) => `${f.name}: mean ${f.mean}, sd ${f.std}`
 * ```
 */
export interface CatalogFeature {
  readonly name: string
  readonly weight: number
  readonly normalization: Normalization
  readonly mean: number
  /** Population standard deviation. */
  readonly std: number
  readonly min: number
  readonly max: number
  readonly center: number
  readonly scale: number
}

/**
 * A track {@link createCatalog} skipped, deduplicated or imputed, with where it was in the input.
 *
 * @example
 * ```ts
 * import type { CatalogIssue } from '@moodlens/recommender'
 *
 * const log = (issue: CatalogIssue) => console.warn(`track ${issue.index}: ${issue.reason}`)
 * ```
 */
export interface CatalogIssue {
  /** Position in the input array. */
  readonly index: number
  readonly id: string
  readonly action: 'skipped' | 'imputed' | 'duplicate'
  /** The feature concerned, for `skipped` and `imputed`. */
  readonly feature?: string
  readonly reason: string
}

/**
 * An immutable, ranked-search-ready set of tracks: each track's features normalised, centred,
 * weighted and scaled to unit length, stored row-major in one `Float32Array` so that cosine
 * similarity is a dot product.
 *
 * @example
 * ```ts
 * import { createCatalog } from '@moodlens/recommender'
 *
 * const catalog = createCatalog(tracks)
 * catalog.size // number of tracks kept
 * catalog.get('4uLU6hMCjMI75M1A2tKUQC')?.title
 * ```
 */
export interface Catalog<TTrack extends CatalogTrack = CatalogTrack> {
  /** Number of tracks. */
  readonly size: number
  /** The tracks, in input order, less any skipped or duplicate ones. Row `i` is `tracks[i]`. */
  readonly tracks: readonly TTrack[]
  readonly features: readonly CatalogFeature[]
  /**
   * `size * features.length` float32 values, row-major, each row of unit length (or all zero for
   * a track exactly at the catalogue centre). A read-only view: do not write to it.
   */
  readonly vectors: Float32Array
  /** Tracks skipped, deduplicated or imputed while building. */
  readonly issues: readonly CatalogIssue[]
  /** The row of the track with this id, or -1. */
  indexOf(id: string): number
  has(id: string): boolean
  get(id: string): TTrack | undefined
  /**
   * The raw value of `feature` the catalogue used for row `index`: the track's own value, or the
   * catalogue mean where it was imputed.
   */
  value(index: number, feature: string): number
}

/** What the ranking functions need beyond the public interface. */
export interface CatalogInternals {
  readonly d: number
  /** `4 * ceil(d / 4)`: the length of query vectors. */
  readonly dPadded: number
  readonly store: VectorStore
  /** Each row's length before scaling to unit length: its distance from the catalogue centre. */
  readonly norms: Float32Array
}

const internals = new WeakMap<object, CatalogInternals>()

/**
 * The internals of a catalogue made by {@link createCatalog}.
 *
 * @throws {@link InvalidOptionError} for anything else.
 */
export function catalogInternals(catalog: unknown): CatalogInternals {
  const found = typeof catalog === 'object' && catalog !== null ? internals.get(catalog) : undefined
  if (found === undefined) {
    throw new InvalidOptionError('catalog', 'a catalogue made by createCatalog()', catalog)
  }
  return found
}

/**
 * Builds a {@link Catalog} from your tracks. Each listed feature is read from every track,
 * normalised ({@link Normalization}), centred on the catalogue mean, weighted, and each track's
 * vector scaled to unit length; the rows go into one `Float32Array` (in WebAssembly memory when
 * SIMD is available, so ranking runs at memory speed).
 *
 * Feature values must be finite numbers. A missing or non-finite one, or a repeated id, is a
 * {@link RecommenderError} naming the track and field, unless `missing` / `duplicates` choose a
 * policy. Building is O(tracks x features) and reads each track once.
 *
 * @throws {@link RecommenderError} `ERR_INVALID_TRACK`, `ERR_INVALID_FEATURE_VALUE`,
 * `ERR_DUPLICATE_ID`, `ERR_EMPTY_CATALOG`.
 * @throws {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { createCatalog, recommend } from '@moodlens/recommender'
 *
 * const catalog = createCatalog(
 *   [
 *     { id: 'a', title: 'Walking on Sunshine', valence: 0.96, energy: 0.89, tempo: 110 },
 *     { id: 'b', title: 'Hurt', valence: 0.13, energy: 0.22, tempo: 94 },
 *     { id: 'c', title: 'Clair de Lune', valence: 0.2, energy: 0.05, tempo: 70 },
 *   ],
 *   { features: ['valence', 'energy', 'tempo'] },
 * )
 * recommend(catalog, 'happy', { k: 1 })[0]?.track.title // 'Walking on Sunshine'
 * ```
 */
export function createCatalog<TTrack extends CatalogTrack>(
  tracks: readonly TTrack[],
  options: CatalogOptions = {},
): Catalog<TTrack> {
  return buildCatalog(tracks, options, 'auto')
}

/** {@link createCatalog} with the scoring kernel chosen, for tests of both kernels. */
export function buildCatalog<TTrack extends CatalogTrack>(
  tracks: readonly TTrack[],
  options: CatalogOptions,
  kernel: KernelChoice,
): Catalog<TTrack> {
  if (!Array.isArray(tracks)) throw new InvalidOptionError('tracks', 'an array of tracks', tracks)
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options)
  }
  const specs = resolveFeatureSpecs(
    options.features === undefined ? DEFAULT_FEATURES : options.features,
  )
  const { missing = 'error', duplicates = 'error', center = true } = options
  if (missing !== 'error' && missing !== 'skip' && missing !== 'mean') {
    throw new InvalidOptionError('missing', "'error', 'skip' or 'mean'", missing)
  }
  if (duplicates !== 'error' && duplicates !== 'first') {
    throw new InvalidOptionError('duplicates', "'error' or 'first'", duplicates)
  }
  if (typeof center !== 'boolean') throw new InvalidOptionError('center', 'a boolean', center)

  const d = specs.length
  const names = specs.map((spec) => spec.name)
  const store = createVectorStore(tracks.length, d, kernel)
  const data = store.data
  // Allocated once: growing by doubling would copy a million references several times.
  const kept: TTrack[] = new Array<TTrack>(tracks.length)
  const issues: CatalogIssue[] = []
  const rowOf = createIdIndex(tracks.length, (row) => kept[row]!.id)
  const n = tracks.length
  // Welford's running mean and sum of squared deviations, per feature, over present values.
  const count = new Float64Array(d)
  const mean = new Float64Array(d)
  const m2 = new Float64Array(d)
  const min = new Float64Array(d).fill(Infinity)
  const max = new Float64Array(d).fill(-Infinity)
  const raw = new Float64Array(d)
  // The matrix first holds raw values minus each feature's first value, so that float32 keeps
  // precision relative to the spread of the values, not their magnitude (timestamps, say).
  const shift = new Float64Array(d)

  // Pass 1, by track: validate, apply the duplicate and missing-value policies, copy shifted raw
  // values into the matrix and gather statistics. (Reading feature by feature across all tracks
  // would avoid boxing each double, but sweeps a million scattered objects once per feature and
  // measured twice as slow.)
  let rows = 0
  for (let input = 0; input < n; input++) {
    const track: unknown = tracks[input]
    if (typeof track !== 'object' || track === null) {
      throw new RecommenderError(
        'ERR_INVALID_TRACK',
        `Track ${input} is not an object: ${describe(track)}`,
      )
    }
    const id = (track as { id?: unknown }).id
    if (typeof id !== 'string' || id === '') {
      throw new RecommenderError(
        'ERR_INVALID_TRACK',
        `Track ${input} has no id: expected a non-empty string, got ${describe(id)}`,
      )
    }
    const first = rowOf.get(id)
    if (first >= 0) {
      const reason = `id "${id}" repeats the track kept as row ${first}`
      if (duplicates === 'error') {
        throw new RecommenderError('ERR_DUPLICATE_ID', `Track ${input} has a duplicate ${reason}`)
      }
      issues.push({ index: input, id, action: 'duplicate', reason })
      continue
    }
    let skip = false
    for (let j = 0; j < d; j++) {
      const value = (track as Record<string, unknown>)[names[j]!]
      if (typeof value === 'number' && Number.isFinite(value)) {
        raw[j] = value
        continue
      }
      const reason = `no finite value for feature "${names[j]}": got ${describe(value)}`
      if (missing === 'error') {
        throw new RecommenderError(
          'ERR_INVALID_FEATURE_VALUE',
          `Track "${id}" (index ${input}) has ${reason}`,
        )
      }
      const action = missing === 'skip' ? 'skipped' : 'imputed'
      issues.push({ index: input, id, action, feature: names[j]!, reason })
      if (missing === 'skip') {
        skip = true
        break
      }
      raw[j] = Number.NaN
    }
    if (skip) continue
    kept[rows] = track as TTrack
    rowOf.add(id, rows)
    const offset = rows * d
    for (let j = 0; j < d; j++) {
      const value = raw[j]!
      if (Number.isNaN(value)) {
        data[offset + j] = value
        continue
      }
      if (count[j] === 0) shift[j] = value
      data[offset + j] = value - shift[j]!
      const c = ++count[j]!
      const delta = value - mean[j]!
      mean[j]! += delta / c
      m2[j]! += delta * (value - mean[j]!)
      if (value < min[j]!) min[j] = value
      if (value > max[j]!) max[j] = value
    }
    rows++
  }
  kept.length = rows
  if (rows === 0) {
    throw new RecommenderError(
      'ERR_EMPTY_CATALOG',
      n === 0 ? 'A catalogue needs at least one track' : `All ${n} tracks were skipped`,
    )
  }

  const features = specs.map((spec, j): CatalogFeature => {
    if (count[j] === 0) {
      throw new RecommenderError(
        'ERR_INVALID_FEATURE_VALUE',
        `No track has a finite value for feature "${spec.name}", so it cannot be imputed`,
      )
    }
    const std = Math.sqrt(m2[j]! / count[j]!)
    const { normalization } = spec
    const scale =
      normalization === 'zscore'
        ? std
        : normalization === 'minmax'
          ? max[j]! - min[j]!
          : normalization.max - normalization.min
    const origin =
      center || normalization === 'zscore'
        ? mean[j]!
        : normalization === 'minmax'
          ? min[j]!
          : normalization.min
    return Object.freeze({
      name: spec.name,
      weight: spec.weight,
      normalization,
      mean: mean[j]!,
      std,
      min: min[j]!,
      max: max[j]!,
      center: origin,
      scale,
    })
  })

  // Pass 2, by track: normalise, centre and weight in place, then scale each row to unit length.
  const factor = Float64Array.from(features, (f) => (f.scale > 0 ? f.weight / f.scale : 0))
  const origin = Float64Array.from(features, (f, j) => f.center - shift[j]!)
  const imputedShifted = Float64Array.from(features, (f, j) => f.mean - shift[j]!)
  const norms = new Float32Array(rows)
  for (let row = 0, offset = 0; row < rows; row++, offset += d) {
    let sum = 0
    for (let j = 0; j < d; j++) {
      const value = data[offset + j]!
      const z = ((Number.isNaN(value) ? imputedShifted[j]! : value) - origin[j]!) * factor[j]!
      raw[j] = z
      sum += z * z
    }
    const norm = Math.sqrt(sum)
    norms[row] = norm
    const inverse = norm > 0 ? 1 / norm : 0
    for (let j = 0; j < d; j++) data[offset + j] = raw[j]! * inverse
  }

  const featureIndex = new Map(names.map((name, j) => [name, j]))
  const catalog: Catalog<TTrack> = Object.freeze({
    size: rows,
    tracks: Object.freeze(kept),
    features: Object.freeze(features),
    vectors: data.subarray(0, rows * d),
    issues: Object.freeze(issues),
    indexOf: (id: string) => (typeof id === 'string' ? rowOf.get(id) : -1),
    has: (id: string) => typeof id === 'string' && rowOf.get(id) >= 0,
    get: (id: string) => {
      const row = typeof id === 'string' ? rowOf.get(id) : -1
      return row < 0 ? undefined : kept[row]
    },
    value: (index: number, feature: string) => {
      const j = featureIndex.get(feature)
      if (j === undefined) {
        throw new InvalidOptionError('feature', `one of ${names.join(', ')}`, feature)
      }
      if (!Number.isInteger(index) || index < 0 || index >= rows) {
        throw new InvalidOptionError('index', `an integer in [0, ${rows})`, index)
      }
      const value = (kept[index] as unknown as Record<string, unknown>)[feature]
      return typeof value === 'number' && Number.isFinite(value) ? value : features[j]!.mean
    },
  })
  internals.set(catalog, {
    d,
    dPadded: 4 * Math.ceil(d / 4),
    store,
    norms,
  })
  return catalog
}
