import {
  createKeyAgreement,
  decodeBase64url,
  decryptJson,
  deriveSessionKey,
  encrypt,
} from '@moodlens/crypto'
import { describe, expect, it } from 'vitest'
import { ApiError } from './ApiError.ts'
import type { ApiClient, RequestOptions } from './createApiClient.ts'
import { createEnvelopeChannel, ENVELOPE_TYPE } from './createEnvelopeChannel.ts'

interface Sent {
  readonly method: string
  readonly path: string
  readonly options: RequestOptions
}

/**
 * A stand-in for the server's side of the protocol (examples/server's sessionRoutes and
 * envelopes.ts): it agrees keys, opens sealed bodies and seals its answers. `forget()` drops its
 * sessions, as a restart does.
 */
function fakeServer(): { api: ApiClient; sent: Sent[]; opened: unknown[]; forget(): void } {
  const sessions = new Map<string, CryptoKey>()
  const sent: Sent[] = []
  const opened: unknown[] = []
  let count = 0
  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    sent.push({ method, path, options })
    if (path === '/session') {
      const { publicJwk, salt } = options.json as { publicJwk: JsonWebKey; salt: string }
      const server = await createKeyAgreement()
      const info = 'moodlens session v1'
      const id = `session-${++count}`
      sessions.set(
        id,
        await deriveSessionKey(server.privateKey, publicJwk, { salt: decodeBase64url(salt), info }),
      )
      return { sessionId: id, publicJwk: server.publicJwk, expiresAt: Date.now() + 3_600_000, info }
    }
    const id = options.headers?.['x-moodlens-session'] ?? ''
    const key = sessions.get(id)
    if (!key) throw new ApiError(401, 'ERR_SESSION_UNKNOWN', 'unknown session')
    const url = `/api/v1${path}`
    let nonce = options.headers?.['x-moodlens-nonce'] ?? ''
    if (options.body !== undefined) {
      expect(options.contentType).toBe(ENVELOPE_TYPE)
      const inner = (await decryptJson(key, options.body as string, {
        aad: `moodlens-envelope v1 c2s ${id} ${method} ${url}`,
      })) as { ts: number; nonce: string; body: unknown }
      opened.push(inner)
      nonce = inner.nonce
    }
    return encrypt(key, JSON.stringify({ echo: path }), {
      aad: `moodlens-envelope v1 s2c ${id} ${method} ${url} ${nonce}`,
    })
  }
  return {
    api: { request } as unknown as ApiClient,
    sent,
    opened,
    forget: () => sessions.clear(),
  }
}

describe('createEnvelopeChannel', () => {
  it('agrees one session, seals each body with a fresh nonce and opens the sealed answers', async () => {
    const server = fakeServer()
    const channel = createEnvelopeChannel(server.api)
    const before = Date.now()
    await expect(channel.send('POST', '/moods', { probabilities: { happy: 1 } })).resolves.toEqual({
      echo: '/moods',
    })
    await expect(
      channel.send('POST', '/feedback', { trackId: 't1', signal: 'like' }),
    ).resolves.toEqual({ echo: '/feedback' })
    await expect(channel.get('/history?limit=1')).resolves.toEqual({ echo: '/history?limit=1' })
    expect(server.sent.filter((call) => call.path === '/session')).toHaveLength(1)
    const [first, second] = server.opened as { ts: number; nonce: string; body: unknown }[]
    expect(first!.body).toEqual({ probabilities: { happy: 1 } })
    expect(first!.ts).toBeGreaterThanOrEqual(before)
    expect(first!.nonce).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
    expect(second!.nonce).not.toBe(first!.nonce)
    // Nothing readable travels: the bodies are envelopes, not JSON.
    for (const call of server.sent.filter((c) => c.path !== '/session' && c.options.body)) {
      expect(String(call.options.body)).toMatch(/^v1\./)
      expect(String(call.options.body)).not.toMatch(/happy|like/)
    }
  })

  it('agrees a new session once when the server has forgotten the old one (a restart)', async () => {
    const server = fakeServer()
    const channel = createEnvelopeChannel(server.api)
    await channel.send('POST', '/moods', { probabilities: { sad: 1 } })
    server.forget()
    await expect(channel.send('POST', '/moods', { probabilities: { fear: 1 } })).resolves.toEqual({
      echo: '/moods',
    })
    expect(server.sent.filter((call) => call.path === '/session')).toHaveLength(2)
    expect((server.opened.at(-1) as { body: unknown }).body).toEqual({ probabilities: { fear: 1 } })
  })

  it('passes other failures on without a new session', async () => {
    const server = fakeServer()
    const channel = createEnvelopeChannel({
      ...server.api,
      request: async (method: string, path: string, options?: RequestOptions) => {
        if (path === '/moods') throw new ApiError(422, 'ERR_INVALID_MOOD', 'bad mood')
        return server.api.request(method, path, options)
      },
    } as ApiClient)
    await expect(channel.send('POST', '/moods', { probabilities: {} })).rejects.toMatchObject({
      code: 'ERR_INVALID_MOOD',
    })
    expect(server.sent.filter((call) => call.path === '/session')).toHaveLength(1)
  })
})
