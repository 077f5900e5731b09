/**
 * Throws a `TypeError` unless `options` is `undefined` or an object, so that destructuring an
 * options argument never reads properties of a primitive by accident.
 */
export function assertOptions(
  options: unknown,
  name = 'options',
): asserts options is object | undefined {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${name} must be an object`)
  }
}

/** Throws a `TypeError` naming `name` unless `value` is `undefined` or a boolean. */
export function assertOptionalBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${name} must be a boolean`)
  }
}
