import { expect, it } from 'vitest'
import { jsonShape } from '../src/json-shape.js'

const bytes = (text: string) => Buffer.from(text)

it('counts depth and structural tokens outside strings, and stops past the limit', () => {
  expect(jsonShape(bytes('{"a":[1,2],"b":"[,]"}'))).toEqual({ depth: 2, tokens: 6 })
  expect(jsonShape(bytes('"\\"[["'))).toEqual({ depth: 0, tokens: 0 })
  expect(jsonShape(bytes(`${'['.repeat(1000)}${']'.repeat(1000)}`), 3)).toEqual({ depth: 4, tokens: 4 })
})
