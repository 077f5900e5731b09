/**
 * Whether `value` is a WebCrypto `CryptoKey`. Checks the brand rather than `instanceof` so that
 * keys from another realm (a worker, an iframe, Node's `webcrypto` export) are recognised too.
 */
export function isCryptoKey(value: unknown): value is CryptoKey {
  return Object.prototype.toString.call(value) === '[object CryptoKey]'
}
