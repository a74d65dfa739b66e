import { readFileSync } from 'node:fs'
import { REPO_ROOT } from './server-process.js'

/**
 * The code block between `<!-- snippet:NAME:start -->` and its end marker in a docs file (a path
 * from the repository's root); throws, naming the file and the snippet, when there is none.
 */
export function snippet(file: string, name: string): string {
  const text = readFileSync(`${REPO_ROOT}/${file}`, 'utf8')
  const block = new RegExp(
    `<!-- snippet:${name}:start -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\`\\s*<!-- snippet:${name}:end -->`,
  ).exec(text)
  if (block?.[1] === undefined) throw new Error(`${file} has no snippet ${name}`)
  return block[1]
}
