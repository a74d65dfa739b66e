import { readFileSync } from 'node:fs'
import { describe, expect, it, onTestFinished } from 'vitest'
import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { sign } from '../../src/auth/signer.js'
import { startMock } from '../../src/testing.js'
import { snippet } from '../helpers/docs.js'
import { REPO_ROOT } from '../helpers/server-process.js'

describe('docs/signing.md', () => {
  it('signs and sends getmessagingdetail with the exported signer, as written', async () => {
    const mock = await startMock()
    onTestFinished(() => mock.stop())
    // The block is JavaScript but for its import, which becomes the function's parameters.
    const code = snippet('docs/signing.md', 'signed-call').replace(/^import .*\n/m, '')
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<Response>
    const run = new AsyncFunction(
      'formatDlgDate',
      'sign',
      'baseUrl',
      'keyId',
      'secret',
      `${code}\nreturn response`,
    )
    const response = await run(formatDlgDate, sign, mock.url, mock.keyId, mock.secret)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ isSuccess: true })
  })
})

/** Snippets of the documentation that copy a fact of the project, kept equal to it. */
describe('docs/testing.md', () => {
  it("gives clients the project's own engine overrides", () => {
    const docs = readFileSync(`${REPO_ROOT}/docs/testing.md`, 'utf8')
    const block = /```json\n\s*"overrides": (\{[\s\S]*?\n\s*\})\n\s*```/.exec(docs)?.[1]
    expect(block, 'docs/testing.md has no "overrides" JSON block').toBeDefined()
    const own = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { overrides: unknown }
    expect(JSON.parse(block ?? '')).toEqual(own.overrides)
  })
})
