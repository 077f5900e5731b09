import { describe, expect, it } from 'vitest'
import pbkdf2 from './__tests__/vectors/pbkdf2.json' with { type: 'json' }
import { decodeBase64url, encodeBase64url } from './base64url.ts'
import {
  DEFAULT_DERIVE_KEY_OPTIONS,
  DEFAULT_PBKDF2_ITERATIONS,
  deriveKey,
  MIN_PBKDF2_ITERATIONS,
  type DeriveKeyOptions,
} from './deriveKey.ts'
import { decryptText } from './decryptText.ts'
import { encrypt } from './encrypt.ts'
import { exportKey } from './exportKey.ts'

const salt = decodeBase64url(pbkdf2.salt)
const [fast, slow, unicode] = pbkdf2.cases as [
  (typeof pbkdf2.cases)[number],
  (typeof pbkdf2.cases)[number],
  (typeof pbkdf2.cases)[number],
]

async function derivedBytes(...args: Parameters<typeof deriveKey>): Promise<string> {
  const [passphrase, salt, options] = args
  return encodeBase64url(
    await exportKey(await deriveKey(passphrase, salt, { ...options, extractable: true })),
  )
}

describe('deriveKey', () => {
  it('matches PBKDF2-HMAC-SHA-256 as node:crypto computes it', async () => {
    expect(fast.iterations).toBe(MIN_PBKDF2_ITERATIONS)
    expect(await derivedBytes(fast.passphrase, salt, { iterations: fast.iterations })).toBe(
      fast.key,
    )
  })

  it('uses 600,000 iterations by default', async () => {
    expect(DEFAULT_PBKDF2_ITERATIONS).toBe(600_000)
    expect(slow.iterations).toBe(DEFAULT_PBKDF2_ITERATIONS)
    expect(await derivedBytes(slow.passphrase, salt)).toBe(slow.key)
  })

  it('normalises string passphrases to NFC before UTF-8 encoding', async () => {
    const decomposed = unicode.passphrase.normalize('NFD')
    expect(decomposed).not.toBe(unicode.passphrase)
    expect(await derivedBytes(decomposed, salt, { iterations: unicode.iterations })).toBe(
      unicode.key,
    )
    const bytes = new TextEncoder().encode(unicode.passphrase)
    expect(await derivedBytes(bytes, salt, { iterations: unicode.iterations })).toBe(unicode.key)
  })

  it('derives another key from another salt, or another passphrase', async () => {
    const otherSalt = new Uint8Array(salt)
    otherSalt[0]! ^= 1
    const options = { iterations: MIN_PBKDF2_ITERATIONS }
    expect(await derivedBytes(fast.passphrase, otherSalt, options)).not.toBe(fast.key)
    expect(await derivedBytes(`${fast.passphrase}!`, salt, options)).not.toBe(fast.key)
  })

  it('treats an option given as undefined as its default', async () => {
    const options = { iterations: undefined } as unknown as DeriveKeyOptions
    expect(await derivedBytes(slow.passphrase, salt, options)).toBe(slow.key)
  })

  it('derives a working, non-extractable AES-256-GCM key by default', async () => {
    const options = { iterations: MIN_PBKDF2_ITERATIONS }
    const key = await deriveKey('passphrase', salt, options)
    expect(key.extractable).toBe(false)
    expect(key.algorithm).toEqual({ name: 'AES-GCM', length: 256 })
    const again = await deriveKey('passphrase', salt, options)
    expect(await decryptText(again, await encrypt(key, 'backup'))).toBe('backup')
    expect(DEFAULT_DERIVE_KEY_OPTIONS).toEqual({ iterations: 600_000, extractable: false })
    expect(Object.isFrozen(DEFAULT_DERIVE_KEY_OPTIONS)).toBe(true)
  })

  it.each([99_999, 1000, 0, -1, 100_000.5, Number.NaN, Number.POSITIVE_INFINITY, '600000'])(
    'refuses iterations %s with a TypeError naming the minimum',
    async (iterations) => {
      await expect(
        deriveKey('passphrase', salt, { iterations: iterations as number }),
      ).rejects.toThrow(/options\.iterations must be an integer of at least 100000/)
    },
  )

  it('refuses short or mistyped salts and empty or mistyped passphrases', async () => {
    const options = { iterations: MIN_PBKDF2_ITERATIONS }
    await expect(deriveKey('passphrase', new Uint8Array(15), options)).rejects.toThrow(
      new TypeError('salt must be a Uint8Array of at least 16 random bytes'),
    )
    await expect(deriveKey('passphrase', 'salt'.repeat(8) as never, options)).rejects.toThrow(
      TypeError,
    )
    await expect(deriveKey('', salt, options)).rejects.toThrow(
      new TypeError('passphrase must not be empty'),
    )
    await expect(deriveKey(new Uint8Array(0), salt, options)).rejects.toThrow(TypeError)
    await expect(deriveKey(1234 as never, salt, options)).rejects.toThrow(
      new TypeError('passphrase must be a string or a Uint8Array'),
    )
  })
})
