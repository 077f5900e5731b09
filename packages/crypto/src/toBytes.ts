/**
 * Normalises a `Uint8Array | string` argument to bytes WebCrypto accepts: strings become UTF-8,
 * views on anything but a plain `ArrayBuffer` (a `SharedArrayBuffer`, another realm's buffer) are
 * copied. Anything else is a `TypeError` naming the argument.
 */
export function toBytes(value: unknown, name: string): Uint8Array<ArrayBuffer> {
  if (typeof value === 'string') return new TextEncoder().encode(value)
  if (value instanceof Uint8Array) {
    return value.buffer instanceof ArrayBuffer
      ? (value as Uint8Array<ArrayBuffer>)
      : new Uint8Array(value)
  }
  throw new TypeError(`${name} must be a Uint8Array or a string`)
}
