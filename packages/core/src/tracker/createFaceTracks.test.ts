import { describe, expect, it } from 'vitest'
import { EMOTIONS, valenceArousal } from '../emotions.ts'
import { distribution, face } from './__tests__/scriptedFaces.ts'
import { createFaceTracks } from './createFaceTracks.ts'
import { emaWeight } from './smoothProbabilities.ts'

const settings = { iouThreshold: 0.3, maxMissedMs: 500, halfLifeMs: 200 }

describe('createFaceTracks', () => {
  it('gives new faces new ids and keeps them while the boxes overlap', () => {
    const tracks = createFaceTracks(settings)
    const first = tracks.update([face(0, 0, 100, 'happy'), face(300, 0, 100, 'sad')], 0)
    expect(first.map((f) => f.id)).toEqual([1, 2])
    // both moved a little, reported in the other order
    const second = tracks.update([face(310, 5, 100, 'sad'), face(8, 4, 100, 'happy')], 40)
    expect(second.map((f) => [f.id, f.box.x])).toEqual([
      [1, 8],
      [2, 310],
    ])
    expect(second[0]?.firstSeenAt).toBe(0)
    expect(second[0]?.lastSeenAt).toBe(40)
  })

  it('opens a new track for a face that jumped too far', () => {
    const tracks = createFaceTracks(settings)
    tracks.update([face(0, 0, 100, 'happy')], 0)
    const after = tracks.update([face(500, 0, 100, 'happy')], 40)
    // the old track is kept (missed for 40 ms only) next to the new one
    expect(after.map((f) => f.id)).toEqual([1, 2])
    expect(after[0]?.lastSeenAt).toBe(0)
  })

  it('keeps a briefly missed face with its id and drops it after maxMissedMs', () => {
    const tracks = createFaceTracks(settings)
    tracks.update([face(0, 0, 100, 'happy')], 0)
    expect(tracks.update([], 300).map((f) => f.id)).toEqual([1])
    expect(tracks.update([face(2, 0, 100, 'happy')], 500).map((f) => f.id)).toEqual([1])
    expect(tracks.update([], 1000).map((f) => f.id)).toEqual([1])
    expect(tracks.update([], 1001)).toEqual([])
    // ids are never reused
    expect(tracks.update([face(0, 0, 100, 'happy')], 1100).map((f) => f.id)).toEqual([2])
  })

  it('smooths probabilities, valence and arousal with a weight that follows the elapsed time', () => {
    const tracks = createFaceTracks(settings)
    const happy = distribution('happy', 0.9)
    const sad = distribution('sad', 0.9)
    tracks.update([face(0, 0, 100, happy)], 0)
    const [smoothed] = tracks.update([face(0, 0, 100, sad)], 200)
    const w = emaWeight(200, settings.halfLifeMs)
    expect(w).toBeCloseTo(0.5, 12)
    for (const e of EMOTIONS) {
      expect(smoothed?.probabilities[e]).toBeCloseTo(happy[e] + w * (sad[e] - happy[e]), 12)
    }
    const expected = valenceArousal(smoothed?.probabilities ?? {})
    expect(smoothed?.valence).toBeCloseTo(expected.valence, 12)
    expect(smoothed?.arousal).toBeCloseTo(expected.arousal, 12)
    // a tie at exactly half-way goes to the emotion listed first
    expect(smoothed?.emotion).toBe('happy')
    expect(smoothed?.confidence).toBeCloseTo(0.5 * 0.9 + 0.5 * (0.1 / 6), 12)
  })

  it('smooths the same per second at 10 and at 50 detections per second', () => {
    const at = (fps: number) => {
      const tracks = createFaceTracks(settings)
      tracks.update([face(0, 0, 100, distribution('neutral', 0.9))], 0)
      let last = tracks.update([], 0)
      for (let t = 1000 / fps; t <= 300 + 1e-9; t += 1000 / fps) {
        last = tracks.update([face(0, 0, 100, distribution('angry', 0.9))], t)
      }
      return last[0]?.probabilities.angry ?? Number.NaN
    }
    expect(at(10)).toBeCloseTo(at(50), 9)
  })

  it('takes the raw probabilities with smoothing off', () => {
    const tracks = createFaceTracks({ ...settings, halfLifeMs: 0 })
    tracks.update([face(0, 0, 100, 'happy')], 0)
    const [latest] = tracks.update([face(0, 0, 100, 'surprise')], 10)
    expect(latest?.emotion).toBe('surprise')
    expect(latest?.probabilities).toEqual(distribution('surprise'))
  })

  it('keeps the detection box, keypoints and face score of the latest frame', () => {
    const tracks = createFaceTracks(settings)
    tracks.update([face(0, 0, 100, 'happy')], 0)
    const moved = { ...face(6, 3, 104, 'happy'), faceScore: 0.42 }
    const [latest] = tracks.update([moved], 30)
    expect(latest?.box).toEqual(moved.box)
    expect(latest?.keypoints).toEqual(moved.keypoints)
    expect(latest?.faceScore).toBe(0.42)
  })

  it('clear() drops every track', () => {
    const tracks = createFaceTracks(settings)
    tracks.update([face(0, 0, 100, 'happy')], 0)
    tracks.clear()
    expect(tracks.update([], 10)).toEqual([])
  })
})
