// Runs in a module graph of its own (vitest isolates test files) where no backend package has been
// imported yet, so it sees the on-demand registration happen.
import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { activateBackend } from './activateBackend.ts'
import { MoodlensError } from './MoodlensError.ts'

describe('activateBackend (Node)', () => {
  it('registers cpu when no backend is registered and none is named', async () => {
    expect(tf.findBackendFactory('cpu')).toBeNull()
    await expect(activateBackend(undefined, undefined)).resolves.toBe('cpu')
    expect(tf.findBackendFactory('cpu')).not.toBeNull()
    expect(tf.getBackend()).toBe('cpu')
  })

  it('imports and registers wasm when asked, finding its binaries in the installed package', async () => {
    expect(tf.findBackendFactory('wasm')).toBeNull()
    await expect(activateBackend('wasm', undefined)).resolves.toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5)
  })

  it('keeps the active backend when none is named', async () => {
    await activateBackend('wasm', undefined)
    await expect(activateBackend(undefined, undefined)).resolves.toBe('wasm')
  })

  it('rejects a backend that is neither registered nor official', async () => {
    const error: unknown = await activateBackend('nnapi', undefined).catch(
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(MoodlensError)
    expect((error as MoodlensError).code).toBe('ERR_BACKEND_UNAVAILABLE')
    expect((error as MoodlensError).message).toMatch(/"nnapi": it is not registered/)
  })

  it('reports a registered backend that fails to initialise', async () => {
    tf.registerBackend('broken', () => {
      throw new Error('no device')
    })
    const error: unknown = await activateBackend('broken', undefined).catch(
      (reason: unknown) => reason,
    )
    expect((error as MoodlensError).code).toBe('ERR_BACKEND_UNAVAILABLE')
    expect((error as MoodlensError).message).toMatch(/"broken": it failed to initialise/)
    tf.removeBackend('broken')
  })
})
