/** mulberry32: a seeded generator of numbers uniform in [0, 1), the same on every platform. */
export declare function seededRandom(seed: number): () => number
