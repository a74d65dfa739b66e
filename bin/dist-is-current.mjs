// Whether dist/ is the build of the sources beside it: every src/**/*.ts has its
// dist/**/*.js, written no earlier than the source was, and the tsconfig files are no newer
// than dist/cli/main.js (a build rewrites every output). A cheap mtime comparison, a few ms.
// Read by the command (bin/diyalog-mock.js) and by npm's prepare step (bin/prepare.mjs).
import { existsSync, readdirSync, statSync } from 'node:fs'

/** Every `.ts` source under `srcDir` (declarations aside) has a `.js` output at least as recent. */
function upToDate(srcDir, distDir) {
  for (const entry of readdirSync(srcDir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!upToDate(new URL(`${entry.name}/`, srcDir), new URL(`${entry.name}/`, distDir))) return false
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const output = statSync(new URL(`${entry.name.slice(0, -3)}.js`, distDir), { throwIfNoEntry: false })
      if (output === undefined || output.mtimeMs < statSync(new URL(entry.name, srcDir)).mtimeMs) return false
    }
  }
  return true
}

/** @param {URL} root the package folder, ending in `/` */
export function distIsCurrent(root) {
  const built = new URL('dist/cli/main.js', root)
  if (!existsSync(built)) return false
  const output = statSync(built).mtimeMs
  const sameSettings = ['tsconfig.json', 'tsconfig.build.json'].every(
    (name) => (statSync(new URL(name, root), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= output,
  )
  return sameSettings && upToDate(new URL('src/', root), new URL('dist/', root))
}
