import type { ReactElement } from 'react'

/** What leaves the device and what does not: shown wherever the camera is. */
export function PrivacyNote(): ReactElement {
  return (
    <aside className="privacy" aria-label="Privacy">
      <strong>Your face stays on this device.</strong> The camera picture is analysed here, in your
      browser. Only the seven emotion percentages are sent to the server, encrypted end to end with
      a key agreed for this session (ECDH P-256, AES-256-GCM), and stored encrypted.
    </aside>
  )
}
