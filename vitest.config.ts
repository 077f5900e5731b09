import { playwright } from '@vitest/browser-playwright'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs'
import { cameraCommands, FAKE_CAMERA_ARGS } from './scripts/fakeCameraSetup.ts'

// Tests run against source: workspace packages resolve through their `@moodlens/source` export
// condition to `src/index.ts`, so no build is needed first.
const SOURCE_CONDITION = '@moodlens/source'

const TEST_FILES = ['packages/*/src/**/*.test.{ts,tsx}', 'examples/*/src/**/*.test.{ts,tsx}']

// Pre-bundled up front so the browser project never reloads mid-run on discovering a dependency.
const BROWSER_DEPENDENCIES = [
  'react',
  'react/jsx-dev-runtime',
  'react-dom/client',
  'jose',
  'fast-check',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-converter',
]

export default defineConfig({
  optimizeDeps: { include: BROWSER_DEPENDENCIES },
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    passWithNoTests: false,
    reporters: ['default', './scripts/testSummaryReporter.ts'],
    allowOnly: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: TEST_FILES,
          exclude: ['**/node_modules/**', '**/*.browser.test.{ts,tsx}'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: TEST_FILES.slice(0, 1),
          exclude: ['**/node_modules/**', '**/*.node.test.{ts,tsx}'],
          testTimeout: 30_000,
          // Builds the fake camera's clip (scripts/fakeCameraSetup.ts).
          globalSetup: ['./scripts/fakeCameraSetup.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: CHROMIUM_PATH,
                // Playwright gives each launch a fresh, empty profile of its own.
                args: [...CHROMIUM_ARGS, ...FAKE_CAMERA_ARGS],
              },
            }),
            commands: cameraCommands,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
})
