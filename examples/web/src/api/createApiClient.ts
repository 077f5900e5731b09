import { ApiError } from './ApiError.ts'

/** The roles the server knows, from least to most powerful. */
export type Role = 'listener' | 'curator' | 'admin'

/** The signed-in person, as the server describes them. */
export interface User {
  readonly id: string
  readonly email: string
  readonly roles: readonly Role[]
}

/** Whether someone is signed in; `restoring` while a saved sign-in is being checked. */
export type AuthState =
  | { readonly status: 'restoring' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly user: User }

/** One API call's options. */
export interface RequestOptions {
  /** Sent as JSON. */
  readonly json?: unknown
  /** Sent as is, with `contentType`. */
  readonly body?: BodyInit
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
  /** Default true: sends the access token, refreshing it once when it has expired. */
  readonly auth?: boolean
}

/** The app's connection to examples/server: tokens, refresh, and RFC 9457 errors as `ApiError`. */
export interface ApiClient {
  subscribe(listener: () => void): () => void
  getSnapshot(): AuthState
  getServerSnapshot(): AuthState
  /** Checks a saved sign-in (a refresh token) once at start-up. */
  restore(): Promise<void>
  register(email: string, password: string): Promise<User>
  login(email: string, password: string): Promise<User>
  logout(): Promise<void>
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>
}

interface TokenResponse {
  readonly accessToken: string
  readonly refreshToken: string
  readonly user: User
}

// The refresh token survives a reload (the access token lives only in memory). An XSS flaw could
// read it; the server limits the damage: refresh tokens rotate and a reused one revokes the family.
const REFRESH_KEY = 'moodlens.refreshToken'

// A 401 with one of these is cured by a fresh access token; any other 401 is the request's own.
const TOKEN_CODES = new Set(['ERR_UNAUTHENTICATED', 'ERR_TOKEN_EXPIRED', 'ERR_TOKEN_INVALID'])

const problemCode = (status: number): string =>
  status === 401 ? 'ERR_UNAUTHENTICATED' : status >= 500 ? 'ERR_INTERNAL' : 'ERR_HTTP'

async function toApiError(response: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {}
  try {
    const parsed: unknown = await response.json()
    if (typeof parsed === 'object' && parsed !== null) problem = parsed as Record<string, unknown>
  } catch {
    // Not JSON (a proxy's HTML error page): the status says enough.
  }
  const code = typeof problem.code === 'string' ? problem.code : problemCode(response.status)
  const title = typeof problem.title === 'string' ? problem.title : response.statusText
  return new ApiError(response.status, code, `${response.status} ${title} (${code})`, problem)
}

/** Creates the client for the API under `baseUrl` (default `/api/v1`, same origin). */
export function createApiClient(
  baseUrl = '/api/v1',
  storage: Storage | undefined = globalThis.localStorage,
): ApiClient {
  let state: AuthState = { status: 'restoring' }
  let accessToken: string | undefined
  let refreshing: Promise<boolean> | undefined
  let restoring: Promise<void> | undefined
  const listeners = new Set<() => void>()

  const setState = (next: AuthState): void => {
    state = next
    for (const listener of listeners) listener()
  }

  const send = async (method: string, path: string, options: RequestOptions): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    let body = options.body
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.contentType !== undefined) {
      headers['content-type'] = options.contentType
    }
    if (options.auth !== false && accessToken !== undefined) {
      headers.authorization = `Bearer ${accessToken}`
    }
    try {
      return await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      })
    } catch (error) {
      if (options.signal?.aborted) throw error
      throw new ApiError(0, 'ERR_NETWORK', 'The server could not be reached', {}, { cause: error })
    }
  }

  const signedIn = (tokens: TokenResponse): User => {
    accessToken = tokens.accessToken
    storage?.setItem(REFRESH_KEY, tokens.refreshToken)
    setState({ status: 'signed-in', user: tokens.user })
    return tokens.user
  }

  const signedOut = (): void => {
    accessToken = undefined
    storage?.removeItem(REFRESH_KEY)
    setState({ status: 'signed-out' })
  }

  // One refresh at a time: parallel calls that all hit an expired token share it.
  const refresh = (): Promise<boolean> => {
    refreshing ??= (async () => {
      const refreshToken = storage?.getItem(REFRESH_KEY)
      if (!refreshToken) return false
      const response = await send('POST', '/auth/refresh', {
        json: { refreshToken },
        auth: false,
      })
      if (!response.ok) {
        if (response.status >= 500) throw await toApiError(response)
        return false
      }
      signedIn((await response.json()) as TokenResponse)
      return true
    })().finally(() => {
      refreshing = undefined
    })
    return refreshing
  }

  const request = async <T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> => {
    let response = await send(method, path, options)
    if (response.status === 401 && options.auth !== false) {
      const error = await toApiError(response)
      if (!TOKEN_CODES.has(error.code)) throw error
      if (!(await refresh())) {
        signedOut()
        throw error
      }
      response = await send(method, path, options)
    }
    if (!response.ok) throw await toApiError(response)
    if (response.status === 204) return undefined as T
    const type = response.headers.get('content-type') ?? ''
    return (type.includes('json') ? await response.json() : await response.text()) as T
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    getServerSnapshot: () => ({ status: 'restoring' }),
    restore() {
      // Once per page: StrictMode's second effect run must not present the token again.
      restoring ??= refresh().then(
        (restored) => {
          if (!restored) signedOut()
        },
        () => {
          // The server cannot be reached: show the sign-in form (which reports the problem when
          // used) but keep the saved sign-in for the next load.
          accessToken = undefined
          setState({ status: 'signed-out' })
        },
      )
      return restoring
    },
    async register(email, password) {
      return signedIn(
        await request<TokenResponse>('POST', '/auth/register', {
          json: { email, password },
          auth: false,
        }),
      )
    },
    async login(email, password) {
      return signedIn(
        await request<TokenResponse>('POST', '/auth/login', {
          json: { email, password },
          auth: false,
        }),
      )
    },
    async logout() {
      const refreshToken = storage?.getItem(REFRESH_KEY)
      try {
        if (refreshToken) await request('POST', '/auth/logout', { json: { refreshToken } })
      } finally {
        signedOut()
      }
    },
    request,
  }
}
