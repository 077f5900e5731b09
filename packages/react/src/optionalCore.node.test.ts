import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const SOURCE = new URL('./', import.meta.url)

/** Every module `entry` imports at run time (type-only imports are erased), with its specifiers. */
function runtimeImports(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    const code = readFileSync(new URL(file, SOURCE), 'utf8')
    const specifiers = [
      ...code.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm),
    ].map((match) => match[1]!)
    seen.set(file, specifiers)
    for (const specifier of specifiers) if (specifier.startsWith('./')) visit(specifier.slice(2))
  }
  visit(entry)
  return seen
}

// `@moodlens/core` is an optional peer: the main entry must load without it installed.
describe('@moodlens/core stays optional', () => {
  it('is never imported at run time by the main entry', () => {
    const graph = runtimeImports('index.ts')
    expect(graph.has('useCamera.ts')).toBe(true)
    expect(graph.has('useRecommendations.ts')).toBe(true)
    for (const [file, specifiers] of graph) {
      expect(specifiers, file).not.toContain('@moodlens/core')
    }
  })

  it('is what the emotion entry builds on', () => {
    const specifiers = [...runtimeImports('emotion.ts').values()].flat()
    expect(specifiers).toContain('@moodlens/core')
  })
})
