/** The WebCrypto parameters of every content key this package creates: AES-GCM, 256 bits. */
export const AES_KEY_ALGORITHM: Readonly<AesKeyGenParams> = Object.freeze({
  name: 'AES-GCM',
  length: 256,
})

/** Content keys both encrypt and decrypt: the same key serves both ends of a channel. */
export const AES_KEY_USAGES: readonly KeyUsage[] = Object.freeze(['encrypt', 'decrypt'] as const)
