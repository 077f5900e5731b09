// mulberry32: a small seeded generator, so that test data and benchmark inputs are the same on
// every run and platform. Shared by the packages' tests (TypeScript, through seededRandom.d.mts)
// and the plain-JS benchmarks.

/** @param {number} seed @returns {() => number} uniform in [0, 1) */
export function seededRandom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
