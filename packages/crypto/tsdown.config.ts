import type { UserConfig } from 'tsdown'
import { packageBuild } from '../../scripts/tsdown.shared.ts'

// Two entries so that only `@moodlens/crypto/jwt` pulls in jose.
const config: UserConfig = packageBuild({ index: 'src/index.ts', jwt: 'src/jwt.ts' })

export default config
