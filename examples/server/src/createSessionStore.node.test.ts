import { randomBytes } from 'node:crypto'
import { createKeyAgreement } from '@moodlens/crypto'
import { describe, expect, it } from 'vitest'
import { createSessionStore, MAX_SESSIONS_PER_USER, SESSION_TTL_MS } from './createSessionStore.ts'

describe('createSessionStore', () => {
  it('keeps sessions per user, expires them, and caps how many one user holds', async () => {
    let now = 1_000_000
    const store = createSessionStore(() => now)
    const peer = await createKeyAgreement()
    const open = (user: string): Promise<{ sessionId: string }> =>
      store.create(user, peer.publicJwk, randomBytes(16))
    const other = await open('user-b')
    const ids: string[] = []
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 2; i++) ids.push((await open('user-a')).sessionId)
    // The two oldest of user A's sessions gave way; user B's was untouched.
    expect(store.get(ids[0]!, 'user-a')).toBeUndefined()
    expect(store.get(ids[1]!, 'user-a')).toBeUndefined()
    expect(store.get(ids[2]!, 'user-a')?.id).toBe(ids[2])
    expect(store.get(other.sessionId, 'user-b')?.id).toBe(other.sessionId)
    // Sessions belong to their user.
    expect(store.get(other.sessionId, 'user-a')).toBeUndefined()

    const session = store.get(ids[2]!, 'user-a')!
    expect(store.useNonce(session, 'nonce-0123456789abcdef', now)).toBe(true)
    expect(store.useNonce(session, 'nonce-0123456789abcdef', now)).toBe(false)

    store.dropUser('user-b')
    expect(store.get(other.sessionId, 'user-b')).toBeUndefined()
    now += SESSION_TTL_MS
    expect(store.get(ids[2]!, 'user-a')).toBeUndefined()
  })
})
