import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

/** Where the counts go for `scripts/print-test-summary.mjs`, which prints the run's closing line. */
export const SUMMARY_FILE: string = join(
  import.meta.dirname,
  '..',
  'node_modules',
  '.cache',
  'moodlens',
  'test-summary.json',
)

/**
 * Fails the run when any test was skipped or left as a todo (a skipped test hides a broken one),
 * and records the counts per project.
 */
export default class TestSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0, projects: {} as Record<string, number> }
    const skipped: string[] = []
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state
        const project = test.project.name
        counts.projects[project] = (counts.projects[project] ?? 0) + 1
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else {
          counts.skipped++
          skipped.push(`${project}: ${testModule.moduleId} > ${test.fullName}`)
        }
      }
    }
    mkdirSync(dirname(SUMMARY_FILE), { recursive: true })
    writeFileSync(SUMMARY_FILE, JSON.stringify(counts))
    if (skipped.length > 0) {
      console.error(`\n${skipped.length} test(s) were skipped; moodlens runs every test:`)
      for (const name of skipped) console.error(`  - ${name}`)
      process.exitCode = 1
    }
  }
}
