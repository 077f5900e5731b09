// The server's command line: `serve` (the default) listens; `rotate-data-key` re-encrypts the
// personal data under a new data key; `grant-role` changes a user's roles (the first admin).
import closeWithGrace from 'close-with-grace'
import { buildServer } from './buildServer.ts'
import { addGeneratedDataKey, dropOldDataKeys, loadKeyring } from './createKeyring.ts'
import { loadConfig, type ServerConfig } from './loadConfig.ts'
import { runMigrations } from './migrations.ts'
import { openDatabase } from './openDatabase.ts'
import { reencryptAll } from './personalData.ts'
import { ROLES, type Role } from './policy.ts'

const USAGE = `usage: node dist/main.js [serve | rotate-data-key | grant-role <email> <role>...]
roles: ${ROLES.join(', ')}`

async function serve(config: ServerConfig): Promise<void> {
  const app = await buildServer(config.server)
  // SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish (10 s at most),
  // then close the database (buildServer's onClose hook).
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
}

async function rotateDataKey(config: ServerConfig): Promise<void> {
  const { dataDir } = config.server
  const fromEnv = config.server.dataKey !== undefined && config.server.dataKey !== ''
  const keyring = fromEnv ? await loadKeyring(config.server) : await addGeneratedDataKey(dataDir)
  const db = await openDatabase(config.server.database)
  try {
    await runMigrations(db)
    const counts = await reencryptAll(db, keyring)
    console.log(
      `re-encrypted ${counts.moods} moods and ${counts.tastes} taste profiles under key ${keyring.currentId}`,
    )
  } finally {
    await db.close()
  }
  if (fromEnv) {
    console.log('every value is under MOODLENS_DATA_KEY now: remove MOODLENS_DATA_KEY_PREVIOUS')
  } else {
    await dropOldDataKeys(dataDir)
    console.log(`old data keys removed from ${dataDir}`)
  }
}

async function grantRole(
  config: ServerConfig,
  email: string | undefined,
  roles: string[],
): Promise<void> {
  if (
    email === undefined ||
    roles.length === 0 ||
    !roles.every((role) => (ROLES as readonly string[]).includes(role))
  ) {
    throw new TypeError(USAGE)
  }
  const db = await openDatabase(config.server.database)
  try {
    await runMigrations(db)
    const { rowCount } = await db.query(
      'UPDATE users SET roles = $2, updated_at = now() WHERE email = $1',
      [email.trim().toLowerCase(), [...new Set(roles as Role[])]],
    )
    if (rowCount === 0) throw new Error(`No user with the email ${email}: register first`)
    console.log(`${email} now has the roles ${roles.join(', ')}`)
  } finally {
    await db.close()
  }
}

const [command = 'serve', ...rest] = process.argv.slice(2)
try {
  const config = loadConfig(process.env)
  if (command === 'serve') await serve(config)
  else if (command === 'rotate-data-key') await rotateDataKey(config)
  else if (command === 'grant-role') await grantRole(config, rest[0], rest.slice(1))
  else throw new TypeError(USAGE)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
}
