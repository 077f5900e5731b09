import { randomBytes } from 'node:crypto'
import {
  createKeyAgreement,
  decryptJson,
  deriveSessionKey,
  encodeBase64url,
  encryptJson,
} from '@moodlens/crypto'
import type { FastifyInstance } from 'fastify'
import { ENVELOPE_MEDIA_TYPE, requestAad, responseAad, SESSION_HEADER } from '../envelopes.ts'
import { call, type ApiResponse } from './testServer.ts'

/** What a client of sealed bodies does: agree on a key, then seal requests and open responses. */
export interface EnvelopeClient {
  readonly sessionId: string
  seal(
    method: string,
    url: string,
    body: unknown,
    options?: { ts?: number; nonce?: string },
  ): Promise<{ envelope: string; nonce: string }>
  send(method: 'POST' | 'PUT' | 'PATCH', url: string, envelope: string): Promise<ApiResponse>
  open(response: ApiResponse, method: string, url: string, nonce: string): Promise<unknown>
}

/** Opens a session for a signed-in user, as the web app would. */
export async function openEnvelopeSession(
  app: FastifyInstance,
  token: string,
): Promise<EnvelopeClient> {
  const client = await createKeyAgreement()
  const salt = randomBytes(32)
  const response = await call(app, 'POST', '/api/v1/session', {
    token,
    json: { publicJwk: client.publicJwk, salt: encodeBase64url(salt) },
  })
  if (response.status !== 201)
    throw new Error(`session failed: ${response.status} ${response.text}`)
  const { sessionId, publicJwk, info } = response.body as {
    sessionId: string
    publicJwk: JsonWebKey
    info: string
  }
  const key = await deriveSessionKey(client.privateKey, publicJwk, { salt, info })
  return {
    sessionId,
    async seal(method, url, body, options = {}) {
      const nonce = options.nonce ?? encodeBase64url(randomBytes(16))
      const envelope = await encryptJson(
        key,
        { ts: options.ts ?? Date.now(), nonce, body },
        { aad: requestAad(sessionId, method, url) },
      )
      return { envelope, nonce }
    },
    send(method, url, envelope) {
      return call(app, method, url, {
        token,
        payload: envelope,
        headers: { 'content-type': ENVELOPE_MEDIA_TYPE, [SESSION_HEADER]: sessionId },
      })
    },
    open(response, method, url, nonce) {
      return decryptJson(key, response.text, { aad: responseAad(sessionId, method, url, nonce) })
    },
  }
}
