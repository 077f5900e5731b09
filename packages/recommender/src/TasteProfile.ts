import { catalogInternals, type Catalog, type CatalogTrack } from './createCatalog.ts'
import { EMOTIONS, type Emotion } from './emotions.ts'
import { describe, InvalidOptionError } from './InvalidOptionError.ts'
import type { FeatureTargets } from './moodProfile.ts'
import { RecommenderError } from './RecommenderError.ts'
import { toEmotionProbabilities, type MoodInput } from './toEmotionProbabilities.ts'

/**
 * How much a listener liked a track: `'like'`, `'skip'`, `'dislike'` (mapped through the
 * profile's `signals`) or a number from -1 (hated it) to 1 (loved it).
 *
 * @example
 * ```ts
 * import type { FeedbackSignal } from '@moodlens/recommender'
 *
 * const rating: FeedbackSignal = 0.6
 * ```
 */
export type FeedbackSignal = 'like' | 'skip' | 'dislike' | number

/**
 * One piece of listener feedback: which track, how it went, and the listener's mood at the time.
 *
 * @example
 * ```ts
 * import type { Feedback } from '@moodlens/recommender'
 *
 * const event: Feedback = { trackId: '6f807x0ima9a1j3VPbc7VN', signal: 'skip', mood: 'sad' }
 * ```
 */
export interface Feedback {
  readonly trackId: string
  readonly signal: FeedbackSignal
  readonly mood: MoodInput
}

/**
 * Options of {@link createTasteProfile}.
 *
 * @example
 * ```ts
 * import type { TasteProfileOptions } from '@moodlens/recommender'
 *
 * const options: TasteProfileOptions = { learningRate: 0.1, maxOffset: 0.3 }
 * ```
 */
export interface TasteProfileOptions {
  /** How far one piece of feedback moves an offset toward (or away from) the track. Default 0.2. */
  readonly learningRate?: number
  /**
   * The share of an emotion's offset that survives each new piece of feedback given in that mood
   * (scaled by the mood's probability), so old feedback fades. Default 0.9.
   */
  readonly decay?: number
  /**
   * The longest an emotion's offset may grow, relative to the unit-length mood target. Default
   * 0.5: taste can tilt a mood's recommendations but never overrule the mood.
   */
  readonly maxOffset?: number
  /** Numeric values of the named signals. Default like 1, skip -0.3, dislike -1. */
  readonly signals?: Readonly<{ like?: number; skip?: number; dislike?: number }>
}

/**
 * A taste profile as `toJSON` writes it and `TasteProfile.fromJSON` reads it.
 *
 * @example
 * ```ts
 * import type { TasteProfileJSON } from '@moodlens/recommender'
 *
 * const save = (json: TasteProfileJSON) => localStorage.setItem('taste', JSON.stringify(json))
 * ```
 */
export interface TasteProfileJSON {
  readonly version: 1
  readonly options: {
    readonly learningRate: number
    readonly decay: number
    readonly maxOffset: number
    readonly signals: { readonly like: number; readonly skip: number; readonly dislike: number }
  }
  readonly feedbackCount: number
  /** Per emotion, the offset by feature name, in the catalogue's unit-vector space. */
  readonly offsets: Readonly<Record<Emotion, Readonly<Record<string, number>>>>
}

/**
 * The defaults of {@link TasteProfileOptions}.
 *
 * @example
 * ```ts
 * import { DEFAULT_TASTE_PROFILE_OPTIONS } from '@moodlens/recommender'
 *
 * DEFAULT_TASTE_PROFILE_OPTIONS.maxOffset // 0.5
 * ```
 */
export const DEFAULT_TASTE_PROFILE_OPTIONS: TasteProfileJSON['options'] =
  /* @__PURE__ */ Object.freeze({
    learningRate: 0.2,
    decay: 0.9,
    maxOffset: 0.5,
    signals: /* @__PURE__ */ Object.freeze({ like: 1, skip: -0.3, dislike: -1 }),
  })

/**
 * A listener's learned taste: for each emotion, a bounded, decaying offset in the catalogue's
 * feature space (a Rocchio-style relevance-feedback update), added to the mood target before
 * ranking. Liked tracks pull recommendations for that mood toward themselves; skipped and disliked
 * ones push them away. Make one with {@link createTasteProfile}; pass it to `recommend` as
 * `profile`; persist it with `JSON.stringify(profile)` and {@link TasteProfile.fromJSON}.
 *
 * Offsets are keyed by feature name, so a profile outlives catalogue rebuilds that keep the
 * feature names.
 *
 * @example
 * ```ts
 * import { TasteProfile, createTasteProfile, recommend } from '@moodlens/recommender'
 *
 * const taste = createTasteProfile()
 * taste.learn(catalog, { trackId: 'a', signal: 'like', mood: 'sad' })
 * const saved = JSON.stringify(taste)
 * const restored = TasteProfile.fromJSON(JSON.parse(saved))
 * recommend(catalog, 'sad', { profile: restored })
 * ```
 */
export class TasteProfile {
  readonly #options: TasteProfileJSON['options']
  readonly #offsets: Map<Emotion, Map<string, number>>
  #feedbackCount = 0

  constructor(options: TasteProfileOptions = {}) {
    this.#options = resolveOptions(options, (path, expected, value) => {
      throw new InvalidOptionError(path, expected, value)
    })
    this.#offsets = new Map(EMOTIONS.map((emotion) => [emotion, new Map()]))
  }

  /** The options in effect, defaults filled in. */
  get options(): TasteProfileJSON['options'] {
    return this.#options
  }

  /** How many pieces of feedback the profile has learned from. */
  get feedbackCount(): number {
    return this.#feedbackCount
  }

  /**
   * Learns from feedback on tracks of `catalog`. A batch is validated whole before any of it is
   * applied.
   *
   * @throws {@link RecommenderError} `ERR_UNKNOWN_TRACK` for an id not in the catalogue,
   * `ERR_INVALID_FEEDBACK` for a malformed event (the cause says why).
   */
  learn<TTrack extends CatalogTrack>(
    catalog: Catalog<TTrack>,
    feedback: Feedback | readonly Feedback[],
  ): void {
    const { d, store } = catalogInternals(catalog)
    const names = catalog.features.map((feature) => feature.name)
    const events = (Array.isArray(feedback) ? feedback : [feedback]) as readonly unknown[]
    const checked = events.map((event, position) => this.#check(catalog, event, position))
    const { learningRate, decay, maxOffset } = this.#options
    for (const { row, signal, mood } of checked) {
      for (const emotion of EMOTIONS) {
        const weight = mood[emotion]
        if (weight === 0) continue
        const offset = this.#offsets.get(emotion)!
        const keep = 1 - weight * (1 - decay)
        for (const [feature, value] of offset) offset.set(feature, keep * value)
        const step = learningRate * weight * signal
        for (let j = 0; j < d; j++) {
          const name = names[j]!
          offset.set(name, (offset.get(name) ?? 0) + step * store.data[row * d + j]!)
        }
        let norm = 0
        for (const value of offset.values()) norm += value * value
        norm = Math.sqrt(norm)
        if (norm > maxOffset) {
          for (const [feature, value] of offset) offset.set(feature, (value * maxOffset) / norm)
        }
      }
      this.#feedbackCount++
    }
  }

  /**
   * The offset for a mood: the mood-weighted sum of the emotions' offsets, by feature name, in the
   * catalogue's unit-vector space.
   *
   * @throws {@link RecommenderError} `ERR_UNKNOWN_EMOTION` or `ERR_INVALID_DISTRIBUTION`.
   */
  offset(mood: MoodInput): FeatureTargets {
    const p = toEmotionProbabilities(mood)
    const sum = new Map<string, number>()
    for (const emotion of EMOTIONS) {
      const weight = p[emotion]
      if (weight === 0) continue
      for (const [feature, value] of this.#offsets.get(emotion)!) {
        sum.set(feature, (sum.get(feature) ?? 0) + weight * value)
      }
    }
    return Object.freeze(Object.fromEntries(sum))
  }

  /** Forgets all feedback. */
  reset(): void {
    for (const offset of this.#offsets.values()) offset.clear()
    this.#feedbackCount = 0
  }

  /** A plain-JSON snapshot; `JSON.stringify(profile)` calls it. */
  toJSON(): TasteProfileJSON {
    const offsets = {} as Record<Emotion, Record<string, number>>
    for (const emotion of EMOTIONS) {
      offsets[emotion] = Object.fromEntries(this.#offsets.get(emotion)!)
    }
    return {
      version: 1,
      options: { ...this.#options, signals: { ...this.#options.signals } },
      feedbackCount: this.#feedbackCount,
      offsets,
    }
  }

  /**
   * Restores a profile saved with `toJSON`. Everything read is validated: this is the place where
   * stored (possibly tampered-with) data enters.
   *
   * @throws {@link RecommenderError} `ERR_INVALID_PROFILE` naming what is wrong.
   *
   * @example
   * ```ts
   * import { TasteProfile } from '@moodlens/recommender'
   *
   * const taste = TasteProfile.fromJSON(JSON.parse(await store.get(userId)))
   * ```
   */
  static fromJSON(json: unknown): TasteProfile {
    const fail = (path: string, expected: string, value: unknown): never => {
      throw new RecommenderError(
        'ERR_INVALID_PROFILE',
        `Invalid taste profile: "${path}" should be ${expected}, got ${describe(value)}`,
      )
    }
    if (!isRecord(json)) return fail('(root)', 'an object', json)
    expectKeys(json, ['version', 'options', 'feedbackCount', 'offsets'], '', fail)
    if (json['version'] !== 1) fail('version', '1', json['version'])
    if (!isRecord(json['options'])) fail('options', 'an object', json['options'])
    const options = json['options'] as Record<string, unknown>
    expectKeys(options, ['learningRate', 'decay', 'maxOffset', 'signals'], 'options.', fail)
    if (!isRecord(options['signals'])) fail('options.signals', 'an object', options['signals'])
    expectKeys(
      options['signals'] as Record<string, unknown>,
      ['like', 'skip', 'dislike'],
      'options.signals.',
      fail,
    )
    const profile = new TasteProfile(
      resolveOptions(options as TasteProfileOptions, (path, expected, value) =>
        fail(`options.${path}`, expected, value),
      ),
    )
    const count = json['feedbackCount']
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      fail('feedbackCount', 'an integer >= 0', count)
    }
    profile.#feedbackCount = count as number
    const offsets = json['offsets']
    if (!isRecord(offsets)) return fail('offsets', 'an object', offsets)
    expectKeys(offsets, EMOTIONS, 'offsets.', fail)
    const bound = profile.#options.maxOffset * (1 + 1e-9)
    for (const emotion of EMOTIONS) {
      const entry = offsets[emotion]
      if (!isRecord(entry)) return fail(`offsets.${emotion}`, 'an object', entry)
      const offset = profile.#offsets.get(emotion)!
      let norm = 0
      for (const [feature, value] of Object.entries(entry)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          fail(`offsets.${emotion}.${feature}`, 'a finite number', value)
        }
        offset.set(feature, value as number)
        norm += (value as number) ** 2
      }
      if (Math.sqrt(norm) > bound) {
        fail(
          `offsets.${emotion}`,
          `an offset of length <= maxOffset (${profile.#options.maxOffset})`,
          Math.sqrt(norm),
        )
      }
    }
    return profile
  }

  #check(catalog: Catalog<CatalogTrack>, event: unknown, position: number) {
    const where = `Feedback ${position}`
    if (!isRecord(event)) {
      throw new RecommenderError(
        'ERR_INVALID_FEEDBACK',
        `${where} is not an object: ${describe(event)}`,
      )
    }
    const { trackId, signal, mood } = event
    if (typeof trackId !== 'string') {
      throw new RecommenderError(
        'ERR_INVALID_FEEDBACK',
        `${where} has no string trackId: ${describe(trackId)}`,
      )
    }
    const row = catalog.indexOf(trackId)
    if (row < 0) {
      throw new RecommenderError(
        'ERR_UNKNOWN_TRACK',
        `${where} names track "${trackId}", which the catalogue does not hold`,
      )
    }
    let value: number | undefined
    if (signal === 'like' || signal === 'skip' || signal === 'dislike')
      value = this.#options.signals[signal]
    else if (typeof signal === 'number' && signal >= -1 && signal <= 1) value = signal
    if (value === undefined) {
      throw new RecommenderError(
        'ERR_INVALID_FEEDBACK',
        `${where} has signal ${describe(signal)}; expected 'like', 'skip', 'dislike' or a number from -1 to 1`,
      )
    }
    try {
      return { row, signal: value, mood: toEmotionProbabilities(mood as MoodInput) }
    } catch (error) {
      throw new RecommenderError('ERR_INVALID_FEEDBACK', `${where} has an invalid mood`, {
        cause: error,
      })
    }
  }
}

/**
 * Creates an empty {@link TasteProfile}.
 *
 * @throws {@link InvalidOptionError} for a bad option.
 *
 * @example
 * ```ts
 * import { createTasteProfile, recommend } from '@moodlens/recommender'
 *
 * const taste = createTasteProfile({ learningRate: 0.3 })
 * taste.learn(catalog, [
 *   { trackId: 'a', signal: 'like', mood: 'happy' },
 *   { trackId: 'b', signal: 'dislike', mood: 'happy' },
 * ])
 * recommend(catalog, 'happy', { profile: taste })
 * ```
 */
export function createTasteProfile(options: TasteProfileOptions = {}): TasteProfile {
  return new TasteProfile(options)
}

type Fail = (path: string, expected: string, value: unknown) => never

function resolveOptions(options: TasteProfileOptions, fail: Fail): TasteProfileJSON['options'] {
  if (!isRecord(options)) return fail('options', 'an object', options)
  const defaults = DEFAULT_TASTE_PROFILE_OPTIONS
  const number = (
    path: string,
    value: unknown,
    ok: (x: number) => boolean,
    expected: string,
  ): number => {
    if (typeof value !== 'number' || !ok(value)) fail(path, expected, value)
    return value as number
  }
  const learningRate = number(
    'learningRate',
    options.learningRate === undefined ? defaults.learningRate : options.learningRate,
    (x) => x > 0 && x <= 1,
    'a number in (0, 1]',
  )
  const decay = number(
    'decay',
    options.decay === undefined ? defaults.decay : options.decay,
    (x) => x >= 0 && x <= 1,
    'a number from 0 to 1',
  )
  const maxOffset = number(
    'maxOffset',
    options.maxOffset === undefined ? defaults.maxOffset : options.maxOffset,
    (x) => x > 0 && Number.isFinite(x),
    'a finite number > 0',
  )
  const signals = options.signals === undefined ? {} : options.signals
  if (!isRecord(signals)) return fail('signals', 'an object', signals)
  const signal = (name: 'like' | 'skip' | 'dislike'): number =>
    number(
      `signals.${name}`,
      signals[name] === undefined ? defaults.signals[name] : signals[name],
      (x) => x >= -1 && x <= 1,
      'a number from -1 to 1',
    )
  return Object.freeze({
    learningRate,
    decay,
    maxOffset,
    signals: /* @__PURE__ */ Object.freeze({
      like: signal('like'),
      skip: signal('skip'),
      dislike: signal('dislike'),
    }),
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function expectKeys(
  record: Record<string, unknown>,
  keys: readonly string[],
  prefix: string,
  fail: Fail,
): void {
  for (const key of Object.keys(record)) {
    if (!keys.includes(key)) fail(`${prefix}${key}`, 'absent (unknown field)', record[key])
  }
  for (const key of keys) {
    if (!(key in record)) fail(`${prefix}${key}`, 'present', undefined)
  }
}
