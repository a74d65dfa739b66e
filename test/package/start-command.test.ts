import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { serverNodeFlags } from '../../bench/lib.js'

/** The image, `npm start` and the benchmarks run the server with the same Node.js flags. */
it('runs the server in the image with the flags of npm start', () => {
  const flags = serverNodeFlags()
  expect(flags).toContain('--max-semi-space-size=4')
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1]
  expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...flags, 'dist/server.js'])
})
