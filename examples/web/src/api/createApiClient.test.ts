import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from './ApiError.ts'
import { createApiClient } from './createApiClient.ts'
import { describeError } from './describeError.ts'

class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>()
  get length(): number {
    return this.#items.size
  }
  clear(): void {
    this.#items.clear()
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null
  }
  removeItem(key: string): void {
    this.#items.delete(key)
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value)
  }
}

const USER = { id: 'u1', email: 'ada@example.com', roles: ['listener'] }
const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
const problem = (status: number, code: string): Response =>
  json(
    status,
    { type: 'urn:x', title: 'x', status, code, detail: `detail of ${code}` },
    'application/problem+json',
  )
const tokens = (n: number): Response =>
  json(200, { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, user: USER })

let calls: { url: string; authorization: string | undefined; body: string | undefined }[]
let respond: (url: string, authorization: string | undefined) => Response | Promise<Response>

beforeEach(() => {
  calls = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const headers = init.headers as Record<string, string>
    const call = {
      url,
      authorization: headers.authorization,
      body: init.body as string | undefined,
    }
    calls.push(call)
    return respond(url, call.authorization)
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('createApiClient', () => {
  it('restores a saved sign-in with one refresh, even when asked twice (StrictMode)', async () => {
    const storage = new MemoryStorage()
    storage.setItem('moodlens.refreshToken', 'refresh-0')
    respond = () => tokens(1)
    const api = createApiClient('/api/v1', storage)
    expect(api.getSnapshot()).toEqual({ status: 'restoring' })
    await Promise.all([api.restore(), api.restore()])
    expect(calls).toHaveLength(1)
    expect(JSON.parse(calls[0]!.body!)).toEqual({ refreshToken: 'refresh-0' })
    expect(api.getSnapshot()).toEqual({ status: 'signed-in', user: USER })
    expect(storage.getItem('moodlens.refreshToken')).toBe('refresh-1')
  })

  it('is signed out at once without a saved sign-in', async () => {
    const api = createApiClient('/api/v1', new MemoryStorage())
    await api.restore()
    expect(calls).toHaveLength(0)
    expect(api.getSnapshot()).toEqual({ status: 'signed-out' })
  })

  it('refreshes an expired access token once for parallel calls, then retries them', async () => {
    const storage = new MemoryStorage()
    respond = (url) => (url.endsWith('/auth/login') ? tokens(1) : json(200, {}))
    const api = createApiClient('/api/v1', storage)
    await api.login('ada@example.com', 'correct horse battery')
    respond = (url, authorization) => {
      if (url.endsWith('/auth/refresh')) return tokens(2)
      return authorization === 'Bearer access-2'
        ? json(200, { ok: url })
        : problem(401, 'ERR_TOKEN_EXPIRED')
    }
    calls = []
    const results = await Promise.all([
      api.request<{ ok: string }>('GET', '/history'),
      api.request<{ ok: string }>('GET', '/tracks'),
    ])
    expect(results).toEqual([{ ok: '/api/v1/history' }, { ok: '/api/v1/tracks' }])
    expect(calls.filter((call) => call.url.endsWith('/auth/refresh'))).toHaveLength(1)
    expect(storage.getItem('moodlens.refreshToken')).toBe('refresh-2')
  })

  it('signs out when the refresh token is refused, and reports the original problem', async () => {
    const storage = new MemoryStorage()
    respond = () => tokens(1)
    const api = createApiClient('/api/v1', storage)
    await api.login('ada@example.com', 'correct horse battery')
    respond = (url) =>
      url.endsWith('/auth/refresh')
        ? problem(401, 'ERR_REFRESH_TOKEN_REUSED')
        : problem(401, 'ERR_TOKEN_EXPIRED')
    await expect(api.request('GET', '/history')).rejects.toMatchObject({
      code: 'ERR_TOKEN_EXPIRED',
    })
    expect(api.getSnapshot()).toEqual({ status: 'signed-out' })
    expect(storage.getItem('moodlens.refreshToken')).toBeNull()
  })

  it('does not refresh for a 401 that is not about the token', async () => {
    respond = () => tokens(1)
    const api = createApiClient('/api/v1', new MemoryStorage())
    await api.login('ada@example.com', 'correct horse battery')
    respond = () => problem(401, 'ERR_SESSION_UNKNOWN')
    calls = []
    await expect(api.request('POST', '/moods', { json: {} })).rejects.toMatchObject({
      status: 401,
      code: 'ERR_SESSION_UNKNOWN',
    })
    expect(calls).toHaveLength(1)
    expect(api.getSnapshot().status).toBe('signed-in')
  })

  it('turns an unreachable server into ERR_NETWORK and keeps the saved sign-in', async () => {
    const storage = new MemoryStorage()
    storage.setItem('moodlens.refreshToken', 'refresh-0')
    respond = () => Promise.reject(new TypeError('Failed to fetch'))
    const api = createApiClient('/api/v1', storage)
    await api.restore()
    expect(api.getSnapshot()).toEqual({ status: 'signed-out' })
    expect(storage.getItem('moodlens.refreshToken')).toBe('refresh-0')
    const error = await api.login('a@b.c', 'x').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 0, code: 'ERR_NETWORK' })
  })

  it('reads a problem without JSON (a proxy error page) from its status', async () => {
    respond = () =>
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })
    const api = createApiClient('/api/v1', new MemoryStorage())
    await expect(api.request('GET', '/tracks', { auth: false })).rejects.toMatchObject({
      status: 502,
      code: 'ERR_INTERNAL',
    })
  })
})

describe('describeError', () => {
  it('says what to do about known problems, in plain words', () => {
    expect(describeError(new ApiError(0, 'ERR_NETWORK', 'x'))).toMatch(/cannot be reached/)
    expect(describeError(new ApiError(409, 'ERR_EMAIL_TAKEN', 'x'))).toMatch(/Sign in instead/)
    expect(describeError(new ApiError(401, 'ERR_INVALID_CREDENTIALS', 'x'))).toBe(
      'That email and password do not match an account.',
    )
  })

  it("passes a validation problem's detail on, and keeps server internals out", () => {
    const invalid = new ApiError(400, 'ERR_VALIDATION', 'x', {
      detail: 'The request body is not valid',
    })
    expect(describeError(invalid)).toBe('The request body is not valid')
    const internal = new ApiError(500, 'ERR_INTERNAL', 'x', { detail: 'stack trace here' })
    expect(describeError(internal)).toBe('The server had a problem. Try again in a moment.')
    expect(describeError(new Error('boom'))).toBe(
      'Something went wrong. Reload the page and try again.',
    )
  })
})
