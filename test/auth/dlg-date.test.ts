import { describe, expect, it } from 'vitest'
import { formatDlgDate, parseDlgDate } from '../../src/auth/dlg-date.js'

const DOCS_TIME = Date.UTC(2021, 2, 9, 13, 28, 32)

function epoch(value: string): number | undefined {
  const result = parseDlgDate(value)
  return result.ok ? result.epochMs : undefined
}

function problem(value: string): string | undefined {
  const result = parseDlgDate(value)
  return result.ok ? undefined : result.problem
}

describe('parseDlgDate accepts the forms of D5', () => {
  it.each([
    ['Tue, 09 Mar 2021 13:28:32 GMT', DOCS_TIME],
    ['Tue, 09 Mar 2021 13:28:32 UTC', DOCS_TIME],
    ['Tue, 09 Mar 2021 13:28:32', DOCS_TIME], // no zone = GMT
    ['Tue, 09 Mar 2021 16:28:32 +0300', DOCS_TIME],
    ['Tue, 09 Mar 2021 05:28:32 -0800', DOCS_TIME],
    ['Tue, 09 Mar 2021 16:28:32 GMT+03:00', DOCS_TIME],
    ['Tue, 09 Mar 2021 08:58:32 GMT-04:30', DOCS_TIME],
    ['Tue, 09 Mar 2021 13:28:32 +0000', DOCS_TIME],
    ['Wed, 10 Mar 2021 02:28:32 +1300', DOCS_TIME],
    ['Thu, 29 Feb 2024 00:00:00 GMT', Date.UTC(2024, 1, 29)],
    ['Fri, 31 Dec 1999 23:59:59 GMT', Date.UTC(1999, 11, 31, 23, 59, 59)],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
    ['Wed, 31 Dec 1969 23:59:59 GMT', -1000],
    ['Wed, 01 Mar 2000 00:00:00 GMT', Date.UTC(2000, 2, 1)],
  ])('%s', (value, expected) => {
    expect(epoch(value)).toBe(expected)
  })

  it('does not check the day name against the date, as Java does not', () => {
    expect(epoch('Mon, 09 Mar 2021 13:28:32 GMT')).toBe(DOCS_TIME)
  })

  it('agrees with Date.UTC over many dates and offsets', () => {
    for (let i = 0; i < 2000; i++) {
      const time = Math.floor((i * 7_919_993_311) % 4_102_444_800) * 1000 // 1970 … 2100, whole seconds
      const offset = ((i * 37) % 1681) - 840 // -14:00 … +14:00
      expect(epoch(formatDlgDate(time))).toBe(time)
      expect(epoch(formatDlgDate(time, offset))).toBe(time)
    }
  })
})

describe('parseDlgDate refuses everything else', () => {
  it.each([
    ['Sal, 09 Mar 2021 13:28:32 GMT', 'day name "Sal"'], // Turkish Salı
    ['Tue, 09 Mar 2021 13:28:32 GMT'.replace('Mar', 'Mart'), 'does not follow'],
    ['Tue, 09 Şub 2021 13:28:32 GMT', 'month "Şub"'],
    ['Tue, 09 Mrz 2021 13:28:32 GMT', 'month "Mrz"'],
    ['tue, 09 Mar 2021 13:28:32 GMT', 'day name "tue"'],
    ['Tue, 09 MAR 2021 13:28:32 GMT', 'month "MAR"'],
    ['Tue 09 Mar 2021 13:28:32 GMT', 'does not follow'],
    ['Tue, 9 Mar 2021 13:28:32 GMT', 'does not follow'],
    ['Tue, 09 Mar 21 13:28:32 GMT', 'does not follow'],
    ['Tue, 09 Mar 2021 13:28 GMT', 'does not follow'],
    ['Tue, 09 Mar 2021 1:28:32 GMT', 'does not follow'],
    ['Tue, 09 Mar 2021 13.28.32 GMT', 'does not follow'],
    ['Tue,  09 Mar 2021 13:28:32 GMT', 'does not follow'],
    ['Tue, 0x Mar 2021 13:28:32 GMT', 'must be digits'],
    ['Mon, 29 Feb 2021 13:28:32 GMT', 'day 29 does not exist in Feb 2021'],
    ['Wed, 31 Apr 2021 13:28:32 GMT', 'day 31 does not exist'],
    ['Tue, 00 Mar 2021 13:28:32 GMT', 'day 0 does not exist'],
    ['Tue, 09 Mar 2021 24:00:00 GMT', 'out of range'],
    ['Tue, 09 Mar 2021 13:60:00 GMT', 'out of range'],
    ['Tue, 09 Mar 2021 13:28:60 GMT', 'out of range'],
    ['Tue, 09 Mar 2021 13:28:32 EET', 'time zone "EET"'],
    ['Tue, 09 Mar 2021 13:28:32 Z', 'time zone "Z"'],
    ['Tue, 09 Mar 2021 13:28:32 +03:00', 'time zone "+03:00"'],
    ['Tue, 09 Mar 2021 13:28:32 +3', 'time zone "+3"'],
    ['Tue, 09 Mar 2021 13:28:32 +2400', 'time zone "+2400"'],
    ['Tue, 09 Mar 2021 13:28:32 +0360', 'time zone "+0360"'],
    ['Tue, 09 Mar 2021 13:28:32 GMT+3', 'time zone "GMT+3"'],
    ['Tue, 09 Mar 2021 13:28:32 GMT+03-00', 'time zone'],
    ['Tue, 09 Mar 2021 13:28:32 gmt', 'time zone "gmt"'],
    ['Tue, 09 Mar 2021 13:28:32 GMT ', 'time zone'],
    ['Tue, 09 Mar 2021 13:28:32GMT', 'time zone'],
    ['2021-03-09T13:28:32Z', 'too short'],
    ['2021-03-09T13:28:32.000+03:00', 'day name "202"'],
    ['1615296512', 'too short'],
    ['', 'too short'],
  ])('%j', (value, expected) => {
    expect(problem(value)).toContain(expected)
  })

  it('quotes at most 40 characters of a long header', () => {
    const message = problem(`Tue, 09 Mar 2021 13:28:32 ${'X'.repeat(10_000)}`) ?? ''
    expect(message.length).toBeLessThan(200)
  })
})

describe('formatDlgDate', () => {
  it('writes the documentation form in GMT and Java Z offsets', () => {
    expect(formatDlgDate(DOCS_TIME)).toBe('Tue, 09 Mar 2021 13:28:32 GMT')
    expect(formatDlgDate(DOCS_TIME, 180)).toBe('Tue, 09 Mar 2021 16:28:32 +0300')
    expect(formatDlgDate(DOCS_TIME, -480)).toBe('Tue, 09 Mar 2021 05:28:32 -0800')
    expect(formatDlgDate(DOCS_TIME, 0)).toBe('Tue, 09 Mar 2021 13:28:32 +0000')
  })
})
