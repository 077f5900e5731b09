import { describe, expect, it } from 'vitest'
import { intersectionOverUnion, matchFacesByIou } from './matchFacesByIou.ts'

const box = (x: number, y: number, width: number, height = width) => ({ x, y, width, height })

describe('intersectionOverUnion', () => {
  it('is 1 for identical boxes and 0 for disjoint or touching ones', () => {
    expect(intersectionOverUnion(box(5, 5, 10), box(5, 5, 10))).toBe(1)
    expect(intersectionOverUnion(box(0, 0, 10), box(20, 20, 10))).toBe(0)
    expect(intersectionOverUnion(box(0, 0, 10), box(10, 0, 10))).toBe(0)
  })

  it('divides the overlap by the union', () => {
    // overlap 1x2 = 2, union 4 + 4 - 2 = 6
    expect(intersectionOverUnion(box(0, 0, 2), box(1, 0, 2))).toBeCloseTo(1 / 3, 12)
    // a box inside another: the small area over the large one
    expect(intersectionOverUnion(box(0, 0, 10), box(2, 2, 5))).toBeCloseTo(25 / 100, 12)
  })

  it('is symmetric', () => {
    const a = box(3, 4, 10, 7)
    const b = box(6, 1, 9, 12)
    expect(intersectionOverUnion(a, b)).toBe(intersectionOverUnion(b, a))
  })

  it('is 0 for empty or NaN boxes rather than NaN', () => {
    expect(intersectionOverUnion(box(0, 0, 0), box(0, 0, 0))).toBe(0)
    expect(intersectionOverUnion(box(Number.NaN, 0, 5), box(0, 0, 5))).toBe(0)
  })
})

describe('matchFacesByIou', () => {
  it('pairs each track with the detection that overlaps it most', () => {
    const tracks = [box(0, 0, 10), box(100, 0, 10)]
    // detections in the other order, each shifted a little
    const detections = [box(102, 1, 10), box(1, 1, 10)]
    const matches = matchFacesByIou(tracks, detections, 0.3)
    expect(matches.map(({ track, detection }) => [track, detection]).sort()).toEqual([
      [0, 1],
      [1, 0],
    ])
  })

  it('leaves pairs under the threshold unmatched', () => {
    // IoU 1/3
    expect(matchFacesByIou([box(0, 0, 2)], [box(1, 0, 2)], 0.34)).toEqual([])
    expect(matchFacesByIou([box(0, 0, 2)], [box(1, 0, 2)], 0.33)).toHaveLength(1)
  })

  it('uses every box at most once, the best pair first', () => {
    // two detections both overlap the single track; the closer one wins
    const matches = matchFacesByIou([box(0, 0, 10)], [box(4, 0, 10), box(1, 0, 10)], 0.1)
    expect(matches).toHaveLength(1)
    expect(matches[0]?.detection).toBe(1)
    expect(matches[0]?.iou).toBeCloseTo(90 / 110, 12)
  })

  it('handles empty sides', () => {
    expect(matchFacesByIou([], [box(0, 0, 1)], 0.3)).toEqual([])
    expect(matchFacesByIou([box(0, 0, 1)], [], 0.3)).toEqual([])
  })
})
