import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const example = readFileSync(new URL('./__tests__/MoodPlayer.tsx', import.meta.url), 'utf8')
const documents = {
  'docs/react.md': new URL('../../../docs/react.md', import.meta.url),
  'packages/react/README.md': new URL('../README.md', import.meta.url),
}

// The documented component is the one MoodPlayer.browser.test.tsx runs: the copies must not drift.
describe('the copy-paste example', () => {
  for (const [name, url] of Object.entries(documents)) {
    it(`in ${name} is the tested MoodPlayer component, verbatim`, () => {
      const blocks = [...readFileSync(url, 'utf8').matchAll(/```tsx\n([\s\S]*?)```/g)]
      expect(blocks.map((block) => block[1])).toContain(example)
    })
  }
})
