import { randomUUID } from 'node:crypto'
import { cp, mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type UserConfig } from 'tsdown'
import recommenderConfig from '../../../../recommender/tsdown.config.ts'
import coreConfig from '../../../tsdown.config.ts'

const PACKAGES = fileURLToPath(new URL('../../../..', import.meta.url))

// What a user's install of each package holds that a browser bundle can reach (their `files`,
// less `src`, which only the `@moodlens/source` condition points at).
const PACKAGES_TO_INSTALL: readonly {
  readonly name: string
  readonly folder: string
  readonly config: UserConfig
  readonly copy: readonly string[]
}[] = [
  { name: 'recommender', folder: 'recommender', config: recommenderConfig, copy: ['package.json'] },
  { name: 'core', folder: 'core', config: coreConfig, copy: ['package.json', 'models'] },
]

/**
 * Builds @moodlens/core and @moodlens/recommender with their own tsdown configurations and lays
 * them out as an install would, in `<root>/node_modules/@moodlens/`, so that a bundler reaches
 * them through their `exports` maps (dist/, never the `@moodlens/source` condition) and their
 * `new URL('../models/...', import.meta.url)` references find the shipped models. `root` is a
 * throw-away folder under the workspace's node_modules/.cache, so that the TF.js packages resolve
 * from the workspace. Unlike `npm run build`: ESM only (what a bundler's `import` picks), no
 * declarations or source maps, which keeps it to a few seconds; the real dist/ is left alone.
 */
export async function installBuiltPackages(): Promise<{
  root: string
  remove: () => Promise<void>
}> {
  const root = join(PACKAGES, `../node_modules/.cache/moodlens-bundler-test/${randomUUID()}`)
  for (const { name, folder, config, copy } of PACKAGES_TO_INSTALL) {
    const source = join(PACKAGES, folder)
    const installed = join(root, 'node_modules/@moodlens', name)
    await mkdir(installed, { recursive: true })
    for (const entry of copy) {
      await cp(join(source, entry), join(installed, entry), { recursive: true })
    }
    await build({
      ...config,
      config: false,
      cwd: source,
      outDir: join(installed, 'dist'),
      format: ['esm'],
      dts: false,
      sourcemap: false,
      logLevel: 'error',
    })
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) }
}
