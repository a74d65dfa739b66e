import { describe, expect, it } from 'vitest'
import { swappable } from '../../src/store/swappable.js'

describe('swappable', () => {
  it('forwards every method and member to the current value, and swaps it whole', () => {
    const make = (name: string) => ({
      counts: { n: name.length },
      greet(who: string) {
        return `${name}: ${who} (${this.counts.n})`
      },
    })
    const value = swappable(make('first'))
    expect([value.greet('a'), value.counts]).toEqual(['first: a (5)', { n: 5 }])
    value.replace(make('second'))
    expect([value.greet('b'), value.counts]).toEqual(['second: b (6)', { n: 6 }])
    expect(Object.keys(value).sort()).toEqual(['counts', 'greet', 'replace'])
  })

  it('refuses a value that has its own replace, or that is not a plain object', () => {
    expect(() => swappable({ replace: () => 1 })).toThrow(/replace/)
    expect(() =>
      swappable(
        new (class {
          method() {}
        })(),
      ),
    ).toThrow(/plain object/)
  })
})
