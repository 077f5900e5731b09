import { InvalidOptionError } from './InvalidOptionError.ts'

/**
 * How a feature's raw values are scaled before the cosine compares them:
 *
 * - `'zscore'`: divided by the catalogue's standard deviation, so every feature has unit spread;
 * - `'minmax'`: divided by the catalogue's range (max - min);
 * - `{ min, max }`: divided by a fixed range you know in advance (Spotify's [0, 1] features), so
 *   scaling does not depend on which tracks happen to be in the catalogue. Values outside the
 *   range are not clamped.
 *
 * Whichever scale, values are then centred on the catalogue mean (unless the catalogue is built
 * with `center: false`): the cosine then measures a track's direction away from the typical
 * track, see `docs/recommender.md`.
 *
 * @example
 * ```ts
 * import type { Normalization } from '@moodlens/recommender'
 *
 * const decibels: Normalization = { min: -60, max: 0 }
 * ```
 */
export type Normalization = 'zscore' | 'minmax' | { readonly min: number; readonly max: number }

/**
 * One numeric feature of the tracks: the property `name` read from each track, its `weight` in
 * the cosine (default 1) and its {@link Normalization} (default `'zscore'`).
 *
 * @example
 * ```ts
 * import type { FeatureSpec } from '@moodlens/recommender'
 *
 * const bpm: FeatureSpec = { name: 'bpm', weight: 0.5, normalization: 'zscore' }
 * ```
 */
export interface FeatureSpec {
  readonly name: string
  readonly weight?: number
  readonly normalization?: Normalization
}

/**
 * The Spotify audio features moodlens knows how to use.
 *
 * @example
 * ```ts
 * import type { SpotifyFeature } from '@moodlens/recommender'
 *
 * const feature: SpotifyFeature = 'danceability'
 * ```
 */
export type SpotifyFeature =
  | 'valence'
  | 'energy'
  | 'danceability'
  | 'acousticness'
  | 'instrumentalness'
  | 'speechiness'
  | 'liveness'
  | 'loudness'
  | 'tempo'
  | 'mode'

const UNIT_RANGE: Normalization = /* @__PURE__ */ Object.freeze({ min: 0, max: 1 })

function spec(name: string, weight: number, normalization: Normalization): Required<FeatureSpec> {
  return Object.freeze({ name, weight, normalization })
}

/**
 * Built-in specs for Spotify-style audio features (the fields of Spotify's former
 * `/audio-features` endpoint, which many catalogues still carry). The six features that carry
 * mood (valence, energy, danceability, acousticness, loudness, tempo) are z-scored with weight 1.
 * The three that describe production rather than mood (instrumentalness, speechiness, liveness:
 * skewed, mostly near 0) and the binary `mode` keep their fixed [0, 1] scale at weight 0.5, so
 * an unusually live or spoken track is not pushed far from every mood by its outlier value.
 *
 * @example
 * ```ts
 * import { SPOTIFY_FEATURES, createCatalog } from '@moodlens/recommender'
 *
 * const catalog = createCatalog(tracks, {
 *   features: [SPOTIFY_FEATURES.valence, { ...SPOTIFY_FEATURES.energy, weight: 2 }],
 * })
 * ```
 */
export const SPOTIFY_FEATURES: Readonly<Record<SpotifyFeature, Required<FeatureSpec>>> =
  /* @__PURE__ */ Object.freeze({
    valence: /* @__PURE__ */ spec('valence', 1, 'zscore'),
    energy: /* @__PURE__ */ spec('energy', 1, 'zscore'),
    danceability: /* @__PURE__ */ spec('danceability', 1, 'zscore'),
    acousticness: /* @__PURE__ */ spec('acousticness', 1, 'zscore'),
    loudness: /* @__PURE__ */ spec('loudness', 1, 'zscore'),
    tempo: /* @__PURE__ */ spec('tempo', 1, 'zscore'),
    instrumentalness: /* @__PURE__ */ spec('instrumentalness', 0.5, UNIT_RANGE),
    speechiness: /* @__PURE__ */ spec('speechiness', 0.5, UNIT_RANGE),
    liveness: /* @__PURE__ */ spec('liveness', 0.5, UNIT_RANGE),
    mode: /* @__PURE__ */ spec('mode', 0.5, UNIT_RANGE),
  })

/**
 * The features {@link createCatalog} uses when none are given: all ten {@link SPOTIFY_FEATURES}.
 *
 * @example
 * ```ts
 * import { DEFAULT_FEATURES } from '@moodlens/recommender'
 *
 * DEFAULT_FEATURES.length // 10
 * ```
 */
export const DEFAULT_FEATURES: readonly SpotifyFeature[] = /* @__PURE__ */ Object.freeze([
  'valence',
  'energy',
  'danceability',
  'acousticness',
  'loudness',
  'tempo',
  'instrumentalness',
  'speechiness',
  'liveness',
  'mode',
])

/**
 * Validates the `features` option and fills in defaults: what a spec leaves out comes from the
 * built-in Spotify spec of the same name when there is one, else weight 1 and `'zscore'`.
 */
export function resolveFeatureSpecs(
  features: readonly (string | FeatureSpec)[],
): Required<FeatureSpec>[] {
  if (!Array.isArray(features) || features.length === 0) {
    throw new InvalidOptionError(
      'features',
      'a non-empty array of feature names or specs',
      features,
    )
  }
  const seen = new Set<string>()
  return features.map((feature: unknown, index) => {
    const path = `features[${index}]`
    const spec: FeatureSpec =
      typeof feature === 'string'
        ? { name: feature }
        : typeof feature === 'object' && feature !== null
          ? (feature as FeatureSpec)
          : { name: '' }
    if (typeof spec.name !== 'string' || spec.name === '') {
      throw new InvalidOptionError(
        path,
        'a feature name or { name, weight?, normalization? }',
        feature,
      )
    }
    if (seen.has(spec.name)) {
      throw new InvalidOptionError(path, `a feature not listed before`, spec.name)
    }
    seen.add(spec.name)
    const builtIn = Object.hasOwn(SPOTIFY_FEATURES, spec.name)
      ? SPOTIFY_FEATURES[spec.name as SpotifyFeature]
      : undefined
    const weight = spec.weight === undefined ? (builtIn?.weight ?? 1) : spec.weight
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
      throw new InvalidOptionError(`${path}.weight`, 'a finite number > 0', weight)
    }
    const normalization =
      spec.normalization === undefined ? (builtIn?.normalization ?? 'zscore') : spec.normalization
    if (normalization !== 'zscore' && normalization !== 'minmax') {
      const range = normalization as { min?: unknown; max?: unknown }
      if (
        typeof range !== 'object' ||
        range === null ||
        typeof range.min !== 'number' ||
        typeof range.max !== 'number' ||
        !Number.isFinite(range.min) ||
        !Number.isFinite(range.max) ||
        !(range.min < range.max)
      ) {
        throw new InvalidOptionError(
          `${path}.normalization`,
          "'zscore', 'minmax' or { min, max } with finite min < max",
          normalization,
        )
      }
    }
    return { name: spec.name, weight, normalization }
  })
}
