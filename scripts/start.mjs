// `npm start`: the whole system on this machine. Builds whatever is missing or older than its
// sources (the packages, the reference server, the web app), then runs examples/server with its
// embedded PGlite database (the data directory is kept between starts; the demo catalogue is
// seeded on the first one) serving the built web app, and prints the URL to open.
//
//   npm start                 build what is stale, then serve on http://127.0.0.1:3000
//   npm start -- --rebuild    build everything first
//   PORT=8080 npm start       any of the server's environment variables (examples/server/README.md)
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const rebuild = process.argv.includes('--rebuild')

const PACKAGE_INPUTS = ['src', 'package.json', 'tsdown.config.ts']
const SOURCES_OF_PACKAGES = ['recommender', 'crypto', 'core', 'react'].flatMap((name) =>
  ['src', 'models'].map((dir) => `packages/${name}/${dir}`),
)

// In build order: the server loads the packages' builds at run time; the web app is bundled from
// the packages' sources, so it is stale when any of them changed.
const WORKSPACES = [
  { dir: 'packages/recommender', inputs: PACKAGE_INPUTS },
  { dir: 'packages/crypto', inputs: PACKAGE_INPUTS },
  { dir: 'packages/core', inputs: [...PACKAGE_INPUTS, 'models'] },
  { dir: 'packages/react', inputs: PACKAGE_INPUTS },
  { dir: 'examples/server', inputs: PACKAGE_INPUTS },
  {
    dir: 'examples/web',
    inputs: ['src', 'public', 'index.html', 'package.json', 'vite.config.ts'],
    extraInputs: SOURCES_OF_PACKAGES,
  },
]

// One stamp per workspace, written after a successful build; kept out of dist/ so that published
// packages never carry it. A build that fails half-way leaves the old stamp older than its sources.
const STAMPS = join(root, 'node_modules/.cache/moodlens-start')
const stampOf = (dir) => join(STAMPS, `${dir.replaceAll('/', '__')}.stamp`)

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

function isStale({ dir, inputs, extraInputs = [] }) {
  const stamp = stampOf(dir)
  const dist = join(root, dir, 'dist')
  if (rebuild || !existsSync(stamp) || !existsSync(dist) || readdirSync(dist).length === 0) {
    return true
  }
  const built = statSync(stamp).mtimeMs
  const paths = [
    ...inputs.map((input) => join(root, dir, input)),
    ...extraInputs.map((input) => join(root, input)),
  ]
  return paths.some((path) => newestMtime(path) > built)
}

function fail(message) {
  console.error(`\nmoodlens start: ${message}`)
  process.exit(1)
}

if (!existsSync(join(root, 'node_modules'))) fail('run `npm install` first.')

for (const workspace of WORKSPACES) {
  if (!isStale(workspace)) continue
  console.log(`\nmoodlens start: building ${workspace.dir}`)
  // Windows runs npm as npm.cmd, which Node only spawns through a shell.
  const windows = process.platform === 'win32'
  const result = spawnSync(
    windows ? 'npm.cmd' : 'npm',
    ['run', 'build', '--workspace', workspace.dir],
    {
      cwd: root,
      stdio: 'inherit',
      shell: windows,
    },
  )
  if (result.status !== 0) fail(`building ${workspace.dir} failed (see above).`)
  mkdirSync(STAMPS, { recursive: true })
  writeFileSync(stampOf(workspace.dir), `${new Date().toISOString()}\n`)
}

const host = process.env.HOST ?? '127.0.0.1'
const port = process.env.PORT ?? '3000'
const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`

const server = spawn(process.execPath, [join(root, 'examples/server/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    MOODLENS_WEB_DIR: process.env.MOODLENS_WEB_DIR ?? join(root, 'examples/web/dist'),
  },
})

// Ctrl+C reaches the server through the terminal's process group too; a plain `kill` of this
// script is passed on, so the server always shuts down gracefully (and closes the database).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal))
}
let exited = false
server.on('exit', (code, signal) => {
  exited = true
  process.exit(code ?? (signal ? 1 : 0))
})

// The URL is printed once the server answers, so that opening it works at once.
const deadline = Date.now() + 120_000
while (!exited) {
  try {
    const response = await fetch(new URL('api/health', url), { signal: AbortSignal.timeout(2000) })
    if (response.ok) {
      console.log(
        `\n  moodlens is running: \x1b[1m${url}\x1b[0m\n` +
          `  Open it, create an account, and turn the camera on. Ctrl+C stops the server;\n` +
          `  the next \`npm start\` keeps your accounts and history.\n`,
      )
      break
    }
  } catch {
    // Not listening yet.
  }
  if (Date.now() > deadline) {
    console.error(`moodlens start: the server did not answer on ${url} within two minutes.`)
    server.kill('SIGTERM')
    break
  }
  await new Promise((resolve) => setTimeout(resolve, 300))
}
