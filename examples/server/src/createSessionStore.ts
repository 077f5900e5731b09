import { randomUUID } from 'node:crypto'
import { createKeyAgreement, deriveSessionKey } from '@moodlens/crypto'

/** The HKDF `info` both sides derive the session key with. */
export const SESSION_INFO = 'moodlens session v1'

/** How long a session key may be used. */
export const SESSION_TTL_MS: number = 60 * 60 * 1000

/** How far an envelope's timestamp may be from the server's clock, either way. */
export const ENVELOPE_MAX_SKEW_MS: number = 60 * 1000

/** Sessions kept at most; the oldest is dropped first beyond this. */
const MAX_SESSIONS = 10_000

/** Sessions one user may hold at once; a new one beyond this replaces that user's oldest. */
export const MAX_SESSIONS_PER_USER: number = 20

/** Nonces remembered per session at most; beyond this the session must be renewed. */
const MAX_NONCES_PER_SESSION = 10_000

/** One ECDH session: the AES-256-GCM key shared with one client of one user. */
export interface EnvelopeSession {
  readonly id: string
  readonly userId: string
  readonly key: CryptoKey
  readonly expiresAt: number
  /** Nonces seen, with when they may be forgotten (once their timestamp is out of the window). */
  readonly nonces: Map<string, number>
}

/** What `POST /session` answers. */
export interface SessionCreated {
  readonly sessionId: string
  readonly publicJwk: JsonWebKey
  readonly expiresAt: number
  readonly info: string
}

/**
 * Session keys live in memory only: they are per session by design (forward secrecy), so a
 * restart simply makes clients open a new session. Envelopes replayed within the clock window
 * are refused by nonce; older ones by timestamp.
 */
export interface SessionStore {
  create(userId: string, peerPublicJwk: JsonWebKey, salt: Uint8Array): Promise<SessionCreated>
  get(id: string, userId: string): EnvelopeSession | undefined
  /** Records a nonce: false when it was already used in this session. */
  useNonce(session: EnvelopeSession, nonce: string, timestamp: number): boolean
  /** Forgets every session of a user (logout, disabling). */
  dropUser(userId: string): void
}

/** Creates an empty session store. */
export function createSessionStore(now: () => number = Date.now): SessionStore {
  const sessions = new Map<string, EnvelopeSession>()

  return {
    async create(userId, peerPublicJwk, salt) {
      const server = await createKeyAgreement()
      const key = await deriveSessionKey(server.privateKey, peerPublicJwk, {
        salt,
        info: SESSION_INFO,
      })
      const id = randomUUID()
      const expiresAt = now() + SESSION_TTL_MS
      for (const [sessionId, session] of sessions) {
        if (session.expiresAt <= now()) sessions.delete(sessionId)
      }
      // One user opening many sessions only displaces their own oldest ones.
      const own = [...sessions.values()].filter((session) => session.userId === userId)
      if (own.length >= MAX_SESSIONS_PER_USER) sessions.delete(own[0]!.id)
      else if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!)
      sessions.set(id, { id, userId, key, expiresAt, nonces: new Map() })
      return { sessionId: id, publicJwk: server.publicJwk, expiresAt, info: SESSION_INFO }
    },
    get(id, userId) {
      const session = sessions.get(id)
      if (!session || session.userId !== userId) return undefined
      if (session.expiresAt <= now()) {
        sessions.delete(id)
        return undefined
      }
      return session
    },
    useNonce(session, nonce, timestamp) {
      const time = now()
      for (const [seen, forgetAt] of session.nonces) {
        if (forgetAt <= time) session.nonces.delete(seen)
      }
      if (session.nonces.has(nonce) || session.nonces.size >= MAX_NONCES_PER_SESSION) return false
      session.nonces.set(nonce, timestamp + ENVELOPE_MAX_SKEW_MS + 1)
      return true
    },
    dropUser(userId) {
      for (const [id, session] of sessions) if (session.userId === userId) sessions.delete(id)
    },
  }
}
