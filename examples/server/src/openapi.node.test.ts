import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileErrors, validate } from '@readme/openapi-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, createTestServer, type TestServer } from './__tests__/testServer.ts'
import { assertRoutePermission } from './buildServer.ts'

interface Operation {
  security?: unknown[]
  responses: Record<string, unknown>
  requestBody?: unknown
}

describe('the OpenAPI document and the web app', () => {
  let server: TestServer
  let webDir: string

  beforeAll(async () => {
    webDir = await mkdtemp(join(tmpdir(), 'moodlens-web-'))
    await mkdir(join(webDir, 'assets'))
    await writeFile(
      join(webDir, 'index.html'),
      '<!doctype html><title>moodlens</title><div id="root"></div>',
    )
    await writeFile(join(webDir, 'assets', 'app.js'), 'console.log("moodlens")')
    server = await createTestServer('pglite', undefined, { webDir })
  }, 120_000)

  afterAll(async () => {
    await server?.close()
    await rm(webDir, { recursive: true, force: true })
  })

  it('serves a valid OpenAPI 3 document describing every route', async () => {
    const response = await call(server.app, 'GET', '/api/openapi.json')
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    const document = response.body as {
      openapi: string
      paths: Record<string, Record<string, Operation>>
    }
    expect(document.openapi).toMatch(/^3\./)
    const result = await validate(structuredClone(document) as never)
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)

    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        name: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    )
    expect(operations.map((entry) => entry.name).sort()).toEqual(
      [
        'DELETE /api/v1/tracks/{id}',
        'GET /api/health',
        'GET /api/v1/history',
        'GET /api/v1/me',
        'GET /api/v1/tracks',
        'GET /api/v1/tracks/{id}',
        'GET /api/v1/users',
        'PATCH /api/v1/users/{id}',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/register',
        'POST /api/v1/emotions',
        'POST /api/v1/feedback',
        'POST /api/v1/moods',
        'POST /api/v1/recommendations',
        'POST /api/v1/session',
        'POST /api/v1/tracks',
        'POST /api/v1/tracks/import',
        'PUT /api/v1/tracks/{id}',
      ].sort(),
    )
    for (const { name, operation } of operations) {
      const isPublic = name.includes('/auth/') || name === 'GET /api/health'
      expect(operation.security !== undefined, `${name} security`).toBe(!isPublic)
      const statuses = Object.keys(operation.responses)
      expect(
        statuses.some((status) => status.startsWith('2')),
        `${name} success response`,
      ).toBe(true)
      if (name !== 'GET /api/health') {
        expect(
          statuses.some((status) => status.startsWith('4')),
          `${name} problem responses`,
        ).toBe(true)
      }
    }
    const recommendations = document.paths['/api/v1/recommendations']!['post']!
    expect(JSON.stringify(recommendations.requestBody)).toContain('"additionalProperties":false')
  })

  it('serves the web app, with index.html for client-side routes but not for /api', async () => {
    const index = await call(server.app, 'GET', '/')
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toMatch(/^text\/html/)
    expect(index.text).toContain('<div id="root">')
    const script = await call(server.app, 'GET', '/assets/app.js')
    expect(script.headers['content-type']).toMatch(/javascript/)
    const route = await call(server.app, 'GET', '/history/2026')
    expect(route.status).toBe(200)
    expect(route.text).toContain('<div id="root">')
    const api = await call(server.app, 'GET', '/api/v2/anything')
    expect(api.status).toBe(404)
    expect(api.body).toMatchObject({ code: 'ERR_NOT_FOUND' })
    const traversal = await call(server.app, 'GET', '/../../../etc/passwd')
    expect(traversal.text).not.toContain('root:')
  })

  it('refuses to register an /api route without a permission', () => {
    expect(() =>
      assertRoutePermission({ url: '/api/v1/secret', method: 'GET', config: {} }),
    ).toThrow('Route GET /api/v1/secret names no permission')
    expect(() =>
      assertRoutePermission({
        url: '/api/v1/open',
        method: 'GET',
        config: { permission: 'public' },
      }),
    ).not.toThrow()
    expect(() => assertRoutePermission({ url: '/assets/*', method: 'GET' })).not.toThrow()
  })

  it('answers 503 on /api/health when the database is gone', async () => {
    await server.db.close()
    const health = await call(server.app, 'GET', '/api/health')
    expect(health.status).toBe(503)
    expect(health.body).toMatchObject({ status: 'unavailable', database: 'pglite' })
  })
})
