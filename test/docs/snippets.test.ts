import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../helpers/server-process.js'

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
