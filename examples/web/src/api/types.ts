import type { Emotion, EmotionProbabilities, FeatureContribution } from '@moodlens/recommender'

/** A catalogue track as the server lists it. */
export interface Track {
  readonly id: string
  readonly name: string
  readonly artist: string
  readonly album: string
  readonly genre: string
  readonly subgenre: string
  readonly features: Readonly<Record<string, number>>
}

/** One ranked track with the server's explanation of its score. */
export interface RecommendedTrack {
  readonly track: Track
  readonly score: number
  readonly explanation?: readonly FeatureContribution[]
  /** Journeys: how far along the way from the start mood to the goal, 0 to 1. */
  readonly progress?: number
}

/** What `POST /recommendations` answers. */
export interface RecommendationsResponse {
  readonly items: readonly RecommendedTrack[]
}

/** The feedback signals the taste profile learns from (the server also takes ratings). */
export type FeedbackSignal = 'like' | 'skip' | 'dislike'

/** One stored mood of the history. */
export interface HistoryMood {
  readonly id: string
  readonly createdAt: string
  readonly source: 'device' | 'server'
  readonly emotion: Emotion
  readonly probabilities: EmotionProbabilities
}

/** One stored feedback event of the history. */
export interface HistoryFeedback {
  readonly id: string
  readonly createdAt: string
  readonly trackId: string
  readonly signal: FeedbackSignal | 'rating'
  readonly rating?: number
  /** `null` when the track has since left the catalogue. */
  readonly track: Pick<Track, 'name' | 'artist'> | null
}

/** What `GET /history` answers, newest first. */
export interface HistoryResponse {
  readonly moods: readonly HistoryMood[]
  readonly feedback: readonly HistoryFeedback[]
}

/** What `POST /tracks/import` answers. */
export interface ImportResponse {
  readonly rows: number
  readonly inserted: number
  readonly updated: number
  readonly duplicates: number
  readonly errors: readonly { readonly line: number; readonly reason: string }[]
}
