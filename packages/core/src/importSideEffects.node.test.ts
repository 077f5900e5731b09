// Importing @moodlens/core must be safe in server-side rendering: its own code reads no browser
// global (window, document, navigator, location, self) until a detector or classifier is created.
// TF.js itself probes some of them with `typeof` guards at import, which is harmless; the test
// tells its reads from ours by the reading stack frame (our files are under packages/).
import { expect, it } from 'vitest'

it('importing the package reads no browser global in its own code', async () => {
  const reads: { name: string; frame: string }[] = []
  const names = ['window', 'document', 'navigator', 'location', 'self'] as const
  const saved = names.map((name) => Object.getOwnPropertyDescriptor(globalThis, name))
  for (const name of names) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.push({ name, frame: new Error().stack?.split('\n')[2] ?? '' })
        return undefined
      },
    })
  }
  try {
    // The probe sees reads from this package's files...
    expect((globalThis as { window?: unknown }).window).toBeUndefined()
    expect(reads.map(({ name, frame }) => [name, frame.includes('/packages/')])).toEqual([
      ['window', true],
    ])
    reads.length = 0
    const core = await import('./index.ts')
    const node = await import('./node.ts')
    expect(typeof core.createEmotionDetector).toBe('function')
    expect(typeof node.decodeImage).toBe('function')
  } finally {
    names.forEach((name, index) => {
      const descriptor = saved[index]
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else Reflect.deleteProperty(globalThis, name)
    })
  }
  // ... and none of them came while importing the package.
  expect(reads.filter(({ frame }) => frame.includes('/packages/'))).toEqual([])
})
