import { defineConfig, type UserConfig } from 'tsdown'

// A private Node application, not a library: one ESM build for Node, no declarations. The
// workspace packages and npm dependencies stay external: at run time the server loads the
// packages' own builds from node_modules (the root build builds them first).
const config: UserConfig = defineConfig({
  entry: { main: 'src/main.ts', buildServer: 'src/buildServer.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  deps: { neverBundle: [/^@moodlens\//] },
})

export default config
