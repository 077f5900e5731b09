import type { UserConfig } from 'tsdown'
import { packageBuild } from '../../scripts/tsdown.shared.ts'

// `node` holds the file reader, which imports node:fs; the main entry stays platform-free.
const config: UserConfig = packageBuild(
  { index: 'src/index.ts', node: 'src/node.ts' },
  { deps: { neverBundle: [/^node:/] } },
)

export default config
