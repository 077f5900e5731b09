/**
 * The softmax of `logits`, computed in double precision with the maximum subtracted so that large
 * logits cannot overflow. The result sums to 1 up to rounding.
 *
 * @example
 * ```ts
 * softmax([0, Math.log(3)]) // [0.25, 0.75]
 * ```
 */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!)
  const exps = Array.from(logits, (logit) => Math.exp(logit - max))
  const sum = exps.reduce((total, value) => total + value, 0)
  return exps.map((value) => value / sum)
}
