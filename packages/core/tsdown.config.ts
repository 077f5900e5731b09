import type { UserConfig } from 'tsdown'
import { packageBuild } from '../../scripts/tsdown.shared.ts'

// Two entries: the platform-neutral main one, and `@moodlens/core/node` (image decoding), which
// alone imports Node built-ins. Node built-ins stay external: the main entry reaches
// `node:fs/promises` only through a computed dynamic import, to read file: model URLs in Node.
const config: UserConfig = packageBuild(
  { index: 'src/index.ts', node: 'src/node.ts' },
  { deps: { neverBundle: [/^node:/] } },
)

export default config
