/**
 * A bounded min-heap keeping the best `k` (score, index) pairs seen: higher scores first, ties
 * broken by the lower index, so results are deterministic and equal to a full sort's.
 */
export class TopK {
  readonly #scores: Float64Array
  readonly #indices: Int32Array
  #size = 0

  constructor(readonly k: number) {
    this.#scores = new Float64Array(k)
    this.#indices = new Int32Array(k)
  }

  get size(): number {
    return this.#size
  }

  /**
   * The score a new entry must beat (with a higher index) to enter: -Infinity until full.
   */
  get threshold(): number {
    return this.#size < this.k ? -Infinity : this.#scores[0]!
  }

  /** Offers an entry; returns the new threshold. */
  push(score: number, index: number): number {
    const scores = this.#scores
    const indices = this.#indices
    if (this.#size < this.k) {
      // Sift up.
      let at = this.#size++
      while (at > 0) {
        const parent = (at - 1) >> 1
        if (!worse(score, index, scores[parent]!, indices[parent]!)) break
        scores[at] = scores[parent]!
        indices[at] = indices[parent]!
        at = parent
      }
      scores[at] = score
      indices[at] = index
    } else {
      if (this.k === 0 || !worse(scores[0]!, indices[0]!, score, index)) return this.threshold
      // Replace the root (the worst kept entry) and sift down.
      const size = this.#size
      let at = 0
      for (;;) {
        let child = 2 * at + 1
        if (child >= size) break
        const right = child + 1
        if (
          right < size &&
          worse(scores[right]!, indices[right]!, scores[child]!, indices[child]!)
        ) {
          child = right
        }
        if (!worse(scores[child]!, indices[child]!, score, index)) break
        scores[at] = scores[child]!
        indices[at] = indices[child]!
        at = child
      }
      scores[at] = score
      indices[at] = index
    }
    return this.threshold
  }

  /** The kept entries, best first. */
  sorted(): { scores: Float64Array; indices: Int32Array } {
    const order = Array.from({ length: this.#size }, (_, i) => i)
    const scores = this.#scores
    const indices = this.#indices
    order.sort((a, b) => scores[b]! - scores[a]! || indices[a]! - indices[b]!)
    return {
      scores: Float64Array.from(order, (i) => scores[i]!),
      indices: Int32Array.from(order, (i) => indices[i]!),
    }
  }
}

/** Whether (scoreA, indexA) ranks below (scoreB, indexB). */
function worse(scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && indexA > indexB)
}
