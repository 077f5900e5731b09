// Browser tests drive Debian's Chromium, never a downloaded browser. Say how to get it instead of
// letting Playwright fail with a stack trace.
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
