import { defineConfig, type UserConfig } from 'tsdown'

// A private Node application, not a library: one ESM build for Node, no declarations.
// @moodlens/crypto and @moodlens/recommender are bundled from their TypeScript source (the
// `@moodlens/source` condition), so the server builds and runs without the packages' own builds;
// @moodlens/core stays external because it loads its model files relative to its own location.
// npm dependencies stay external and resolve from node_modules at run time.
const config: UserConfig = defineConfig({
  entry: { main: 'src/main.ts', buildServer: 'src/buildServer.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: false,
  sourcemap: true,
  clean: true,
  fixedExtension: false,
  deps: { neverBundle: [/^@moodlens\/core(\/|$)/] },
  inputOptions: {
    resolve: { conditionNames: ['@moodlens/source', 'node', 'import', 'default'] },
  },
})

export default config
