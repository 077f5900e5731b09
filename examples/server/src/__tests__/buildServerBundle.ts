import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'tsdown'
import config from '../../tsdown.config.ts'

const SERVER_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Builds the server as `npm run build` does, into a throw-away folder under the workspace's
 * node_modules/.cache (so that its imports resolve), for tests that run it as a real process.
 * Unlike `npm run build`, it bundles @moodlens/crypto and @moodlens/recommender from their
 * sources, since the tests run before the packages are built; @moodlens/core stays external (the
 * child processes never load it). Returns the path of its main.js and a function that deletes it.
 */
export async function buildServerBundle(): Promise<{ main: string; remove: () => Promise<void> }> {
  const outDir = fileURLToPath(
    new URL(
      `../../../../node_modules/.cache/moodlens-server-test/${randomUUID()}`,
      import.meta.url,
    ),
  )
  await build({
    ...config,
    config: false,
    cwd: SERVER_ROOT,
    outDir,
    logLevel: 'error',
    sourcemap: false,
    // The workspace packages from their sources (their `@moodlens/source` export condition), all
    // but @moodlens/core, which the child processes never load.
    deps: {
      neverBundle: [/^@moodlens\/core(\/|$)/],
      alwaysBundle: [/^@moodlens\/(crypto|recommender)(\/|$)/],
    },
    inputOptions: {
      resolve: { conditionNames: ['@moodlens/source', 'node', 'import', 'default'] },
    },
  })
  return { main: `${outDir}/main.js`, remove: () => rm(outDir, { recursive: true, force: true }) }
}
