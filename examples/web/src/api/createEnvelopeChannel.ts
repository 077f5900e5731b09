import {
  createKeyAgreement,
  decryptJson,
  deriveSessionKey,
  encodeBase64url,
  encryptJson,
} from '@moodlens/crypto'
import type { ApiClient } from './createApiClient.ts'

/** The media type of a sealed body. */
export const ENVELOPE_TYPE = 'application/moodlens-envelope'

/** The API's path prefix, part of what each envelope is bound to. */
const API_PREFIX = '/api/v1'

/**
 * Requests and responses sealed with a session key agreed with the server: ECDH P-256 and
 * HKDF-SHA-256 (`POST /session`), then AES-256-GCM envelopes bound to the session, the method and
 * the URL, each with a timestamp and a fresh nonce so that the server refuses replays.
 */
export interface EnvelopeChannel {
  /** Sends `payload` sealed to `path` and resolves to the server's (sealed, then opened) reply. */
  send<T>(method: string, path: string, payload: unknown): Promise<T>
  /** A GET whose response comes sealed. */
  get<T>(path: string): Promise<T>
  /** Forgets the session key (on sign-out); the next call agrees a new one. */
  reset(): void
}

interface Session {
  readonly id: string
  readonly key: CryptoKey
}

interface SessionCreated {
  readonly sessionId: string
  readonly publicJwk: JsonWebKey
  readonly info: string
}

const randomBase64url = (bytes: number): string =>
  encodeBase64url(crypto.getRandomValues(new Uint8Array(bytes)))

// The additional data both sides bind an envelope to (examples/server's envelopes.ts).
const requestAad = (session: string, method: string, url: string): string =>
  `moodlens-envelope v1 c2s ${session} ${method} ${url}`
const responseAad = (session: string, method: string, url: string, nonce: string): string =>
  `moodlens-envelope v1 s2c ${session} ${method} ${url} ${nonce}`

/** Creates a channel over `api`'s authenticated requests. */
export function createEnvelopeChannel(api: ApiClient): EnvelopeChannel {
  let session: Promise<Session> | undefined

  const open = async (): Promise<Session> => {
    // The private key is non-extractable and lives only as long as this page.
    const agreement = await createKeyAgreement()
    const salt = crypto.getRandomValues(new Uint8Array(32))
    const created = await api.request<SessionCreated>('POST', '/session', {
      json: { publicJwk: agreement.publicJwk, salt: encodeBase64url(salt) },
    })
    const key = await deriveSessionKey(agreement.privateKey, created.publicJwk, {
      salt,
      info: created.info,
    })
    return { id: created.sessionId, key }
  }

  const current = async (): Promise<Session> => {
    session ??= open()
    try {
      return await session
    } catch (error) {
      session = undefined
      throw error
    }
  }

  const exchange = async <T>(method: string, path: string, payload: unknown): Promise<T> => {
    const { id, key } = await current()
    const url = `${API_PREFIX}${path}`
    const nonce = randomBase64url(18)
    const headers = { 'x-moodlens-session': id, accept: `${ENVELOPE_TYPE}, application/json` }
    const reply =
      payload === undefined
        ? await api.request<unknown>(method, path, {
            headers: { ...headers, 'x-moodlens-nonce': nonce },
          })
        : await api.request<unknown>(method, path, {
            body: await encryptJson(
              key,
              { ts: Date.now(), nonce, body: payload },
              {
                aad: requestAad(id, method, url),
              },
            ),
            contentType: ENVELOPE_TYPE,
            headers,
          })
    if (typeof reply !== 'string' || reply === '') return reply as T
    return (await decryptJson(key, reply, { aad: responseAad(id, method, url, nonce) })) as T
  }

  const withSession = async <T>(method: string, path: string, payload: unknown): Promise<T> => {
    try {
      return await exchange<T>(method, path, payload)
    } catch (error) {
      // Session keys live in the server's memory only (forward secrecy): after an expiry or a
      // restart, agree a new one and try once more.
      if ((error as { code?: unknown }).code === 'ERR_SESSION_UNKNOWN') {
        session = undefined
        return exchange<T>(method, path, payload)
      }
      throw error
    }
  }

  return {
    send: (method, path, payload) => withSession(method, path, payload),
    get: (path) => withSession('GET', path, undefined),
    reset() {
      session = undefined
    },
  }
}
