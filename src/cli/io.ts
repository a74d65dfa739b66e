import { readFile, writeFile } from 'node:fs/promises'

/** What a command may touch, injected so commands can be tested in-process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>
  now(): number
  out(text: string): void
  err(text: string): void
  /** Reads a file, or standard input for `-`. */
  readFile(path: string): Promise<Buffer>
  /** Writes a file (a report, generated fixtures' summary). */
  writeFile(path: string, text: string): Promise<void>
  /** Standard output is a terminal that takes colour (no NO_COLOR); default false. */
  readonly colour?: boolean
}

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export const processIo: CliIo = {
  env: process.env,
  now: () => Date.now(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => (path === '-' ? readStdin() : readFile(path)),
  writeFile: (path, text) => writeFile(path, text),
  colour: process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined,
}
