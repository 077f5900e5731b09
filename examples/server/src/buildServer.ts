import { existsSync } from 'node:fs'
import { createTurnGate, DEFAULT_REQUESTS_PER_TURN } from './createTurnGate.ts'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyMultipart from '@fastify/multipart'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import { createTokenService, type TokenService } from '@moodlens/crypto/jwt'
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify'
import {
  ApiError,
  problemType,
  STATUS_TITLES,
  type ApiErrorCode,
  type InvalidParam,
} from './ApiError.ts'
import { authenticate, type AuthUser } from './authenticate.ts'
import { createCatalogService, type CatalogService } from './createCatalogService.ts'
import { loadKeyring, loadTokenKey, type Keyring } from './createKeyring.ts'
import { loadCoreDetector } from './loadCoreDetector.ts'
import { createSessionStore, type SessionStore } from './createSessionStore.ts'
import {
  ENVELOPE_MEDIA_TYPE,
  envelopeForResponse,
  openRequestEnvelope,
  sealResponse,
  type EnvelopeContext,
} from './envelopes.ts'
import { runMigrations } from './migrations.ts'
import { openDatabase, type Database, type DatabaseOptions } from './openDatabase.ts'
import { DEFAULT_SCRYPT_LOG_N } from './passwords.ts'
import type { Permission } from './policy.ts'
import { authRoutes } from './routes/authRoutes.ts'
import { emotionRoutes, type EmotionDetectorFactory } from './routes/emotionRoutes.ts'
import { feedbackRoutes } from './routes/feedbackRoutes.ts'
import { healthRoutes } from './routes/healthRoutes.ts'
import { historyRoutes } from './routes/historyRoutes.ts'
import { moodRoutes } from './routes/moodRoutes.ts'
import { recommendationRoutes } from './routes/recommendationRoutes.ts'
import { sessionRoutes } from './routes/sessionRoutes.ts'
import { trackRoutes } from './routes/trackRoutes.ts'
import { userRoutes } from './routes/userRoutes.ts'
import { problemSchema } from './schemas.ts'

/** The largest JSON body any route accepts (uploads have their own limits). */
export const JSON_BODY_LIMIT: number = 64 * 1024

/** The demo catalogue seeded on first start. */
export const DEMO_CATALOGUE: string = fileURLToPath(
  new URL('../data/demo-catalogue.csv', import.meta.url),
)

/** Where the built web app is looked for when `webDir` is not given. */
export const DEFAULT_WEB_DIR: string = fileURLToPath(new URL('../../web/dist', import.meta.url))

/**
 * Sign-in limits: login attempts per IP address and failed logins per account in one window;
 * registrations per IP address in another.
 */
export interface LoginLimits {
  readonly perIp: number
  readonly perAccount: number
  readonly windowMs: number
  readonly registrationsPerIp: number
  readonly registrationWindowMs: number
}

/** The defaults of {@link BuildServerOptions}. */
export const DEFAULT_SERVER_OPTIONS: {
  readonly accessTokenTtl: number
  readonly refreshTokenTtl: number
  readonly loginLimits: LoginLimits
  readonly scryptLogN: number
} = Object.freeze({
  accessTokenTtl: 15 * 60,
  refreshTokenTtl: 30 * 24 * 60 * 60,
  loginLimits: Object.freeze({
    perIp: 20,
    perAccount: 5,
    windowMs: 15 * 60 * 1000,
    registrationsPerIp: 20,
    registrationWindowMs: 60 * 60 * 1000,
  }),
  scryptLogN: DEFAULT_SCRYPT_LOG_N,
})

/** Everything `buildServer` needs; `main.ts` fills it from the environment. */
export interface BuildServerOptions {
  /** PostgreSQL (`{ url }`), PGlite in a folder (`{ pgliteDir }`) or in memory (`{ memory: true }`). */
  readonly database: DatabaseOptions
  /** Generated keys live here (and PGlite's data, by `main.ts`'s convention). */
  readonly dataDir: string
  /** `MOODLENS_DATA_KEY`: base64url 32-byte data key; generated into `dataDir` when absent. */
  readonly dataKey?: string | undefined
  /** `MOODLENS_DATA_KEY_PREVIOUS`: older data keys, comma-separated, readable during a rotation. */
  readonly previousDataKeys?: string | undefined
  /** `MOODLENS_TOKEN_KEY`: base64url HS256 secret (32+ bytes); generated into `dataDir` when absent. */
  readonly tokenKey?: string | undefined
  /** The built web app to serve at `/`; `false` for none. Default: `examples/web/dist` if it exists. */
  readonly webDir?: string | false | undefined
  /** A CSV seeded into an empty database on first start; `false` for none. Default: the demo catalogue. */
  readonly seedCatalogue?: string | false | undefined
  /** Fastify's logger option. Default `false`; `main.ts` turns pino on. */
  readonly logger?: FastifyServerOptions['logger']
  /** scrypt cost, log2(N). Default {@link DEFAULT_SCRYPT_LOG_N}. */
  readonly scryptLogN?: number | undefined
  /** Access-token lifetime in seconds. Default 900. */
  readonly accessTokenTtl?: number | undefined
  /** Refresh-token lifetime in seconds. Default 30 days. */
  readonly refreshTokenTtl?: number | undefined
  readonly loginLimits?: LoginLimits | undefined
  /** Trust `X-Forwarded-For` (behind a reverse proxy) for client addresses. Default `false`. */
  readonly trustProxy?: boolean | undefined
  /** Requests started per event-loop turn under load. Default {@link DEFAULT_REQUESTS_PER_TURN}. */
  readonly requestsPerTurn?: number | undefined
  /** Loads the emotion detector for `POST /emotions` (once, on first use). Default: `@moodlens/core` on wasm. */
  readonly emotionDetector?: EmotionDetectorFactory | undefined
}

/** What the routes share. */
export interface AppContext {
  readonly db: Database
  readonly keyring: Keyring
  readonly tokens: TokenService
  readonly catalog: CatalogService
  readonly sessions: SessionStore
  readonly settings: {
    readonly accessTokenTtl: number
    readonly refreshTokenTtl: number
    readonly loginLimits: LoginLimits
    readonly scryptLogN: number
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission the route requires, or `'public'`. Required on every `/api` route. */
    permission?: Permission | 'public'
    /** Media types the route's body may have (besides sealed envelopes). Default JSON. */
    accepts?: readonly string[]
  }
  interface FastifyRequest {
    /** The signed-in user, on routes that are not public. */
    auth: AuthUser | undefined
    /** Set when the request came sealed (or asked for a sealed response). */
    envelope: EnvelopeContext | undefined
  }
  interface FastifyInstance {
    moodlens: AppContext
  }
}

/**
 * Builds the server: opens the database and runs its migrations, loads or generates the keys,
 * seeds the demo catalogue into a new database, and registers every route. Does not listen:
 * call `listen()` (as `main.ts` does) or `inject()` (as the tests do). Closing it closes the
 * database.
 *
 * @example
 * ```ts
 * const server = await buildServer({ database: { memory: true }, dataDir: '/tmp/moodlens' })
 * const response = await server.inject({ method: 'GET', url: '/api/health' })
 * await server.close()
 * ```
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const settings = {
    accessTokenTtl: options.accessTokenTtl ?? DEFAULT_SERVER_OPTIONS.accessTokenTtl,
    refreshTokenTtl: options.refreshTokenTtl ?? DEFAULT_SERVER_OPTIONS.refreshTokenTtl,
    loginLimits: options.loginLimits ?? DEFAULT_SERVER_OPTIONS.loginLimits,
    scryptLogN: options.scryptLogN ?? DEFAULT_SERVER_OPTIONS.scryptLogN,
  }
  const keyring = await loadKeyring(options)
  const tokenKey = await loadTokenKey(options)
  const db = await openDatabase(options.database)
  try {
    await runMigrations(db)
    const catalog = createCatalogService(db)
    const seed = options.seedCatalogue ?? DEMO_CATALOGUE
    if (seed !== false) await catalog.seed(seed)
    const tokens = createTokenService({
      alg: 'HS256',
      issuer: 'moodlens-server',
      audience: 'moodlens-api',
      signingKey: { kid: 'access-1', key: tokenKey },
      ttl: settings.accessTokenTtl,
    })
    const context: AppContext = {
      db,
      keyring,
      tokens,
      catalog,
      sessions: createSessionStore(),
      settings,
    }
    const webDir =
      options.webDir ?? (existsSync(join(DEFAULT_WEB_DIR, 'index.html')) ? DEFAULT_WEB_DIR : false)
    return await createApp(context, options, webDir)
  } catch (error) {
    await db.close().catch(() => {})
    throw error
  }
}

async function createApp(
  context: AppContext,
  options: BuildServerOptions,
  webDir: string | false,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // Unknown fields are refused (additionalProperties: false), never silently removed.
    // Bodies are typed strictly ("5" is not a number); query strings are coerced in a
    // preValidation hook, from their schemas, since everything in a URL is text.
    ajv: {
      customOptions: {
        removeAdditional: false,
        useDefaults: true,
        coerceTypes: false,
        allErrors: false,
      },
    },
    return503OnClosing: true,
  })
  app.decorate('moodlens', context)
  app.decorateRequest('auth', undefined)
  app.decorateRequest('envelope', undefined)
  app.addSchema(problemSchema)
  app.addHook('onClose', async () => {
    await context.db.close()
  })
  // Under saturation, start only a few requests per event-loop turn so that new connections
  // keep being accepted (createTurnGate.ts says why).
  const gate = createTurnGate(options.requestsPerTurn ?? DEFAULT_REQUESTS_PER_TURN)
  app.addHook('onRequest', () => gate.admit())
  // While shutting down, answers to requests still in flight ask the client to close its
  // keep-alive connection, so that closing does not wait for idle clients to time out.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing) reply.header('connection', 'close')
    reply.header('x-content-type-options', 'nosniff')
    // API answers hold personal data: no shared or browser cache may keep them.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
    return payload
  })

  // Every route under /api must say who may call it: a route without a permission is a bug that
  // would otherwise be an open door.
  app.addHook('onRoute', assertRoutePermission)

  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )
  app.addContentTypeParser(
    ENVELOPE_MEDIA_TYPE,
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer) =>
      openRequestEnvelope(request, String(body), context.sessions, Date.now()),
  )
  app.addContentTypeParser(
    ['image/jpeg', 'image/png'],
    { parseAs: 'buffer' },
    (_request, body, done) => {
      done(null, body)
    },
  )
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body)
  })

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'moodlens reference server',
        version: '1.0.0',
        description:
          'Emotion-aware music recommendations: accounts, roles, encrypted mood history, the catalogue. ' +
          'Errors are RFC 9457 application/problem+json with a stable `code`. After POST /api/v1/session, ' +
          'any JSON body may instead be sent sealed as application/moodlens-envelope (see the README).',
        license: { name: 'Apache-2.0' },
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  })
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, { after }) =>
      new ApiError(429, 'ERR_RATE_LIMITED', `Too many attempts: try again in ${after}`),
  })
  await app.register(fastifyMultipart, {
    limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 0, parts: 2, headerPairs: 100 },
  })

  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission
    if (permission === undefined || permission === 'public') return
    request.auth = await authenticate(request, permission, context.tokens, context.db)
  })
  app.addHook('preValidation', async (request) => {
    coerceQuery(request)
    if (request.body !== undefined && request.envelope === undefined) {
      const accepts = request.routeOptions.config.accepts ?? ['application/json']
      const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (!accepts.includes(type)) {
        throw new ApiError(
          415,
          'ERR_UNSUPPORTED_MEDIA_TYPE',
          `This route takes ${accepts.join(' or ')}`,
        )
      }
    }
    if (request.envelope === undefined && request.auth !== undefined) {
      request.envelope = envelopeForResponse(request, context.sessions)
    }
  })
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.envelope === undefined || typeof payload !== 'string' || payload === '')
      return payload
    reply.header('content-type', ENVELOPE_MEDIA_TYPE)
    return sealResponse(request, request.envelope, payload)
  })

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const problem = toApiError(error)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, problem)
  })
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!
    const lastSegment = path.slice(path.lastIndexOf('/') + 1)
    if (
      webDir !== false &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !path.startsWith('/api') &&
      !lastSegment.includes('.')
    ) {
      // The web app routes on the client: every page that is not a file gets index.html (read
      // each time, so a rebuilt app is served without a restart).
      return reply.type('text/html; charset=utf-8').send(await readFile(join(webDir, 'index.html')))
    }
    return sendProblem(
      request,
      reply,
      new ApiError(404, 'ERR_NOT_FOUND', `No route ${request.method} ${path}`),
    )
  })

  if (webDir !== false) {
    await app.register(fastifyStatic, { root: webDir, wildcard: true, index: 'index.html' })
  }

  app.get(
    '/api/openapi.json',
    { config: { permission: 'public' }, schema: { hide: true } },
    async () => app.swagger(),
  )
  await app.register(healthRoutes)
  await app.register(
    async (v1) => {
      await v1.register(authRoutes)
      await v1.register(sessionRoutes)
      await v1.register(emotionRoutes, { detector: options.emotionDetector ?? loadCoreDetector })
      await v1.register(moodRoutes)
      await v1.register(recommendationRoutes)
      await v1.register(feedbackRoutes)
      await v1.register(historyRoutes)
      await v1.register(trackRoutes)
      await v1.register(userRoutes)
    },
    { prefix: '/api/v1' },
  )
  await app.ready()
  return app
}

/**
 * Refuses to register a route under `/api` that names no permission: a route without one would be
 * an open door, so forgetting it must fail at start-up, not in production.
 */
export function assertRoutePermission(route: {
  readonly url: string
  readonly method: string | readonly string[]
  readonly config?: { readonly permission?: string | undefined } | undefined
}): void {
  if (route.url.startsWith('/api') && route.config?.permission === undefined) {
    throw new Error(`Route ${String(route.method)} ${route.url} names no permission`)
  }
}

/** Turns query-string text into the integers and booleans the route's schema declares. */
function coerceQuery(request: FastifyRequest): void {
  const schema = request.routeOptions.schema?.querystring as
    { properties?: Record<string, { type?: string }> } | undefined
  const query = request.query as Record<string, unknown> | undefined
  if (!schema?.properties || !query) return
  for (const [name, value] of Object.entries(query)) {
    const type = schema.properties[name]?.type
    if (typeof value !== 'string') continue
    if (type === 'integer' && /^-?[0-9]{1,15}$/.test(value)) query[name] = Number(value)
    else if (type === 'boolean' && (value === 'true' || value === 'false'))
      query[name] = value === 'true'
  }
}

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: ApiError,
): FastifyReply {
  // A sealed request's error is answered in the clear: it holds no personal data, and a client
  // whose envelope failed to open could not read a sealed answer anyway.
  request.envelope = undefined
  reply.headers(problem.headers)
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({
      type: problemType(problem.code),
      title: STATUS_TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.message,
      instance: request.url.split('?')[0],
      code: problem.code,
      ...(problem.invalidParams && { invalidParams: problem.invalidParams }),
    })
}

/** Fastify's own error codes for bad requests, mapped to the API's. */
const FASTIFY_CODES: Readonly<Record<string, readonly [number, ApiErrorCode]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'ERR_BODY_TOO_LARGE'],
  FST_REQ_FILE_TOO_LARGE: [413, 'ERR_BODY_TOO_LARGE'],
  FST_FILES_LIMIT: [413, 'ERR_BODY_TOO_LARGE'],
  FST_PARTS_LIMIT: [413, 'ERR_BODY_TOO_LARGE'],
  FST_FIELDS_LIMIT: [413, 'ERR_BODY_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'ERR_MALFORMED_JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'ERR_MALFORMED_JSON'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'ERR_MALFORMED_JSON'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, 'ERR_UNSUPPORTED_MEDIA_TYPE'],
  FST_PROTO_VIOLATION: [400, 'ERR_MALFORMED_JSON'],
}

function toApiError(error: FastifyError | ApiError): ApiError {
  if (error instanceof ApiError) return error
  if (error.validation) {
    const context = error.validationContext ?? 'body'
    const invalidParams: InvalidParam[] = error.validation.map((issue) => {
      const missing =
        (issue.params as { missingProperty?: string; additionalProperty?: string } | undefined) ??
        {}
      const path = `${context}${issue.instancePath}${missing.missingProperty ? `/${missing.missingProperty}` : ''}${
        missing.additionalProperty ? `/${missing.additionalProperty}` : ''
      }`
      const reason =
        missing.additionalProperty !== undefined
          ? 'is not a known field'
          : (issue.message ?? 'is not valid')
      return { name: path, reason }
    })
    return new ApiError(400, 'ERR_VALIDATION', `The request ${context} is not valid`, {
      invalidParams,
    })
  }
  const known = error.code === undefined ? undefined : FASTIFY_CODES[error.code]
  if (known) return new ApiError(known[0], known[1], error.message)
  if (error instanceof SyntaxError || error.statusCode === 400) {
    return new ApiError(400, 'ERR_MALFORMED_JSON', 'The request body is not valid JSON')
  }
  if (error.statusCode === 413)
    return new ApiError(413, 'ERR_BODY_TOO_LARGE', 'The request body is too large')
  if (error.statusCode === 415)
    return new ApiError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE', error.message)
  if (error.statusCode === 405) return new ApiError(405, 'ERR_METHOD_NOT_ALLOWED', error.message)
  if (error.statusCode === 503)
    return new ApiError(503, 'ERR_UNAVAILABLE', 'The server is shutting down')
  return new ApiError(500, 'ERR_INTERNAL', 'Something went wrong on our side', { cause: error })
}
