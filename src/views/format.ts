/**
 * Turkish formatting for the pages links open, in one configurable time zone. The
 * `Intl` formatters are built once per zone, not per request.
 */

import { DEFAULT_TIME_ZONE } from '../time-zone.js'

export { DEFAULT_TIME_ZONE, isTimeZone } from '../time-zone.js'

export interface PageFormat {
  readonly timeZone: string
  /** `9 Mart 2021 16:58` */
  dateTime(epochMs: number): string
  /** `9 Mart 2021 16:58:32`: calls and online-help sessions, where seconds count. */
  dateTimeSeconds(epochMs: number): string
  /** `9 Mart 2021 Salı` */
  day(epochMs: number): string
  /** `2021-03-09`, the calendar day in the page's zone: groups messages and names sections. */
  dayKey(epochMs: number): string
  /** `16:58` */
  time(epochMs: number): string
  /** `512 bayt`, `245,3 KB`, `1,2 MB` */
  fileSize(bytes: number): string
  /** `1.250` */
  count(n: number): string
  /** Whole seconds as `0 sn`, `45 sn`, `6 dk 24 sn`, `2 sa 5 dk` (seconds left out from an hour on). */
  duration(seconds: number): string
}

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const

export function createPageFormat(timeZone: string = DEFAULT_TIME_ZONE): PageFormat {
  const dateTime = new Intl.DateTimeFormat('tr-TR', { dateStyle: 'long', timeStyle: 'short', timeZone })
  const day = new Intl.DateTimeFormat('tr-TR', { dateStyle: 'full', timeZone })
  // en-CA writes YYYY-MM-DD (the year unpadded before 1000).
  const dayKey = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone,
  })
  const dateTimeSeconds = new Intl.DateTimeFormat('tr-TR', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone,
  })
  const time = new Intl.DateTimeFormat('tr-TR', { hour: '2-digit', minute: '2-digit', timeZone })
  const decimal = new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 1 })
  const integer = new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 0 })

  return {
    // As Intl names it: `utc` is shown as `UTC`.
    timeZone: dateTime.resolvedOptions().timeZone,
    dateTime: (epochMs) => dateTime.format(epochMs),
    dateTimeSeconds: (epochMs) => dateTimeSeconds.format(epochMs),
    day: (epochMs) => day.format(epochMs),
    dayKey(epochMs) {
      const key = dayKey.format(epochMs)
      return key.length === 10 ? key : key.padStart(10, '0')
    },
    time: (epochMs) => time.format(epochMs),
    fileSize(bytes) {
      if (bytes < 1024) return `${integer.format(bytes)} bayt`
      let value = bytes / 1024
      let unit = 0
      // 1023.95 KB would print as "1.024 KB": move up once the rounded value reaches 1024.
      while (value >= 1023.95 && unit < SIZE_UNITS.length - 1) {
        value /= 1024
        unit++
      }
      return `${decimal.format(value)} ${SIZE_UNITS[unit]}`
    },
    count: (n) => integer.format(n),
    duration(seconds) {
      const whole = Math.max(0, Math.floor(seconds))
      const hours = Math.floor(whole / 3600)
      const minutes = Math.floor((whole % 3600) / 60)
      const rest = whole % 60
      if (hours > 0)
        return minutes > 0 ? `${integer.format(hours)} sa ${minutes} dk` : `${integer.format(hours)} sa`
      if (minutes > 0) return rest > 0 ? `${minutes} dk ${rest} sn` : `${minutes} dk`
      return `${rest} sn`
    },
  }
}
