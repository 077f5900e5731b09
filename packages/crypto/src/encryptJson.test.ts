import { describe, expect, it } from 'vitest'
import { decryptJson } from './decryptJson.ts'
import { decryptText } from './decryptText.ts'
import { encrypt } from './encrypt.ts'
import { encryptJson } from './encryptJson.ts'
import { generateKey } from './generateKey.ts'

describe('encryptJson / decryptJson', () => {
  it.each([
    { mood: 'happy', confidence: 0.92, history: ['sad', 'neutral'] },
    [1, 'two', null, { three: [3] }],
    'a string',
    0,
    false,
    null,
  ])('round-trips %j', async (value) => {
    const key = await generateKey()
    const envelope = await encryptJson(key, value, { aad: 'profile' })
    expect(await decryptJson(key, envelope, { aad: 'profile' })).toEqual(value)
    expect(await decryptText(key, envelope, { aad: 'profile' })).toBe(JSON.stringify(value))
  })

  it('serialises as JSON.stringify does (toJSON, dropped undefined members)', async () => {
    const key = await generateKey()
    const at = new Date('2025-06-01T12:00:00Z')
    const envelope = await encryptJson(key, { at, skipped: undefined })
    expect(await decryptJson(key, envelope)).toEqual({ at: '2025-06-01T12:00:00.000Z' })
  })

  it('refuses values JSON cannot hold with a TypeError naming value', async () => {
    const key = await generateKey()
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    for (const value of [undefined, () => 1, Symbol('x'), 10n, cycle]) {
      await expect(encryptJson(key, value)).rejects.toThrow(
        new TypeError('value must be JSON-serialisable'),
      )
    }
  })

  it('keeps a byte-order mark in decryptText', async () => {
    const key = await generateKey()
    const text = '\uFEFFstarts with a BOM'
    expect(await decryptText(key, await encrypt(key, text))).toBe(text)
  })
})
