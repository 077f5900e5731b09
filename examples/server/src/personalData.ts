import {
  EMOTIONS,
  TasteProfile,
  type Emotion,
  type EmotionProbabilities,
} from '@moodlens/recommender'
import type { Keyring } from './createKeyring.ts'
import type { Queryable } from './openDatabase.ts'

/** What a stored mood holds, sealed at rest. */
export interface StoredMood {
  readonly probabilities: EmotionProbabilities
  readonly emotion: Emotion
}

/**
 * The additional data of each sealed value: it binds an envelope to its row and owner, so a copy
 * pasted into another row or another user's account does not open.
 */
export const moodAad = (userId: string, moodId: string): string => `mood:${userId}:${moodId}`
export const tasteAad = (userId: string): string => `taste:${userId}`

/** The emotion with the highest probability (the first, in EMOTIONS order, on a tie). */
export function topEmotion(probabilities: EmotionProbabilities): Emotion {
  let best: Emotion = EMOTIONS[0]
  for (const emotion of EMOTIONS) if (probabilities[emotion] > probabilities[best]) best = emotion
  return best
}

/** Opens a sealed mood row. */
export async function openMood(
  keyring: Keyring,
  row: { id: string; user_id: string; key_id: string; payload: string },
): Promise<StoredMood> {
  return (await keyring.open(row.key_id, row.payload, moodAad(row.user_id, row.id))) as StoredMood
}

/** Reads a user's taste profile (a fresh one when none is stored yet). */
export async function loadTaste(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  forUpdate = false,
): Promise<TasteProfile> {
  const { rows } = await db.query<{ taste_key_id: string | null; taste: string | null }>(
    `SELECT taste_key_id, taste FROM users WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [userId],
  )
  const row = rows[0]
  if (!row || row.taste === null || row.taste_key_id === null) return new TasteProfile()
  return TasteProfile.fromJSON(await keyring.open(row.taste_key_id, row.taste, tasteAad(userId)))
}

/**
 * The user's taste profile and the tracks of their latest `recentLimit` feedback events, in one
 * query (the hot path of `POST /recommendations`).
 */
export async function loadTasteAndRecent(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  withRecent: boolean,
  recentLimit = 50,
): Promise<{ profile: TasteProfile; recent: string[] }> {
  const { rows } = await db.query<{
    taste_key_id: string | null
    taste: string | null
    recent: string[]
  }>(
    `SELECT taste_key_id, taste,
       ARRAY(SELECT track_id FROM feedback WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2) AS recent
     FROM users WHERE id = $1`,
    [userId, withRecent ? recentLimit : 0],
  )
  const row = rows[0]
  const profile =
    !row || row.taste === null || row.taste_key_id === null
      ? new TasteProfile()
      : TasteProfile.fromJSON(await keyring.open(row.taste_key_id, row.taste, tasteAad(userId)))
  return { profile, recent: row?.recent ?? [] }
}

/** Seals and stores a user's taste profile. */
export async function saveTaste(
  db: Queryable,
  keyring: Keyring,
  userId: string,
  taste: TasteProfile,
): Promise<void> {
  const { keyId, payload } = await keyring.seal(taste.toJSON(), tasteAad(userId))
  await db.query(
    'UPDATE users SET taste_key_id = $2, taste = $3, updated_at = now() WHERE id = $1',
    [userId, keyId, payload],
  )
}

/**
 * Re-encrypts every sealed value that is not under the keyring's current key: the data-key
 * rotation. Row by row in small transactions, so that it can run beside a live server and be
 * resumed if interrupted. Returns how many values it re-encrypted.
 */
export async function reencryptAll(
  db: Queryable & { transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> },
  keyring: Keyring,
): Promise<{ moods: number; tastes: number }> {
  let moods = 0
  let tastes = 0
  for (;;) {
    const { rows } = await db.query<{
      id: string
      user_id: string
      key_id: string
      payload: string
    }>('SELECT id, user_id, key_id, payload FROM moods WHERE key_id <> $1 LIMIT 200', [
      keyring.currentId,
    ])
    if (rows.length === 0) break
    await db.transaction(async (tx) => {
      for (const row of rows) {
        const value = await keyring.open(row.key_id, row.payload, moodAad(row.user_id, row.id))
        const sealed = await keyring.seal(value, moodAad(row.user_id, row.id))
        await tx.query('UPDATE moods SET key_id = $2, payload = $3 WHERE id = $1 AND key_id = $4', [
          row.id,
          sealed.keyId,
          sealed.payload,
          row.key_id,
        ])
        moods++
      }
    })
  }
  for (;;) {
    const { rows } = await db.query<{ id: string; taste_key_id: string; taste: string }>(
      'SELECT id, taste_key_id, taste FROM users WHERE taste_key_id IS NOT NULL AND taste_key_id <> $1 LIMIT 200',
      [keyring.currentId],
    )
    if (rows.length === 0) break
    await db.transaction(async (tx) => {
      for (const row of rows) {
        const value = await keyring.open(row.taste_key_id, row.taste, tasteAad(row.id))
        const sealed = await keyring.seal(value, tasteAad(row.id))
        await tx.query(
          'UPDATE users SET taste_key_id = $2, taste = $3 WHERE id = $1 AND taste_key_id = $4',
          [row.id, sealed.keyId, sealed.payload, row.taste_key_id],
        )
        tastes++
      }
    })
  }
  return { moods, tastes }
}
