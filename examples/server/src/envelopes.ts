import { decryptJson, encrypt } from '@moodlens/crypto'
import type { FastifyRequest } from 'fastify'
import { ApiError } from './ApiError.ts'
import {
  ENVELOPE_MAX_SKEW_MS,
  type EnvelopeSession,
  type SessionStore,
} from './createSessionStore.ts'

/** The media type of bodies sealed with a session key. */
export const ENVELOPE_MEDIA_TYPE = 'application/moodlens-envelope'

/** The header naming the session an envelope is sealed for. */
export const SESSION_HEADER = 'x-moodlens-session'

/** The header a GET sends its nonce in, to bind the sealed response to the request. */
export const NONCE_HEADER = 'x-moodlens-nonce'

/** What a request's envelope established: the session, and the nonce the response answers. */
export interface EnvelopeContext {
  readonly session: EnvelopeSession
  readonly nonce: string
}

/** The additional data a client seals a request body with. */
export function requestAad(sessionId: string, method: string, url: string): string {
  return `moodlens-envelope v1 c2s ${sessionId} ${method} ${url}`
}

/** The additional data the server seals a response body with. */
export function responseAad(sessionId: string, method: string, url: string, nonce: string): string {
  return `moodlens-envelope v1 s2c ${sessionId} ${method} ${url} ${nonce}`
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/

function findSession(request: FastifyRequest, sessions: SessionStore): EnvelopeSession {
  const id = request.headers[SESSION_HEADER]
  if (typeof id !== 'string' || id === '' || request.auth === undefined) {
    throw new ApiError(
      401,
      'ERR_SESSION_UNKNOWN',
      `Sealed bodies need a ${SESSION_HEADER} header naming your session`,
    )
  }
  const session = sessions.get(id, request.auth.id)
  if (!session) {
    throw new ApiError(
      401,
      'ERR_SESSION_UNKNOWN',
      'No such session for this user (it may have expired): POST /api/v1/session again',
    )
  }
  return session
}

/**
 * Opens a sealed request body: `{ ts, nonce, body }` under the session key, bound to the method
 * and URL, with a timestamp within a minute of the server's clock and a nonce never seen before in
 * the session. Returns the inner `body`, which the route's schema then validates as usual.
 */
export async function openRequestEnvelope(
  request: FastifyRequest,
  text: string,
  sessions: SessionStore,
  now: number,
): Promise<unknown> {
  const session = findSession(request, sessions)
  let inner: unknown
  try {
    inner = await decryptJson(session.key, text.trim(), {
      aad: requestAad(session.id, request.method, request.url),
    })
  } catch {
    throw new ApiError(
      400,
      'ERR_ENVELOPE_INVALID',
      'The envelope does not open with this session for this request',
    )
  }
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    throw new ApiError(400, 'ERR_ENVELOPE_INVALID', 'The envelope must hold { ts, nonce, body }')
  }
  const { ts, nonce, body, ...rest } = inner as Record<string, unknown>
  if (
    typeof ts !== 'number' ||
    !Number.isSafeInteger(ts) ||
    typeof nonce !== 'string' ||
    !NONCE.test(nonce) ||
    body === undefined ||
    Object.keys(rest).length > 0
  ) {
    throw new ApiError(400, 'ERR_ENVELOPE_INVALID', 'The envelope must hold { ts, nonce, body }')
  }
  if (Math.abs(now - ts) > ENVELOPE_MAX_SKEW_MS) {
    throw new ApiError(
      400,
      'ERR_ENVELOPE_STALE',
      'The envelope timestamp is more than a minute from the server clock',
    )
  }
  if (!sessions.useNonce(session, nonce, ts)) {
    throw new ApiError(400, 'ERR_ENVELOPE_REPLAYED', 'This envelope was already received')
  }
  request.envelope = { session, nonce }
  return body
}

/**
 * For requests without a body (GET, DELETE): a client that accepts envelopes and names its
 * session gets its response sealed.
 */
export function envelopeForResponse(
  request: FastifyRequest,
  sessions: SessionStore,
): EnvelopeContext | undefined {
  const accept = request.headers.accept ?? ''
  if (!accept.includes(ENVELOPE_MEDIA_TYPE)) return undefined
  const session = findSession(request, sessions)
  const nonce = request.headers[NONCE_HEADER]
  return { session, nonce: typeof nonce === 'string' && NONCE.test(nonce) ? nonce : '' }
}

/** Seals a serialised response body for the request's session. */
export function sealResponse(
  request: FastifyRequest,
  context: EnvelopeContext,
  payload: string,
): Promise<string> {
  // The payload is already JSON text: sealing it as is keeps `decryptJson` working on the client.
  return encrypt(context.session.key, payload, {
    aad: responseAad(context.session.id, request.method, request.url, context.nonce),
  })
}
