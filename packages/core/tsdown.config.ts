import type { UserConfig } from 'tsdown'
import { packageBuild } from '../../scripts/tsdown.shared.ts'

// Node built-ins stay external: `node:fs/promises` is imported dynamically, and only to read
// file: model URLs in Node.
const config: UserConfig = packageBuild(
  { index: 'src/index.ts' },
  { deps: { neverBundle: [/^node:/] } },
)

export default config
