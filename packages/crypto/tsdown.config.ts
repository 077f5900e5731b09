import type { UserConfig } from 'tsdown'
import { packageBuild } from '../../scripts/tsdown.shared.ts'

const config: UserConfig = packageBuild({ index: 'src/index.ts' })

export default config
