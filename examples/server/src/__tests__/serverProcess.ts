import { spawn, type ChildProcess } from 'node:child_process'

const running = new Set<ChildProcess>()

/** Kills every child this module started that is still running (for afterAll, after a failure). */
export async function killServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve())
          child.kill('SIGKILL')
        }),
    ),
  )
}

/** A server running as a real child process, as `npm start` runs it. */
export interface ServerProcess {
  readonly child: ChildProcess
  readonly url: string
  /** Everything it wrote to stdout and stderr so far. */
  output(): string
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>
}

/** Starts `node main.js` with `env` and waits until it listens (60 s at most). */
export async function startServerProcess(
  main: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  let output = ''
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve(code ?? signal ?? 'unknown')
    })
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in 60 s:\n${output}`)),
      60_000,
    )
    const onData = (data: Buffer): void => {
      output += data.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the server exited (${code}) before listening:\n${output}`))
    })
  })
  return { child, url, output: () => output, exited }
}

/** Runs `node main.js <args>` to completion (a CLI command); returns its exit code and output. */
export async function runCommand(
  main: string,
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let output = ''
  child.stdout.on('data', (data: Buffer) => (output += data.toString()))
  child.stderr.on('data', (data: Buffer) => (output += data.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, output }
}

/** A JSON request to a running server. */
export async function fetchJson(
  url: string,
  method: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) }
}

/** Waits until the process has written `text` (30 s at most). */
export async function waitForOutput(server: ServerProcess, text: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!server.output().includes(text)) {
    if (Date.now() > deadline)
      throw new Error(`the server never wrote ${text}:\n${server.output()}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
