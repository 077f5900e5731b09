import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig, type UserConfig } from 'vite'

// The app is built from the packages' TypeScript sources (their `@moodlens/source` export
// condition), like the tests: no package build is needed first, and dev edits to a package reload
// the app at once.
const SOURCE_CONDITION = '@moodlens/source'

// `npm run dev` serves the app on Vite and forwards the API to a running examples/server.
const API_TARGET = process.env.MOODLENS_API_URL ?? 'http://127.0.0.1:3000'

const config: UserConfig = defineConfig({
  plugins: [react()],
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  server: { proxy: { '/api': { target: API_TARGET, changeOrigin: true } } },
  preview: { proxy: { '/api': { target: API_TARGET, changeOrigin: true } } },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // TF.js and its backends are one lazily loaded chunk of about a megabyte; that is expected.
    chunkSizeWarningLimit: 2500,
  },
})

export default config
