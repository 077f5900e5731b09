// What the unit tests need from the machine: Debian's Chromium (never a downloaded browser) and
// ffmpeg. Say how to get them instead of letting a test fail with a stack trace.
import { spawnSync } from 'node:child_process'
import { CHROMIUM_PATH, chromiumAvailable } from './chromium.mjs'

if (!chromiumAvailable()) {
  console.error(`
moodlens: the browser tests need Chromium at ${CHROMIUM_PATH}, and it is not there.

  On Debian or Ubuntu:   sudo apt-get update && sudo apt-get install -y chromium
  Elsewhere:             point CHROMIUM_PATH at a Chromium or Chrome binary.
  Node tests only:       npm run test:node
`)
  process.exit(1)
}

// The face-detection tests decode the shared photos with ffmpeg.
if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) {
  console.error(`
moodlens: the face-detection tests decode photos with ffmpeg, and it is not on PATH.

  On Debian or Ubuntu:   sudo apt-get update && sudo apt-get install -y ffmpeg
`)
  process.exit(1)
}
