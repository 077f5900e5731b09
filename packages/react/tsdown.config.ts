import type { UserConfig } from 'tsdown'
import { packageBuild } from '../../scripts/tsdown.shared.ts'

// Two entry points: `@moodlens/react` needs no `@moodlens/core` (camera, playlists); the emotion
// hooks, which do, live in `@moodlens/react/emotion`, so that core stays an optional peer. Both
// are client modules for React Server Components: bundling drops the sources' 'use client', so
// the entry files get it back as a banner.
const config: UserConfig = packageBuild(
  { index: 'src/index.ts', emotion: 'src/emotion.ts' },
  {
    banner: ({ fileName }) =>
      /^(index|emotion)\.c?js$/.test(fileName) ? { js: "'use client'" } : undefined,
  },
)

export default config
