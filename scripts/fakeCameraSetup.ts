// The browser project's fake camera: Chromium plays a .y4m clip, made here from the shared face
// photos, as if it came from a webcam. Vitest runs `setup` (globalSetup) before the browser tests;
// the Chromium flags and the permission command are imported by vitest.config.ts.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserCommand } from 'vitest/node'

const root = fileURLToPath(new URL('..', import.meta.url))
const FACES_DIR = join(root, '..', 'shared', 'data', 'faces')
// Two seconds of each portrait: one face at a time, a change of person (and expression) midway.
const PHOTOS = ['grace_hopper.jpg', 'astronaut.png']
const SECONDS_PER_PHOTO = 2
const WIDTH = 640
const HEIGHT = 480
const FPS = 10

/** Where the clip is written; Chromium reads it (and loops it) whenever a page opens the camera. */
export const FAKE_CAMERA_CLIP: string = join(
  root,
  'node_modules',
  '.cache',
  'moodlens',
  'fake-camera.y4m',
)

/** Chromium flags: a fake capture device playing the clip; permission stays under test control. */
export const FAKE_CAMERA_ARGS: readonly string[] = [
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${FAKE_CAMERA_CLIP}`,
]

/**
 * Browser commands for the camera tests. Playwright answers a camera permission prompt with
 * "denied" unless the page's context was granted it, so both paths are the browser's real ones.
 */
export const cameraCommands: Record<string, BrowserCommand<[granted: boolean]>> = {
  async setCameraPermission(context, granted) {
    const { context: browserContext } = context as unknown as {
      context: {
        grantPermissions(names: string[]): Promise<void>
        clearPermissions(): Promise<void>
      }
    }
    if (granted) await browserContext.grantPermissions(['camera'])
    else await browserContext.clearPermissions()
  },
}

function ffmpegArgs(output: string): string[] {
  const inputs = PHOTOS.flatMap((photo) => [
    '-loop',
    '1',
    '-framerate',
    String(FPS),
    '-t',
    String(SECONDS_PER_PHOTO),
    '-i',
    join(FACES_DIR, photo),
  ])
  // Letterbox each photo into the frame, then play them one after the other.
  const fit = `scale=${WIDTH}:${HEIGHT}:force_original_aspect_ratio=decrease,pad=${WIDTH}:${HEIGHT}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p`
  const chains = PHOTOS.map((_, index) => `[${index}:v]${fit}[v${index}]`)
  const concat = `${PHOTOS.map((_, index) => `[v${index}]`).join('')}concat=n=${PHOTOS.length}:v=1:a=0`
  return [
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    [...chains, concat].join(';'),
    '-r',
    String(FPS),
    '-f',
    'yuv4mpegpipe',
    output,
  ]
}

/** Builds the clip unless an identical one (same photos, same recipe) is already there. */
export function setup(): void {
  const hash = createHash('sha256')
  for (const photo of PHOTOS) hash.update(readFileSync(join(FACES_DIR, photo)))
  hash.update(ffmpegArgs('out').join(' '))
  const stamp = `${FAKE_CAMERA_CLIP}.${hash.digest('hex').slice(0, 16)}`
  if (existsSync(FAKE_CAMERA_CLIP) && existsSync(stamp)) return
  mkdirSync(join(FAKE_CAMERA_CLIP, '..'), { recursive: true })
  // Other test runs may read the clip meanwhile: write aside, then rename atomically.
  const temporary = `${FAKE_CAMERA_CLIP}.${process.pid}.tmp`
  execFileSync('ffmpeg', ffmpegArgs(temporary), { stdio: ['ignore', 'ignore', 'inherit'] })
  renameSync(temporary, FAKE_CAMERA_CLIP)
  writeFileSync(stamp, '')
}
