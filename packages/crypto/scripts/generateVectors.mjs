// Generates the cross-environment vectors in src/__tests__/vectors/ once, with node:crypto's own
// primitives (KeyObject ECDH, hkdfSync, pbkdf2Sync, createCipheriv): an implementation
// independent of the package's WebCrypto code, which the tests then check in Node and Chromium.
// The keys, salts and IVs are random, so running it again writes new, equally valid vectors.
//
//   node packages/crypto/scripts/generateVectors.mjs
import {
  createCipheriv,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  pbkdf2Sync,
  randomBytes,
} from 'node:crypto'
import { writeFileSync } from 'node:fs'

const OUT = new URL('../src/__tests__/vectors/', import.meta.url)
const b64u = (bytes) => Buffer.from(bytes).toString('base64url')

function write(name, data) {
  writeFileSync(new URL(name, OUT), `${JSON.stringify(data, null, 2)}\n`)
}

function sessionVector() {
  const alice = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const bob = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const salt = randomBytes(32)
  const info = 'moodlens session v1 test vector'
  const shared = diffieHellman({ privateKey: alice.privateKey, publicKey: bob.publicKey })
  const sessionKey = Buffer.from(hkdfSync('sha256', shared, salt, info, 32))
  const plaintext = 'Both sides derive this key; Chromium decrypts what Node encrypted.'
  const aad = 'session:test'
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', sessionKey, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const sealed = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ])
  return {
    source:
      'Generated once by packages/crypto/scripts/generateVectors.mjs with node:crypto (diffieHellman, hkdfSync, createCipheriv), not with the code under test.',
    alicePrivateJwk: alice.privateKey.export({ format: 'jwk' }),
    bobPrivateJwk: bob.privateKey.export({ format: 'jwk' }),
    salt: b64u(salt),
    info,
    sessionKey: b64u(sessionKey),
    plaintext,
    aad,
    envelope: `v1.${b64u(iv)}.${b64u(sealed)}`,
  }
}

function pbkdf2Vectors() {
  const cases = [
    { passphrase: 'correct horse battery staple', iterations: 100_000 },
    { passphrase: 'correct horse battery staple', iterations: 600_000 },
    // Stored in NFC; the test passes the NFD spelling and must get the same key.
    { passphrase: 'Crème brûlée à l’été', iterations: 100_000 },
  ]
  const salt = randomBytes(16)
  return {
    source:
      'Generated once by packages/crypto/scripts/generateVectors.mjs with node:crypto pbkdf2Sync (HMAC-SHA-256, 32-byte output), not with the code under test.',
    salt: b64u(salt),
    cases: cases.map(({ passphrase, iterations }) => ({
      passphrase,
      iterations,
      key: b64u(
        pbkdf2Sync(
          Buffer.from(passphrase.normalize('NFC'), 'utf8'),
          salt,
          iterations,
          32,
          'sha256',
        ),
      ),
    })),
  }
}

write('session.json', sessionVector())
write('pbkdf2.json', pbkdf2Vectors())
