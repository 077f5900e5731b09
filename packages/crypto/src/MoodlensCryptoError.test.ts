import { describe, expect, it } from 'vitest'
import { DecryptionFailedError } from './DecryptionFailedError.ts'
import { ForbiddenError } from './ForbiddenError.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'
import { MoodlensCryptoError } from './MoodlensCryptoError.ts'
import { TokenClaimError } from './TokenClaimError.ts'
import { TokenExpiredError } from './TokenExpiredError.ts'
import { TokenInvalidError } from './TokenInvalidError.ts'

describe('MoodlensCryptoError and its subclasses', () => {
  const cause = new Error('underlying')
  it.each([
    [new InvalidKeyError('bad key', { cause }), 'InvalidKeyError', 'ERR_INVALID_KEY'],
    [new DecryptionFailedError(), 'DecryptionFailedError', 'ERR_DECRYPTION_FAILED'],
    [new ForbiddenError('tracks:delete'), 'ForbiddenError', 'ERR_FORBIDDEN'],
    [new TokenInvalidError('bad', { cause }), 'TokenInvalidError', 'ERR_TOKEN_INVALID'],
    [new TokenExpiredError('old', { cause }), 'TokenExpiredError', 'ERR_TOKEN_EXPIRED'],
    [new TokenClaimError('aud', 'wrong aud', { cause }), 'TokenClaimError', 'ERR_TOKEN_CLAIM'],
  ] as const)('%s has its name and code', (error, name, code) => {
    expect(error).toBeInstanceOf(MoodlensCryptoError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe(name)
    expect(error.code).toBe(code)
    expect(String(error)).toMatch(new RegExp(`^${name}: `))
  })

  it('keeps the cause where one is given', () => {
    expect(new InvalidKeyError('bad key', { cause }).cause).toBe(cause)
    expect(new TokenInvalidError('bad', { cause }).cause).toBe(cause)
  })

  it('gives decryption failures a fixed message and no cause', () => {
    const error = new DecryptionFailedError()
    expect(error.message).toBe('Decryption failed')
    expect(error.cause).toBeUndefined()
  })

  it('names the missing permission and the failed claim', () => {
    expect(new ForbiddenError('tracks:delete').permission).toBe('tracks:delete')
    expect(new TokenClaimError('nbf', 'too early').claim).toBe('nbf')
  })

  it('lets subclasses of the base be told apart by the base constructor', () => {
    class CustomError extends MoodlensCryptoError {}
    const error = new CustomError('ERR_FORBIDDEN', 'custom')
    expect(error.name).toBe('CustomError')
  })
})
