import type { FaceEmotion } from '../EmotionDetector.ts'
import { matchFacesByIou } from './matchFacesByIou.ts'
import { blendProbabilities, emaWeight, leadingEmotion } from './smoothProbabilities.ts'

/**
 * A face followed across video frames: the latest detection's box, keypoints and face score, with
 * `probabilities`, `emotion`, `confidence`, `valence` and `arousal` smoothed over time.
 *
 * @example
 * ```ts
 * import type { TrackedFace } from '@moodlens/core'
 *
 * const key = (face: TrackedFace): string => `face-${face.id}`
 * ```
 */
export interface TrackedFace extends FaceEmotion {
  /** Stable across frames for as long as the face is tracked; never reused by the same tracker. */
  readonly id: number
  /** The timestamp (ms, the frame clock) of the frame the face was first detected in. */
  readonly firstSeenAt: number
  /** The timestamp (ms, the frame clock) of the latest frame the face was detected in. */
  readonly lastSeenAt: number
}

/** The settings of {@link createFaceTracks}, already validated. */
export interface FaceTracksSettings {
  /** Minimum IoU for a detection to continue a track. */
  readonly iouThreshold: number
  /** A track not detected for longer than this is dropped. */
  readonly maxMissedMs: number
  /** Half-life of the probabilities' moving average; 0 disables smoothing. */
  readonly halfLifeMs: number
}

/**
 * The set of tracked faces. See {@link createFaceTracks}.
 */
export interface FaceTracks {
  /**
   * Folds the detections of the frame at `timestampMs` into the tracks and returns them, ordered
   * by id (oldest first, so a list keyed by id does not reshuffle).
   */
  update(detections: readonly FaceEmotion[], timestampMs: number): readonly TrackedFace[]
  /** Drops every track (ids keep counting up). */
  clear(): void
}

/**
 * Creates the face tracks of a tracker: detections are matched to tracks by IoU, matched tracks are
 * smoothed with an exponential moving average whose weight follows the time since the track's last
 * detection, unmatched detections open new tracks, and tracks missed for longer than
 * `maxMissedMs` are dropped (a briefly missed face keeps its id and its last box).
 *
 * @example
 * ```ts
 * const tracks = createFaceTracks({ iouThreshold: 0.3, maxMissedMs: 1000, halfLifeMs: 250 })
 * const faces = tracks.update(await detector.detect(video), performance.now())
 * ```
 */
export function createFaceTracks(settings: FaceTracksSettings): FaceTracks {
  let tracks: TrackedFace[] = []
  let nextId = 1
  return {
    update(detections, timestampMs) {
      const matches = matchFacesByIou(
        tracks.map((track) => track.box),
        detections.map((face) => face.box),
        settings.iouThreshold,
      )
      const next: TrackedFace[] = []
      const matchedTracks = new Set<number>()
      const matchedDetections = new Set<number>()
      for (const { track: t, detection: d } of matches) {
        const track = tracks[t]
        const face = detections[d]
        if (track === undefined || face === undefined) continue
        matchedTracks.add(t)
        matchedDetections.add(d)
        const weight = emaWeight(timestampMs - track.lastSeenAt, settings.halfLifeMs)
        const probabilities = blendProbabilities(track.probabilities, face.probabilities, weight)
        next.push({
          ...face,
          ...leadingEmotion(probabilities),
          probabilities,
          // Valence and arousal are linear in the probabilities, so smoothing them with the same
          // weight gives exactly the valence and arousal of the smoothed probabilities.
          valence: (1 - weight) * track.valence + weight * face.valence,
          arousal: (1 - weight) * track.arousal + weight * face.arousal,
          id: track.id,
          firstSeenAt: track.firstSeenAt,
          lastSeenAt: timestampMs,
        })
      }
      for (const [t, track] of tracks.entries()) {
        if (!matchedTracks.has(t) && timestampMs - track.lastSeenAt <= settings.maxMissedMs) {
          next.push(track)
        }
      }
      for (const [d, face] of detections.entries()) {
        if (matchedDetections.has(d)) continue
        next.push({
          ...face,
          probabilities: { ...face.probabilities },
          id: nextId++,
          firstSeenAt: timestampMs,
          lastSeenAt: timestampMs,
        })
      }
      next.sort((a, b) => a.id - b.id)
      tracks = next
      return tracks
    },
    clear() {
      tracks = []
    },
  }
}
