// The closing line of `npm test`: the unit-test counts recorded by scripts/testSummaryReporter.ts,
// printed after every other check has passed.
import { readFileSync } from 'node:fs'

const file = new URL('../node_modules/.cache/moodlens/test-summary.json', import.meta.url)
const { passed, failed, skipped, projects } = JSON.parse(readFileSync(file, 'utf8'))
const perProject = Object.entries(projects)
  .map(([name, count]) => `${name} ${count}`)
  .join(', ')
console.log(
  `\nUnit tests per project: ${perProject}. Lint, types, the training smoke test, packaging, size and API docs: passed.`,
)
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
