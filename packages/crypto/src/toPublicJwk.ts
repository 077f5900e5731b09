const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y'] as const

/**
 * The public members of an EC or OKP JWK (`kty`, `crv`, `x`, `y`), without `d`, `key_ops`,
 * `ext` or anything else: what a peer or a verifier needs, nothing more.
 */
export function toPublicJwk(jwk: JsonWebKey): JsonWebKey {
  const publicJwk: JsonWebKey = {}
  for (const member of PUBLIC_MEMBERS) {
    const value = jwk[member]
    if (value !== undefined) publicJwk[member] = value
  }
  return publicJwk
}
