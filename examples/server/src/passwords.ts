import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt's cost as log2(N). 17 (N = 131072, r = 8, p = 1: 128 MiB and roughly a tenth of a second
 * per hash) is OWASP's recommended minimum; tests lower it to stay fast.
 */
export const DEFAULT_SCRYPT_LOG_N = 17

const KEY_LENGTH = 32
const SALT_LENGTH = 16
const BLOCK_SIZE = 8
const PARALLELISM = 1

function derive(password: string, salt: Buffer, logN: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** logN,
    r: BLOCK_SIZE,
    p: PARALLELISM,
    // scrypt needs 128 * N * r bytes; Node's default ceiling (32 MiB) is below N = 2^17.
    maxmem: 256 * 2 ** logN * BLOCK_SIZE,
  }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

/**
 * Hashes a password with scrypt and a fresh 16-byte salt. The result records its parameters
 * (`scrypt$<logN>$<r>$<p>$<salt>$<hash>`), so the cost can be raised later without breaking
 * existing accounts.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('correct horse battery staple')
 * await verifyPassword('correct horse battery staple', stored) // true
 * ```
 */
export async function hashPassword(
  password: string,
  logN: number = DEFAULT_SCRYPT_LOG_N,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const hash = await derive(password, salt, logN)
  return [
    'scrypt',
    logN,
    BLOCK_SIZE,
    PARALLELISM,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$')
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || Number(r) !== BLOCK_SIZE || Number(p) !== PARALLELISM) return false
  const cost = Number(logN)
  if (!Number.isInteger(cost) || cost < 10 || cost > 20 || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
