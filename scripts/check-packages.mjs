// Packaging checks for every publishable package, against the built `dist/`:
//   1. publint --strict (package.json and exports map are correct),
//   2. attw --pack (types resolve for every module resolution mode),
//   3. every entry point imports from plain Node ESM and from CJS, with the same export names.
// Run `npm run build` first.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const bin = (name) => join(root, 'node_modules', '.bin', name)
const failures = []

function run(label, command, args, cwd, mustNotSay) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' })
  const output = `${result.stdout}${result.stderr}`.trim()
  if (result.status === 0 && !(mustNotSay && output.includes(mustNotSay))) {
    console.log(`  ok   ${label}`)
  } else {
    console.log(`  FAIL ${label}\n${output.replace(/^/gm, '       ')}`)
    failures.push(label)
  }
  return output
}

function exportNames(specifier, mode) {
  const script =
    mode === 'esm'
      ? `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort()))`
      : `const m = require(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()))`
  const args = mode === 'esm' ? ['--input-type=module', '-e', script] : ['-e', script]
  // Plain Node: no custom conditions, so the `@moodlens/source` entry is ignored and dist is used.
  const stdout = execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
  })
  return JSON.parse(stdout)
}

const packageDirs = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))

for (const dir of packageDirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (pkg.private) continue
  console.log(`${pkg.name}`)
  run('publint --strict', bin('publint'), ['--strict'], dir)
  // attw exits 0 for a package without types, so that message counts as a failure too.
  run(
    'attw --pack',
    bin('attw'),
    ['--pack', '.', '--format', 'table-flipped'],
    dir,
    'does not contain types',
  )
  for (const subpath of Object.keys(pkg.exports)) {
    if (subpath === './package.json') continue
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`
    const label = `import ${specifier} from ESM and CJS`
    try {
      const esm = exportNames(specifier, 'esm')
      const cjs = exportNames(specifier, 'cjs')
      if (esm.length === 0) throw new Error('the ESM build exports nothing')
      if (JSON.stringify(esm) !== JSON.stringify(cjs)) {
        throw new Error(`ESM exports ${esm.join(', ')}\nbut CJS exports ${cjs.join(', ')}`)
      }
      console.log(`  ok   ${label} (${esm.length} exports)`)
    } catch (error) {
      console.log(
        `  FAIL ${label}\n${String(error.stderr ?? error.message).replace(/^/gm, '       ')}`,
      )
      failures.push(label)
    }
  }
}

if (failures.length > 0) {
  console.error(`\n${failures.length} packaging check(s) failed.`)
  process.exit(1)
}
console.log('\nAll packaging checks passed.')
