import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  decodeBase64url,
  decryptJson,
  encodeBase64url,
  encryptJson,
  importKey,
} from '@moodlens/crypto'

/** The file the generated data keys live in, inside the data directory. */
export const DATA_KEYS_FILE = 'data-keys.json'

/** The file the generated token-signing secret lives in, inside the data directory. */
export const TOKEN_KEY_FILE = 'token-key'

/**
 * The data keys that encrypt personal data at rest (mood history, taste profiles). New values are
 * sealed with `current`; older keys stay readable until a rotation has re-encrypted everything.
 */
export interface Keyring {
  /** The id of the key new envelopes are sealed with. */
  readonly currentId: string
  /** Every id this keyring can open, the current one first. */
  readonly ids: readonly string[]
  /** Where the keys come from: the environment or the generated file. */
  readonly source: 'env' | 'file'
  seal(value: unknown, aad: string): Promise<{ keyId: string; payload: string }>
  open(keyId: string, payload: string, aad: string): Promise<unknown>
}

/** The on-disk format of {@link DATA_KEYS_FILE}. */
interface KeyFile {
  readonly current: string
  readonly keys: Readonly<Record<string, string>>
}

/**
 * A key's id: a fingerprint of its bytes, so that an operator who sets `MOODLENS_DATA_KEY` needs
 * to name nothing, and each stored envelope says which key opens it. SHA-256 of a random 256-bit
 * key reveals nothing about it.
 */
export function dataKeyId(raw: Uint8Array): string {
  return `k${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`
}

/** Decodes a base64url data key, refusing anything but 32 bytes. */
export function parseDataKey(text: string, name: string): Uint8Array {
  let raw: Uint8Array
  try {
    raw = decodeBase64url(text.trim())
  } catch {
    throw new TypeError(`${name} must be 32 bytes in base64url (43 characters)`)
  }
  if (raw.length !== 32)
    throw new TypeError(`${name} must be 32 bytes in base64url, got ${raw.length} bytes`)
  return raw
}

/** A new random data key in base64url, as `MOODLENS_DATA_KEY` takes it. */
export function generateDataKey(): string {
  return encodeBase64url(randomBytes(32))
}

/**
 * Builds the keyring from raw keys, the first one current.
 *
 * @example
 * ```ts
 * const keyring = await createKeyring([parseDataKey(generateDataKey(), 'key')], 'env')
 * const { keyId, payload } = await keyring.seal({ happy: 1 }, 'mood:42')
 * await keyring.open(keyId, payload, 'mood:42') // { happy: 1 }
 * ```
 */
export async function createKeyring(
  rawKeys: readonly Uint8Array[],
  source: 'env' | 'file',
): Promise<Keyring> {
  if (rawKeys.length === 0) throw new TypeError('A keyring needs at least one key')
  const keys = new Map<string, CryptoKey>()
  for (const raw of rawKeys) keys.set(dataKeyId(raw), await importKey(raw))
  const ids = [...keys.keys()]
  const currentId = ids[0]!
  const currentKey = keys.get(currentId)!
  return {
    currentId,
    ids,
    source,
    async seal(value, aad) {
      return { keyId: currentId, payload: await encryptJson(currentKey, value, { aad }) }
    },
    async open(keyId, payload, aad) {
      const key = keys.get(keyId)
      if (!key) throw new Error(`No data key with id ${keyId} is configured`)
      return decryptJson(key, payload, { aad })
    },
  }
}

/**
 * Loads the data keys: `MOODLENS_DATA_KEY` (plus `MOODLENS_DATA_KEY_PREVIOUS`, comma-separated,
 * during a rotation) when set, else the keys generated into the data directory on first start.
 */
export async function loadKeyring(options: {
  readonly dataDir: string
  readonly dataKey?: string | undefined
  readonly previousDataKeys?: string | undefined
}): Promise<Keyring> {
  if (options.dataKey !== undefined && options.dataKey !== '') {
    const previous = (options.previousDataKeys ?? '')
      .split(',')
      .filter((entry) => entry.trim() !== '')
      .map((entry, index) => parseDataKey(entry, `MOODLENS_DATA_KEY_PREVIOUS[${index}]`))
    return createKeyring([parseDataKey(options.dataKey, 'MOODLENS_DATA_KEY'), ...previous], 'env')
  }
  const file = await readKeyFile(options.dataDir)
  if (file) return keyringFromFile(file)
  const raw = randomBytes(32)
  const id = dataKeyId(raw)
  await writeKeyFile(options.dataDir, { current: id, keys: { [id]: encodeBase64url(raw) } })
  return createKeyring([raw], 'file')
}

async function keyringFromFile(file: KeyFile): Promise<Keyring> {
  const current = file.keys[file.current]
  if (current === undefined) throw new Error(`${DATA_KEYS_FILE}: the current key is missing`)
  const others = Object.entries(file.keys)
    .filter(([id]) => id !== file.current)
    .map(([id, text]) => parseDataKey(text, `${DATA_KEYS_FILE} key ${id}`))
  return createKeyring([parseDataKey(current, `${DATA_KEYS_FILE} current key`), ...others], 'file')
}

async function readKeyFile(dataDir: string): Promise<KeyFile | undefined> {
  let text: string
  try {
    text = await readFile(join(dataDir, DATA_KEYS_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const parsed = JSON.parse(text) as Partial<KeyFile>
  if (
    typeof parsed.current !== 'string' ||
    typeof parsed.keys !== 'object' ||
    parsed.keys === null
  ) {
    throw new Error(`${DATA_KEYS_FILE} is not a moodlens key file`)
  }
  return parsed as KeyFile
}

/** Writes a file readable by the owner only, atomically (a crash leaves the old or the new one). */
export async function writeSecretFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, content, { mode: 0o600 })
  await chmod(temporary, 0o600)
  await rename(temporary, path)
}

async function writeKeyFile(dataDir: string, file: KeyFile): Promise<void> {
  await mkdir(dataDir, { recursive: true })
  await writeSecretFile(join(dataDir, DATA_KEYS_FILE), `${JSON.stringify(file, null, 2)}\n`)
}

/**
 * First half of a rotation of generated keys: a new current key, the old ones kept for reading.
 * Returns the keyring to re-encrypt with.
 */
export async function addGeneratedDataKey(dataDir: string): Promise<Keyring> {
  const file = await readKeyFile(dataDir)
  if (!file) throw new Error(`No ${DATA_KEYS_FILE} in ${dataDir}: nothing to rotate`)
  const raw = randomBytes(32)
  const id = dataKeyId(raw)
  const next: KeyFile = { current: id, keys: { [id]: encodeBase64url(raw), ...file.keys } }
  await writeKeyFile(dataDir, next)
  return keyringFromFile(next)
}

/** Second half of a rotation: forget every generated key but the current one. */
export async function dropOldDataKeys(dataDir: string): Promise<void> {
  const file = await readKeyFile(dataDir)
  if (!file) return
  const current = file.keys[file.current]
  if (current === undefined) throw new Error(`${DATA_KEYS_FILE}: the current key is missing`)
  await writeKeyFile(dataDir, { current: file.current, keys: { [file.current]: current } })
}

/**
 * The HS256 secret access tokens are signed with: `MOODLENS_TOKEN_KEY` (base64url, 32+ bytes)
 * when set, else generated into the data directory on first start. Kept apart from the data keys
 * (one key, one purpose).
 */
export async function loadTokenKey(options: {
  readonly dataDir: string
  readonly tokenKey?: string | undefined
}): Promise<Uint8Array> {
  if (options.tokenKey !== undefined && options.tokenKey !== '') {
    let raw: Uint8Array
    try {
      raw = decodeBase64url(options.tokenKey.trim())
    } catch {
      throw new TypeError('MOODLENS_TOKEN_KEY must be base64url')
    }
    if (raw.length < 32) throw new TypeError('MOODLENS_TOKEN_KEY must hold at least 32 bytes')
    return raw
  }
  const path = join(options.dataDir, TOKEN_KEY_FILE)
  try {
    return decodeBase64url((await readFile(path, 'utf8')).trim())
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const raw = randomBytes(32)
  await mkdir(options.dataDir, { recursive: true })
  await writeSecretFile(path, `${encodeBase64url(raw)}\n`)
  return new Uint8Array(raw)
}
