/**
 * About `count` chart ticks between two times (ms), on whole multiples of a step of at least
 * `minStep` ms, so that no two tick labels read the same.
 */
export function timeTicks(first: number, last: number, count = 5, minStep = 1000): number[] {
  const step = Math.max(minStep, Math.ceil((last - first) / count / minStep) * minStep)
  const ticks: number[] = []
  for (let tick = Math.ceil(first / step) * step; tick <= last; tick += step) ticks.push(tick)
  return ticks
}
