// Where Debian's Chromium lives and the flags it needs on this headless, offline machine. Shared by
// the vitest browser project, the Playwright end-to-end tests and the pre-test check.
import { existsSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export function chromiumAvailable() {
  return existsSync(CHROMIUM_PATH)
}
