/** What the hooks return as `error`: the thrown value itself when it is an Error, else wrapped. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown))
}
