/**
 * Every error code `@moodlens/recommender` throws for bad data (bad options throw
 * {@link InvalidOptionError}). Switch on `error.code` rather than on messages, which may change
 * between releases.
 *
 * - `ERR_INVALID_TRACK`: a track is not an object with a non-empty string `id`.
 * - `ERR_INVALID_FEATURE_VALUE`: a track lacks a finite number for a feature.
 * - `ERR_DUPLICATE_ID`: two tracks share an id.
 * - `ERR_EMPTY_CATALOG`: no track is left to build a catalogue from.
 * - `ERR_UNKNOWN_EMOTION`: a name is not one of the seven {@link EMOTIONS}.
 * - `ERR_INVALID_DISTRIBUTION`: emotion probabilities are not a probability distribution.
 * - `ERR_TARGET_MISMATCH`: a target names none of the catalogue's features.
 * - `ERR_UNKNOWN_TRACK`: feedback names a track id the catalogue does not hold.
 * - `ERR_INVALID_FEEDBACK`: a feedback event is malformed.
 * - `ERR_INVALID_PROFILE`: data given to `TasteProfile.fromJSON` is not a saved profile.
 * - `ERR_INVALID_CSV`: a CSV cannot be read at all (no header, no id column, bad encoding).
 *   Single bad rows are reported, not thrown.
 * - `ERR_ABORTED`: an `AbortSignal` stopped a read; the abort reason is the `cause`.
 *
 * @example
 * ```ts
 * import type { RecommenderErrorCode } from '@moodlens/recommender'
 *
 * const code: RecommenderErrorCode = 'ERR_DUPLICATE_ID'
 * ```
 */
export type RecommenderErrorCode =
  | 'ERR_INVALID_TRACK'
  | 'ERR_INVALID_FEATURE_VALUE'
  | 'ERR_DUPLICATE_ID'
  | 'ERR_EMPTY_CATALOG'
  | 'ERR_UNKNOWN_EMOTION'
  | 'ERR_INVALID_DISTRIBUTION'
  | 'ERR_TARGET_MISMATCH'
  | 'ERR_UNKNOWN_TRACK'
  | 'ERR_INVALID_FEEDBACK'
  | 'ERR_INVALID_PROFILE'
  | 'ERR_INVALID_CSV'
  | 'ERR_ABORTED'

/**
 * The base class of the data errors `@moodlens/recommender` throws. `name` is the concrete class's
 * name and `cause` keeps the underlying error where there is one.
 *
 * @example
 * ```ts
 * import { RecommenderError, createCatalog } from '@moodlens/recommender'
 *
 * try {
 *   createCatalog([{ id: 'a', valence: Number.NaN }], { features: ['valence'] })
 * } catch (error) {
 *   if (error instanceof RecommenderError && error.code === 'ERR_INVALID_FEATURE_VALUE') {
 *     console.warn(error.message) // names the track and the field
 *   }
 * }
 * ```
 */
export class RecommenderError extends Error {
  /** A stable, machine-readable code. */
  readonly code: RecommenderErrorCode

  constructor(code: RecommenderErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}
