// @ts-check
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'docs/api/**',
      'coverage/**',
      'training/**',
      'packages/*/models/**',
      '**/.data/**',
      '**/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
      // Typed-array loops under noUncheckedIndexedAccess need `!`; bounds are checked by the loop.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['packages/*/src/**/*.{ts,tsx}', 'examples/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Library source runs in browsers, workers and Deno too: Node globals only in Node-only files.
    files: ['packages/*/src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', '**/*.node.ts', '**/node/**'],
    languageOptions: { globals: { ...globals.browser, ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Use Uint8Array: library code must run in browsers.' },
        { name: 'process', message: 'Library code must not read process: pass options instead.' },
        { name: 'require', message: 'Use ESM imports.' },
      ],
    },
  },
)
