import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams
  baseUrl: string
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code. */
  exited: Promise<number | null>
}

const running = new Set<ChildProcessWithoutNullStreams>()

/** Kills (SIGKILL) every server process still running: for an `afterEach`, so a failed test leaves none. */
export function killServerProcesses(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/** Runs `src/server.ts` (through tsx, no build needed) as its own process. */
export function startServerProcess(
  env: Record<string, string> = {},
): ServerProcess & { ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_FORMAT: 'json', ...env },
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  running.add(child)
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child)
    return code as number | null
  })
  const server: ServerProcess & { ready: Promise<void> } = {
    child,
    baseUrl: '',
    stdout: () => out,
    stderr: () => err,
    exited,
    ready: new Promise<void>((resolve, reject) => {
      const onData = () => {
        const match = /"port":(\d+)[^\n]*diyalog-mock ready/.exec(out)
        if (match) {
          server.baseUrl = `http://localhost:${match[1]}`
          child.stdout.off('data', onData)
          resolve()
        }
      }
      child.stdout.on('data', onData)
      void exited.then((code) => reject(new Error(`server exited with ${code}: ${err}`)))
    }),
  }
  // Tests of failed start-ups never await `ready`; its rejection is theirs to ignore.
  server.ready.catch(() => undefined)
  return server
}
