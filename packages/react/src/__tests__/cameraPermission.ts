import { commands } from 'vitest/browser'

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Grants or withdraws the page's camera permission (scripts/fakeCameraSetup.ts). */
    setCameraPermission(granted: boolean): Promise<void>
  }
}

/**
 * Grants the camera to this test's page (Chromium then streams the fake camera's clip), or
 * withdraws it: a prompt is then answered "denied", and a live stream ends, as when a person
 * revokes the permission in the browser's site settings.
 */
export function setCameraPermission(granted: boolean): Promise<void> {
  return commands.setCameraPermission(granted)
}
