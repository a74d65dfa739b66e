import { packageVersion } from '../openapi.js'
import { conformanceCommand } from './conformance-command.js'
import { fixturesCommand } from './fixtures-command.js'
import { curlCommand, signCommand } from './sign-command.js'
import { EXIT, processIo, UsageError, type CliIo } from './io.js'
import { linkCommand } from './link-command.js'
import { openApiCommand, postmanCommand } from './openapi-command.js'
import { serveCommand } from './serve-command.js'
import { verifyCommand } from './verify-command.js'

/**
 * `diyalog-mock <command>`: serve, sign, curl, verify, link, openapi, postman, conformance. Exit codes: 0 success, 1 a
 * verification or link check failed (or the server could not start), 2 a usage error.
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

Run "diyalog-mock <command> --help" for a command's options.
Exit codes: 0 success, 1 verification failed, link invalid, server start-up failed or a
conformance MUST case failed, 2 usage or connection error.
`

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => Promise<number | 'running'>> = {
  serve: serveCommand,
  sign: signCommand,
  curl: curlCommand,
  verify: verifyCommand,
  link: linkCommand,
  openapi: openApiCommand,
  postman: postmanCommand,
  conformance: conformanceCommand,
  fixtures: fixturesCommand,
}

/** Runs one command line; resolves with the exit code, or `running` when a server was started. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number | 'running'> {
  const [command, ...args] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP)
    return command === undefined ? EXIT.usage : EXIT.ok
  }
  if (command === '--version' || command === '-v') return (io.out(`${packageVersion()}\n`), EXIT.ok)
  const run = COMMANDS[command]
  if (run === undefined) {
    io.err(`diyalog-mock: unknown command ${JSON.stringify(command)}\n\n${HELP}`)
    return EXIT.usage
  }
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
