/** Test helper: a shallow copy of `value` without the named members. */
export function omit<TValue extends object, TKey extends keyof TValue>(
  value: TValue,
  ...keys: TKey[]
): Omit<TValue, TKey> {
  const dropped = new Set<PropertyKey>(keys)
  return Object.fromEntries(Object.entries(value).filter(([key]) => !dropped.has(key))) as Omit<
    TValue,
    TKey
  >
}
