import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GET_MESSAGING_DETAIL } from '../../src/routes/reporting/getmessagingdetail.js'
import { REPORTING_ROUTES } from '../../src/routes/reporting/index.js'
import { exampleBodyOf, fullPath, type SignedRoute } from '../../src/routes/signed-route.js'
import { REPO_ROOT } from '../helpers/server-process.js'

/**
 * The README's curl + openssl recipe copies the route table: its defaults are getmessagingdetail's
 * path and example body, and its list of the other Reporting endpoints holds, per list, a line
 * `RESOURCE='…' BODY='…'` with the entry's full path and example body as a client sends it
 * (compact JSON). test/smoke/readme-recipe.sh runs those lines against a server; this test keeps
 * them equal to the table, so an endpoint added, renamed or given another example cannot leave the
 * README behind.
 */

const README = readFileSync(`${REPO_ROOT}/README.md`, 'utf8')

/** The lines of the code block between `<!-- recipe:NAME:start -->` and its end marker. */
function recipeBlock(name: string): string[] {
  const block = new RegExp(
    `<!-- recipe:${name}:start -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\s*<!-- recipe:${name}:end -->`,
  ).exec(README)
  if (block?.[1] === undefined) throw new Error(`README.md has no recipe block ${name}`)
  return block[1].split('\n').filter((line) => line.trim() !== '')
}

/** What a client sends and signs: the entry's example body, compact. */
function exampleText(route: SignedRoute): string {
  const example = exampleBodyOf(route)
  if (example === undefined) throw new Error(`${route.path} has no example body`)
  return JSON.stringify(example)
}

/** Every list of the Reporting API: getmessagingdetail, the recipe's default, answers one object. */
const LISTS: readonly SignedRoute[] = REPORTING_ROUTES.filter((route) => route !== GET_MESSAGING_DETAIL)

describe("the README's recipe", () => {
  it("defaults to getmessagingdetail's path and example body", () => {
    const recipe = recipeBlock('curl-openssl').join('\n')
    // The shell's own forms, as the smoke script runs them: a default for RESOURCE, then for BODY.
    const resource = /^RESOURCE="\$\{RESOURCE:-([^}"]*)\}"$/m.exec(recipe)?.[1]
    const body = /^\[ -n "\$\{BODY:-\}" \] \|\| BODY='([^']*)'$/m.exec(recipe)?.[1]
    expect(resource).toBe(fullPath(GET_MESSAGING_DETAIL))
    expect(body).toBe(exampleText(GET_MESSAGING_DETAIL))
  })

  it("lists every Reporting list once, in the table's order, each with its path and example body", () => {
    const lines = recipeBlock('endpoints').map((line) => {
      // Written exactly so (single quotes, nothing else on the line): the smoke script runs it as is.
      const match = /^RESOURCE='([^']*)' BODY='([^']*)'$/.exec(line)
      if (match === null) throw new Error(`README.md, recipe:endpoints: not RESOURCE='…' BODY='…': ${line}`)
      return { resource: match[1], body: match[2] }
    })
    expect(lines).toEqual(LISTS.map((route) => ({ resource: fullPath(route), body: exampleText(route) })))
  })
})
