import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BuildServerOptions } from './buildServer.ts'

/** Where data goes when `MOODLENS_DATA_DIR` is not set: `examples/server/.data` (git-ignored). */
export const DEFAULT_DATA_DIR: string = fileURLToPath(new URL('../.data', import.meta.url))

/** The server's settings from the environment. */
export interface ServerConfig {
  readonly port: number
  readonly host: string
  readonly server: BuildServerOptions
}

/**
 * Reads the documented environment variables: `PORT` (3000), `HOST` (127.0.0.1), `DATABASE_URL`,
 * `MOODLENS_DATA_DIR`, `MOODLENS_DATA_KEY`, `MOODLENS_DATA_KEY_PREVIOUS`, `MOODLENS_TOKEN_KEY`,
 * `MOODLENS_WEB_DIR`, `MOODLENS_SEED_CSV`, `MOODLENS_TRUST_PROXY`, `LOG_LEVEL`. Throws a TypeError naming a bad one.
 *
 * @example
 * ```ts
 * const { port, host } = loadConfig({ PORT: '8080' }) // 8080, '127.0.0.1'
 * ```
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const port = Number(env['PORT'] ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`PORT must be a port number, got "${env['PORT']}"`)
  }
  const dataDirSetting = env['MOODLENS_DATA_DIR']
  const dataDir =
    dataDirSetting === undefined || dataDirSetting === ''
      ? DEFAULT_DATA_DIR
      : isAbsolute(dataDirSetting)
        ? dataDirSetting
        : resolve(dataDirSetting)
  const url = env['DATABASE_URL']
  const web = env['MOODLENS_WEB_DIR']
  const seed = env['MOODLENS_SEED_CSV']
  const level = env['LOG_LEVEL'] ?? 'info'
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    throw new TypeError(
      `LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "${level}"`,
    )
  }
  return {
    port,
    host: env['HOST'] || '127.0.0.1',
    server: {
      database: url ? { url } : { pgliteDir: join(dataDir, 'pglite') },
      dataDir,
      dataKey: env['MOODLENS_DATA_KEY'],
      previousDataKeys: env['MOODLENS_DATA_KEY_PREVIOUS'],
      tokenKey: env['MOODLENS_TOKEN_KEY'],
      webDir: web === undefined ? undefined : web === '' || web === 'none' ? false : resolve(web),
      seedCatalogue:
        seed === undefined ? undefined : seed === '' || seed === 'none' ? false : resolve(seed),
      trustProxy: env['MOODLENS_TRUST_PROXY'] === 'true',
      logger: { level },
    },
  }
}
