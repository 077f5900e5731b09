import { assertOptionalBoolean, assertOptions } from './assertOptions.ts'
import { toPublicJwk } from './toPublicJwk.ts'

/** ECDH on NIST P-256: supported by WebCrypto in every browser, Node, Deno and workers. */
export const ECDH_ALGORITHM: Readonly<EcKeyImportParams> = Object.freeze({
  name: 'ECDH',
  namedCurve: 'P-256',
})

/**
 * One side's ephemeral ECDH P-256 key pair, made by {@link createKeyAgreement}. Send `publicJwk`
 * to the peer; keep `privateKey` for {@link deriveSessionKey}.
 *
 * @example
 * ```ts
 * import { createKeyAgreement, type KeyAgreement } from '@moodlens/crypto'
 *
 * const mine: KeyAgreement = await createKeyAgreement()
 * await fetch('/session', { method: 'POST', body: JSON.stringify(mine.publicJwk) })
 * ```
 */
export interface KeyAgreement {
  /** The private half, usable only to derive bits; non-extractable unless asked otherwise. */
  readonly privateKey: CryptoKey
  /** The public half as a CryptoKey. */
  readonly publicKey: CryptoKey
  /** The public half as a minimal JWK (`kty`, `crv`, `x`, `y`), ready to send to the peer. */
  readonly publicJwk: JsonWebKey
}

/**
 * Options of {@link createKeyAgreement}.
 *
 * @example
 * ```ts
 * import { createKeyAgreement, type CreateKeyAgreementOptions } from '@moodlens/crypto'
 *
 * const options: CreateKeyAgreementOptions = { extractable: false }
 * const pair = await createKeyAgreement(options)
 * ```
 */
export interface CreateKeyAgreementOptions {
  /** Whether the private key may be exported. Default `false`: it never leaves WebCrypto. */
  readonly extractable?: boolean
}

/**
 * The defaults of {@link createKeyAgreement}: a non-extractable private key.
 *
 * @example
 * ```ts
 * import { DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS } from '@moodlens/crypto'
 *
 * DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS.extractable // false
 * ```
 */
export const DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS: Readonly<Required<CreateKeyAgreementOptions>> =
  Object.freeze({ extractable: false })

/**
 * Creates a fresh ECDH P-256 key pair for one session. Each side creates one, they swap public
 * JWKs, and each calls {@link deriveSessionKey} with its own private key and the peer's public
 * JWK to reach the same AES-256-GCM key. A new pair per session means a later leak of one
 * session's private key does not expose other sessions.
 *
 * @throws `TypeError` when an option has the wrong type.
 *
 * @example
 * ```ts
 * import { createKeyAgreement, deriveSessionKey } from '@moodlens/crypto'
 *
 * const client = await createKeyAgreement()
 * const { serverJwk, salt } = await exchange(client.publicJwk) // your transport
 * const sessionKey = await deriveSessionKey(client.privateKey, serverJwk, {
 *   salt,
 *   info: 'moodlens session v1',
 * })
 * ```
 */
export async function createKeyAgreement(
  options?: CreateKeyAgreementOptions,
): Promise<KeyAgreement> {
  assertOptions(options)
  const extractable = options?.extractable ?? DEFAULT_CREATE_KEY_AGREEMENT_OPTIONS.extractable
  assertOptionalBoolean(extractable, 'options.extractable')
  const { privateKey, publicKey } = await crypto.subtle.generateKey(ECDH_ALGORITHM, extractable, [
    'deriveBits',
  ])
  const publicJwk = toPublicJwk(await crypto.subtle.exportKey('jwk', publicKey))
  return { privateKey, publicKey, publicJwk }
}
