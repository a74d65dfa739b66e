import { EXIT, processIo, UsageError, type CliIo } from './io.js'

/**
 * `diyalog-mock <command>`: serve, sign, curl, verify, link, openapi, postman, conformance, fixtures,
 * webhook. Exit codes: 0 success, 1 a verification or link check failed (or the server could not
 * start), 2 a usage error.
 */

export const HELP = `Usage: diyalog-mock <command> [options]

Commands:
  serve     start the mock server (same as npm start)
  sign      sign a request; print its headers and string-to-sign
  curl      print a ready-to-run signed curl command
  verify    check a captured request's signature, with the mock's diagnosis
  link      mint or inspect a conversation link
  openapi   print the OpenAPI document
  postman   print a Postman collection that signs its requests
  fixtures  generate a large deterministic fixture set (fixtures generate)
  conformance
            check a Diyalog server (this mock or the real one) against the contract
  webhook   receive the mock's webhooks (webhook listen), check an X-Signature (webhook verify)
            or a payloadHidden press (webhook verify-payload)

Run "diyalog-mock <command> --help" for a command's options.
Exit codes: 0 success, 1 verification failed, link invalid, expired or not a link, server
(or webhook receiver) start-up failed or a conformance MUST case failed, 2 usage or connection
error.
`

type Command = (args: readonly string[], io: CliIo) => Promise<number | 'running'>

/**
 * Each command's module is loaded only when that command runs, so `sign` or `--help` never
 * load Fastify, swagger, the conformance runner or the fixture generator (start-up time).
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  serve: async () => (await import('./serve-command.js')).serveCommand,
  sign: async () => (await import('./sign-command.js')).signCommand,
  curl: async () => (await import('./sign-command.js')).curlCommand,
  verify: async () => (await import('./verify-command.js')).verifyCommand,
  link: async () => (await import('./link-command.js')).linkCommand,
  openapi: async () => (await import('./openapi-command.js')).openApiCommand,
  postman: async () => (await import('./openapi-command.js')).postmanCommand,
  conformance: async () => (await import('./conformance-command.js')).conformanceCommand,
  fixtures: async () => (await import('./fixtures-command.js')).fixturesCommand,
  webhook: async () => (await import('./webhook-command.js')).webhookCommand,
}

/** The names of the commands, in the order of the help. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS)

/** Runs one command line; resolves with the exit code, or `running` when a server was started. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number | 'running'> {
  const [command, ...args] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP)
    return command === undefined ? EXIT.usage : EXIT.ok
  }
  if (command === '--version' || command === '-v') {
    const { packageVersion } = await import('../openapi.js')
    return (io.out(`${packageVersion()}\n`), EXIT.ok)
  }
  // Own keys only: `toString` or `constructor` are not commands.
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (load === undefined) {
    io.err(`diyalog-mock: unknown command ${JSON.stringify(command)}\n\n${HELP}`)
    return EXIT.usage
  }
  const run = await load()
  try {
    return await run(args, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(
        `diyalog-mock ${command}: ${error.message}\nRun "diyalog-mock ${command} --help" for the options.\n`,
      )
      return EXIT.usage
    }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      io.err(`diyalog-mock ${command}: ${(error as Error).message}\n`)
      return EXIT.usage
    }
    throw error
  }
}
