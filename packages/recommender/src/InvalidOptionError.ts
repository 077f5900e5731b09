/**
 * Thrown at once when an option is invalid. It is a `TypeError` (the platform's convention for a
 * bad argument) with a stable `code` and the dotted path of the offending option in `option`.
 *
 * @example
 * ```ts
 * import { InvalidOptionError, recommend } from '@moodlens/recommender'
 *
 * try {
 *   recommend(catalog, 'happy', { k: 0 })
 * } catch (error) {
 *   if (error instanceof InvalidOptionError) console.warn(error.option) // 'k'
 * }
 * ```
 */
export class InvalidOptionError extends TypeError {
  /** Always `'ERR_INVALID_OPTION'`. */
  readonly code = 'ERR_INVALID_OPTION' as const
  /** The option's path, such as `'k'` or `'filter.energy.min'`. */
  readonly option: string

  constructor(option: string, expected: string, received: unknown) {
    super(`Invalid option "${option}": expected ${expected}, got ${describe(received)}`)
    this.name = new.target.name
    this.option = option
  }
}

/** A short, safe rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return `an array of length ${value.length}`
  return `a ${typeof value}`
}
