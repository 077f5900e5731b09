import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

// docs/worker.md shows these files in full; the Chromium test runs them. This keeps the two equal,
// so the documented recipe is the tested one.
const RECIPE_FILES = ['workerProtocol.ts', 'emotionDetector.worker.ts', 'createWorkerDetector.ts']

const docUrl = new URL('../../../../../docs/worker.md', import.meta.url)

/** The ```ts block right after the heading "### `name`". */
function documentedFile(markdown: string, name: string): string | undefined {
  const heading = markdown.indexOf(`### \`${name}\`\n`)
  if (heading === -1) return undefined
  const start = markdown.indexOf('```ts\n', heading)
  const end = markdown.indexOf('\n```\n', start)
  if (start === -1 || end === -1) return undefined
  return markdown.slice(start + '```ts\n'.length, end + 1)
}

describe('docs/worker.md', () => {
  it.each(RECIPE_FILES)('shows %s exactly as tested', async (name) => {
    const [markdown, source] = await Promise.all([
      readFile(docUrl, 'utf8'),
      readFile(new URL(`./${name}`, import.meta.url), 'utf8'),
    ])
    expect(documentedFile(markdown, name)).toBe(source)
  })
})
