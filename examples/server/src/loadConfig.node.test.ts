import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createKeyring,
  dataKeyId,
  generateDataKey,
  loadKeyring,
  parseDataKey,
} from './createKeyring.ts'
import { DEFAULT_DATA_DIR, loadConfig } from './loadConfig.ts'

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({})
    expect(config.port).toBe(3000)
    expect(config.host).toBe('127.0.0.1')
    expect(config.server.dataDir).toBe(DEFAULT_DATA_DIR)
    expect(DEFAULT_DATA_DIR.endsWith(join('examples', 'server', '.data'))).toBe(true)
    expect(config.server.database).toEqual({ pgliteDir: join(DEFAULT_DATA_DIR, 'pglite') })
    expect(config.server.webDir).toBeUndefined()
    expect(config.server.seedCatalogue).toBeUndefined()
    expect(config.server.trustProxy).toBe(false)
  })

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://moodlens@db:5432/moodlens',
      MOODLENS_DATA_DIR: 'relative/data',
      MOODLENS_DATA_KEY: 'key',
      MOODLENS_DATA_KEY_PREVIOUS: 'old',
      MOODLENS_TOKEN_KEY: 'token',
      MOODLENS_WEB_DIR: 'none',
      MOODLENS_SEED_CSV: 'none',
      MOODLENS_TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
    })
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      server: {
        database: { url: 'postgres://moodlens@db:5432/moodlens' },
        dataDir: resolve('relative/data'),
        dataKey: 'key',
        previousDataKeys: 'old',
        tokenKey: 'token',
        webDir: false,
        seedCatalogue: false,
        trustProxy: true,
        logger: { level: 'warn' },
      },
    })
  })

  it('names a bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT must be a port number')
    expect(() => loadConfig({ PORT: '70000' })).toThrow(TypeError)
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL must be')
  })
})

describe('data keys', () => {
  it('refuses keys that are not 32 bytes of base64url', async () => {
    expect(() => parseDataKey('not base64url!', 'MOODLENS_DATA_KEY')).toThrow(
      'MOODLENS_DATA_KEY must be 32 bytes',
    )
    expect(() => parseDataKey('AAAA', 'MOODLENS_DATA_KEY')).toThrow('got 3 bytes')
    await expect(loadKeyring({ dataDir: '/nonexistent', dataKey: 'short' })).rejects.toThrow(
      'MOODLENS_DATA_KEY',
    )
  })

  it('names each key by a fingerprint and opens only what was sealed for the same context', async () => {
    const text = generateDataKey()
    const raw = parseDataKey(text, 'key')
    const keyring = await createKeyring([raw], 'env')
    expect(keyring.currentId).toBe(dataKeyId(raw))
    expect(keyring.currentId).toMatch(/^k[0-9a-f]{16}$/)
    const sealed = await keyring.seal({ happy: 1 }, 'mood:a:1')
    expect(await keyring.open(sealed.keyId, sealed.payload, 'mood:a:1')).toEqual({ happy: 1 })
    await expect(keyring.open(sealed.keyId, sealed.payload, 'mood:b:1')).rejects.toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    })
    await expect(keyring.open('kunknown', sealed.payload, 'mood:a:1')).rejects.toThrow(
      'No data key',
    )
  })
})
