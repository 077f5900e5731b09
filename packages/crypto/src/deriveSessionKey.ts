import { AES_KEY_ALGORITHM, AES_KEY_USAGES } from './aesKeyAlgorithm.ts'
import { assertOptionalBoolean } from './assertOptions.ts'
import { ECDH_ALGORITHM } from './createKeyAgreement.ts'
import { InvalidKeyError } from './InvalidKeyError.ts'
import { isCryptoKey } from './isCryptoKey.ts'
import { toBytes } from './toBytes.ts'

/**
 * The shortest HKDF salt {@link deriveSessionKey} accepts, in bytes.
 *
 * @example
 * ```ts
 * import { MIN_SESSION_SALT_LENGTH } from '@moodlens/crypto'
 *
 * const salt = crypto.getRandomValues(new Uint8Array(MIN_SESSION_SALT_LENGTH))
 * ```
 */
export const MIN_SESSION_SALT_LENGTH = 16

/**
 * Options of {@link deriveSessionKey}. Both sides must pass the same `salt` and `info`.
 *
 * @example
 * ```ts
 * import type { DeriveSessionKeyOptions } from '@moodlens/crypto'
 *
 * const options: DeriveSessionKeyOptions = {
 *   salt: crypto.getRandomValues(new Uint8Array(32)), // sent along with the public key
 *   info: 'moodlens session v1 client<->api',
 * }
 * ```
 */
export interface DeriveSessionKeyOptions {
  /**
   * HKDF salt, at least {@link MIN_SESSION_SALT_LENGTH} bytes: a fresh random value per session
   * that one side picks and sends with its public key. Not secret.
   */
  readonly salt: Uint8Array
  /**
   * HKDF info: what the key is for, e.g. `'moodlens session v1'`. Different `info` values give
   * independent keys from one exchange. Strings are UTF-8 encoded. Must not be empty.
   */
  readonly info: Uint8Array | string
  /** Whether the session key may be exported. Default `false`. */
  readonly extractable?: boolean
}

/**
 * Derives the AES-256-GCM session key shared with a peer: ECDH P-256 between `privateKey` (from
 * {@link createKeyAgreement}) and the peer's public JWK, then HKDF-SHA-256 with `salt` and `info`.
 * Both sides get the same key and can then {@link encrypt} and {@link decrypt} for each other.
 *
 * ECDH authenticates nobody: make sure the peer's public key really is the peer's (send it over
 * TLS, inside a signed token, or pin it).
 *
 * @throws {@link InvalidKeyError} (`ERR_INVALID_KEY`) when `privateKey` is not a private ECDH
 * P-256 key allowed to derive bits, or `peerPublicJwk` is not a P-256 public key (a private JWK,
 * another curve, a point not on the curve). `TypeError` for a missing or short salt or empty
 * info.
 *
 * @example
 * ```ts
 * import { createKeyAgreement, deriveSessionKey, encrypt } from '@moodlens/crypto'
 *
 * const server = await createKeyAgreement()
 * const key = await deriveSessionKey(server.privateKey, clientPublicJwk, {
 *   salt: saltFromClient,
 *   info: 'moodlens session v1',
 * })
 * const reply = await encrypt(key, JSON.stringify(recommendations))
 * ```
 */
export async function deriveSessionKey(
  privateKey: CryptoKey,
  peerPublicJwk: JsonWebKey,
  options: DeriveSessionKeyOptions,
): Promise<CryptoKey> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object with salt and info')
  }
  const { salt, info, extractable = false } = options
  if (!(salt instanceof Uint8Array) || salt.length < MIN_SESSION_SALT_LENGTH) {
    throw new TypeError(
      `options.salt must be a Uint8Array of at least ${MIN_SESSION_SALT_LENGTH} bytes`,
    )
  }
  const infoBytes = toBytes(info, 'options.info')
  if (infoBytes.length === 0) throw new TypeError('options.info must not be empty')
  assertOptionalBoolean(extractable, 'options.extractable')
  assertEcdhPrivateKey(privateKey)
  const peerKey = await importPeerPublicKey(peerPublicJwk)

  let shared: ArrayBuffer
  try {
    shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: peerKey }, privateKey, 256)
  } catch (cause) {
    throw new InvalidKeyError('ECDH failed with this key pair', { cause })
  }
  const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(salt), info: infoBytes },
    ikm,
    AES_KEY_ALGORITHM,
    extractable,
    [...AES_KEY_USAGES],
  )
}

function assertEcdhPrivateKey(key: unknown): asserts key is CryptoKey {
  if (!isCryptoKey(key)) throw new InvalidKeyError('privateKey must be a CryptoKey')
  const { name, namedCurve } = key.algorithm as Partial<EcKeyAlgorithm>
  if (name !== 'ECDH' || namedCurve !== 'P-256' || key.type !== 'private') {
    throw new InvalidKeyError('privateKey must be the private half of an ECDH P-256 key pair')
  }
  if (!key.usages.includes('deriveBits')) {
    throw new InvalidKeyError('privateKey is not allowed to deriveBits')
  }
}

async function importPeerPublicKey(jwk: unknown): Promise<CryptoKey> {
  if (typeof jwk !== 'object' || jwk === null) {
    throw new InvalidKeyError('peerPublicJwk must be a JWK object')
  }
  const { kty, crv, x, y, d } = jwk as JsonWebKey
  if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') {
    throw new InvalidKeyError('peerPublicJwk must be an EC P-256 public JWK with x and y')
  }
  if (d !== undefined) {
    throw new InvalidKeyError('peerPublicJwk holds a private key ("d"): send only the public half')
  }
  try {
    // Only the public members: an `alg` or `key_ops` meant for ECDSA must not stop the import.
    return await crypto.subtle.importKey('jwk', { kty, crv, x, y }, ECDH_ALGORITHM, true, [])
  } catch (cause) {
    throw new InvalidKeyError('peerPublicJwk is not a valid P-256 public key', { cause })
  }
}
