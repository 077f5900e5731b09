// Shared by the classifier benches (Node and the Chromium page): the same seeded grey faces
// everywhere, so that every bench times the same inputs, and the median they report.

/** `count` grey faces of `size`×`size` pixels, the same on every run (a fixed LCG). */
export function seededFaces(count, size) {
  let state = 20261125
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 24
  return Array.from({ length: count }, () => ({
    width: size,
    height: size,
    data: Uint8Array.from({ length: size * size }, next),
  }))
}

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
