import { defineConfig, type UserConfig } from 'tsdown'

/**
 * The one build recipe every publishable package uses: ESM + CJS + declarations, no bundled
 * dependencies, platform-neutral output (the packages run in browsers, Node, Deno and workers).
 */
export function packageBuild(entry: Record<string, string>, extra: UserConfig = {}): UserConfig {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    platform: 'neutral',
    target: 'es2022',
    dts: true,
    sourcemap: true,
    clean: true,
    fixedExtension: false,
    ...extra,
  })
}
