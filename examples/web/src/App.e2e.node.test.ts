// End-to-end: the built web app, served by the real reference server (in this process, on a free
// port, with a fresh PGlite data directory and the demo catalogue), driven in Debian's Chromium
// through playwright-core. The camera is Chromium's fake device playing a clip made from a
// public-domain portrait, so face detection and emotion recognition run for real in the browser.
// Screenshots of each screen are saved to examples/web/test-results/ for people to look at.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from '../../server/src/buildServer.ts'

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url))
const REPO_ROOT = join(WEB_ROOT, '../..')
const RESULTS = join(WEB_ROOT, 'test-results')

// The portrait the fake camera shows: the core package's test fixture, or the shared data copy.
const FACE_PHOTO = [
  join(REPO_ROOT, 'packages/core/src/__tests__/fixtures/faces/grace_hopper.jpg'),
  join(REPO_ROOT, '../shared/data/faces/grace_hopper.jpg'),
].find((path) => existsSync(path))

// scripts/chromium.mjs is plain JavaScript shared with the vitest config: loaded by URL, typed here.
const { CHROMIUM_ARGS, CHROMIUM_PATH } = (await import(
  pathToFileURL(join(REPO_ROOT, 'scripts/chromium.mjs')).href
)) as { CHROMIUM_ARGS: string[]; CHROMIUM_PATH: string }

const EMOTION_LABELS = /Angry|Disgusted|Afraid|Happy|Sad|Surprised|Neutral/
const PASSWORD = 'correct horse battery'

type Server = Awaited<ReturnType<typeof buildServer>>

let workDir: string
let server: Server
let baseUrl: string
let cameraBrowser: Browser
let deniedBrowser: Browser

/** Builds the web app into `outDir` with Vite's API, as `npm run build` does. */
async function buildWebApp(outDir: string): Promise<void> {
  // Vitest sets NODE_ENV=test; the app must be built as for production (React's production build).
  const previous = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      root: WEB_ROOT,
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    })
  } finally {
    process.env.NODE_ENV = previous
  }
}

/** A 640x480 y4m clip of the portrait, letterboxed, for Chromium's fake camera. */
function makeCameraClip(photo: string, clip: string): void {
  const result = spawnSync(
    'ffmpeg',
    [
      ...['-loglevel', 'error', '-y', '-loop', '1', '-i', photo, '-frames:v', '5', '-r', '5'],
      ...['-vf', 'scale=-2:480,pad=640:480:(ow-iw)/2:(oh-ih)/2,format=yuv420p', clip],
    ],
    { encoding: 'utf8' },
  )
  if (result.status !== 0)
    throw new Error(`ffmpeg could not make the camera clip: ${result.stderr}`)
}

interface Watched {
  readonly page: Page
  /**
   * Console errors, uncaught exceptions, requests to any other origin (no CDN, no model hub) and
   * mood-carrying requests not sealed in an envelope, as text.
   */
  readonly errors: string[]
  /** The paths of the sealed mood-carrying requests sent. */
  readonly sealed: string[]
}

// The routes whose bodies hold a mood: they must travel sealed.
const MOOD_ROUTES = /\/api\/v1\/(moods|recommendations|feedback)$/

async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<Watched> {
  const context: BrowserContext = await browser.newContext({ viewport, baseURL: baseUrl })
  const page = await context.newPage()
  const errors: string[] = []
  const sealed: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`))
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(`${baseUrl}/`) && !/^(data|blob):/.test(url)) {
      errors.push(`request to another origin: ${url}`)
    }
    if (request.method() === 'POST' && MOOD_ROUTES.test(new URL(url).pathname)) {
      const type = request.headers()['content-type']
      if (
        type !== 'application/moodlens-envelope' ||
        /neutral|happy/.test(request.postData() ?? '')
      ) {
        errors.push(`mood sent in the clear: ${request.method()} ${url} (${type})`)
      }
      sealed.push(new URL(url).pathname)
    }
  })
  page.setDefaultTimeout(30_000)
  return { page, errors, sealed }
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true })
}

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto('/#/sign-up')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Live mood' }).waitFor()
}

beforeAll(async () => {
  if (FACE_PHOTO === undefined)
    throw new Error('grace_hopper.jpg is missing: see packages/core fixtures')
  workDir = mkdtempSync(join(tmpdir(), 'moodlens-web-e2e-'))
  mkdirSync(RESULTS, { recursive: true })
  const clip = join(workDir, 'face.y4m')
  makeCameraClip(FACE_PHOTO, clip)
  const webDir = join(workDir, 'web')
  await buildWebApp(webDir)
  server = await buildServer({
    database: { pgliteDir: join(workDir, 'pglite') },
    dataDir: workDir,
    webDir,
    // Fast password hashing: the cost is the server's own tests' business.
    scryptLogN: 12,
  })
  await server.listen({ host: '127.0.0.1', port: 0 })
  const address = server.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  baseUrl = `http://127.0.0.1:${address.port}`
  const fakeCamera = [
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${clip}`,
  ]
  cameraBrowser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...fakeCamera, '--use-fake-ui-for-media-stream'],
  })
  deniedBrowser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...fakeCamera, '--deny-permission-prompts'],
  })
}, 240_000)

afterAll(async () => {
  await cameraBrowser?.close()
  await deniedBrowser?.close()
  await server?.close()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
}, 60_000)

describe('the web app, end to end', () => {
  it('signs up, detects the face and mood, plays a playlist, and keeps a like in the history after a reload', async () => {
    const { page, errors, sealed } = await openPage(cameraBrowser)
    await page.goto('/#/sign-up')
    await page.getByLabel('Email').fill('ada@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await screenshot(page, '01-sign-up')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Live mood' }).waitFor()
    await expect(
      page.getByRole('complementary', { name: 'Privacy' }).textContent(),
    ).resolves.toMatch(/Only the seven emotion percentages are sent/)

    await page.getByRole('button', { name: 'Turn camera on' }).click()
    // A face box with its emotion over the video, and a mood from the camera.
    const face = page.getByTestId('face-box').first()
    await face.waitFor({ timeout: 90_000 })
    expect(await face.getAttribute('data-emotion')).toMatch(
      /^(angry|disgust|fear|happy|sad|surprise|neutral)$/,
    )
    await page.getByText('(from the camera)').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('current-mood').textContent()).toMatch(EMOTION_LABELS)
    // The mood went to the server sealed, and the server stored it.
    await page.getByText(/Sent \d+ encrypted mood reading/).waitFor({ timeout: 30_000 })
    const meters = page.getByRole('meter')
    expect(await meters.count()).toBe(7)
    const percents = await meters.evaluateAll((nodes) =>
      nodes.map((node) => Number(node.getAttribute('aria-valuenow'))),
    )
    expect(percents.reduce((sum, value) => sum + value, 0)).toBeGreaterThan(90)
    await page.getByText('Share of each emotion in your mood').waitFor({ timeout: 30_000 })
    await screenshot(page, '02-live')

    await page.getByRole('link', { name: 'Playlist', exact: true }).click()
    const first = page.getByTestId('track').first()
    await first.waitFor()
    expect(await page.getByTestId('track').count()).toBe(10)
    await expect(first.textContent()).resolves.toMatch(/Why this track:/)
    const title = (await first.locator('.track-title').textContent())!.replace(/^1\. /, '')
    await screenshot(page, '03-playlist')
    await first.getByRole('button', { name: 'Like', exact: true }).click()
    await first.locator('button[aria-pressed="true"]', { hasText: 'Like' }).waitFor()

    // Journey mode: a list that moves step by step to the goal mood.
    await page.getByLabel('Journey: move step by step to a goal mood').check()
    await page.getByRole('combobox', { name: /^Goal mood/ }).selectOption('happy')
    await page.getByRole('heading', { name: 'A journey to happy' }).waitFor()
    await page.getByText('step 100% of the way').waitFor()
    expect(await page.getByTestId('track').count()).toBe(8)
    await screenshot(page, '04-journey')

    await page.reload()
    await page.getByRole('link', { name: 'History', exact: true }).click()
    const liked = page.getByTestId('feedback-row').filter({ hasText: title })
    await liked.waitFor()
    await expect(liked.textContent()).resolves.toMatch(/Liked/)
    await page.getByText(/(One mood|\d+ moods) recorded/).waitFor()
    await screenshot(page, '05-history')

    // Phone width: the same screens stack into one column. After the reload the playlist
    // continues from the mood the server saved.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('link', { name: 'Playlist', exact: true }).click()
    await page.getByText('(your last saved mood)').waitFor()
    await page.getByTestId('track').first().waitFor()
    await screenshot(page, '06-playlist-phone')
    expect(new Set(sealed)).toEqual(
      new Set(['/api/v1/moods', '/api/v1/recommendations', '/api/v1/feedback']),
    )
    expect(errors).toEqual([])
  }, 180_000)

  it('with the camera refused, says so in plain words and works from a mood picked by hand', async () => {
    const { page, errors } = await openPage(deniedBrowser, { width: 390, height: 844 })
    await signUp(page, 'grace@example.com')
    await page.getByRole('button', { name: 'Turn camera on' }).click()
    await page.getByText('Camera access was refused.').first().waitFor()
    await page.getByRole('button', { name: 'Sad' }).click()
    await page.getByText('(picked by you)').waitFor()
    expect(await page.getByTestId('current-mood').textContent()).toBe('Sad')
    await page.getByText(/Sent 1 encrypted mood reading/).waitFor()
    await screenshot(page, '07-camera-refused-phone')
    await page.getByRole('link', { name: 'Playlist', exact: true }).click()
    await page.getByTestId('track').first().waitFor()
    expect(await page.getByTestId('track').count()).toBe(10)
    expect(errors).toEqual([])
  }, 120_000)

  it('shows a listener why the curator page is closed, and a curator the rows a CSV import refused', async () => {
    const { page, errors } = await openPage(cameraBrowser)
    await signUp(page, 'curator@example.com')
    await page.getByRole('link', { name: 'Curator', exact: true }).click()
    await page.getByText(/Importing music needs the/).waitFor()

    // The first admin is made on the server (npm run grant-role); the rest in the app.
    await server.moodlens.db.query('UPDATE users SET roles = $2 WHERE email = $1', [
      'curator@example.com',
      ['curator', 'admin'],
    ])
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await page.getByLabel('Email').fill('curator@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Live mood' }).waitFor()
    await page.getByRole('link', { name: 'Curator', exact: true }).click()

    const header =
      'track_id,track_name,track_artist,track_popularity,track_album_name,track_album_release_date,' +
      'playlist_genre,playlist_subgenre,danceability,energy,key,loudness,mode,speechiness,' +
      'acousticness,instrumentalness,liveness,valence,tempo,duration_ms'
    const csv = [
      header,
      'e2eTrack0001,Morning Light,The Testers,50,First,2020-01-01,pop,indie,0.6,0.5,1,-6,1,0.05,0.3,0,0.1,0.8,120,200000',
      'e2eTrack0002,Broken Row,The Testers,50,First,2020-01-01,pop,indie,not-a-number,0.5,1,-6,1,0.05,0.3,0,0.1,0.8,120,200000',
      'e2eTrack0003,Evening Dark,The Testers,50,First,2020-01-01,rock,indie,0.4,0.9,2,-4,0,0.06,0.1,0,0.2,0.2,140,180000',
    ].join('\n')
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'catalogue.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    })
    await page.getByRole('button', { name: 'Import' }).click()
    await page.getByText(/Read 3 rows: 2 new tracks/).waitFor()
    const refused = page.getByTestId('import-error')
    expect(await refused.count()).toBe(1)
    await page.getByText('1 row refused').waitFor()
    await expect(refused.textContent()).resolves.toMatch(/^3/)
    // The box follows the server: it turns checked once the change is saved.
    const curatorBox = page.getByRole('checkbox', { name: 'ada@example.com is a curator' })
    await curatorBox.click()
    await page.getByText('ada@example.com is now listener and curator.').waitFor()
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLInputElement>('input[aria-label="ada@example.com is a curator"]')
          ?.checked === true,
    )
    await screenshot(page, '08-curator-import')
    expect(errors).toEqual([])
  }, 120_000)
})
