import { describe, expect, it } from 'vitest'
import { createPageFormat, isTimeZone } from '../../src/views/format.js'

const at = (iso: string) => Date.parse(iso)

describe('page format', () => {
  const istanbul = createPageFormat()

  it('writes dates and times in Turkish, in Istanbul time by default', () => {
    expect(istanbul.timeZone).toBe('Europe/Istanbul')
    expect(istanbul.dateTime(at('2021-03-09T13:58:32Z'))).toBe('9 Mart 2021 16:58')
    expect(istanbul.day(at('2021-03-09T13:58:32Z'))).toBe('9 Mart 2021 Salı')
    expect(istanbul.time(at('2021-03-09T06:05:00Z'))).toBe('09:05')
  })

  it("takes the calendar day from the page's zone, not from UTC", () => {
    // 22:30 UTC is already the next day in Istanbul (UTC+3), still the same day in New York.
    const lateEvening = at('2021-03-09T22:30:00Z')
    expect(istanbul.dayKey(lateEvening)).toBe('2021-03-10')
    expect(istanbul.day(lateEvening)).toBe('10 Mart 2021 Çarşamba')
    const newYork = createPageFormat('America/New_York')
    expect(newYork.dayKey(lateEvening)).toBe('2021-03-09')
    expect(newYork.time(lateEvening)).toBe('17:30')
  })

  it('writes file sizes with Turkish decimals', () => {
    expect(istanbul.fileSize(0)).toBe('0 bayt')
    expect(istanbul.fileSize(1023)).toBe('1.023 bayt')
    expect(istanbul.fileSize(1024)).toBe('1 KB')
    expect(istanbul.fileSize(733_900)).toBe('716,7 KB')
    expect(istanbul.fileSize(1_572_864)).toBe('1,5 MB')
    expect(istanbul.fileSize(5 * 1024 ** 3)).toBe('5 GB')
    expect(istanbul.fileSize(3 * 1024 ** 5)).toBe('3.072 TB')
    expect(istanbul.fileSize(1_048_575)).toBe('1 MB')
    expect(istanbul.fileSize(1_048_524)).toBe('1.023,9 KB')
  })

  it('writes day keys as YYYY-MM-DD, early years included', () => {
    expect(istanbul.dayKey(at('0999-01-02T12:00:00Z'))).toBe('0999-01-02')
    expect(istanbul.dayKey(at('2021-12-31T20:59:59Z'))).toBe('2021-12-31')
    expect(istanbul.dayKey(at('2021-12-31T21:00:00Z'))).toBe('2022-01-01')
  })

  it('names the zone as Intl does', () => {
    expect(createPageFormat('utc').timeZone).toBe('UTC')
  })

  it('groups thousands the Turkish way', () => {
    expect(istanbul.count(1_250_000)).toBe('1.250.000')
  })

  it('knows which time zones exist', () => {
    expect(isTimeZone('Europe/Istanbul')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Istanbul')).toBe(false)
    expect(isTimeZone('')).toBe(false)
  })
})
