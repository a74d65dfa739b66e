/**
 * The `x-dlg-date` format: Java `SimpleDateFormat` pattern `EEE, dd MMM yyyy HH:mm:ss Z`,
 * read as docs/contract.md D5 decides:
 *
 * - English day and month abbreviations, exactly as written by Java, JavaScript's
 *   `toUTCString()`, .NET's `"r"` or Python's `formatdate` (`Tue`, `Mar`); localised
 *   names such as Turkish `Sal` are refused;
 * - two-digit day, hour, minute and second, four-digit year, single spaces;
 * - zone `GMT`, `UTC`, a numeric offset `+0300` / `-0800`, or `GMT+03:00`; no zone = GMT.
 *
 * The day name is not checked against the date: Java's parser ignores it too.
 * A fixed-position scanner, no regular expressions: it runs on every signed request.
 */

export type DlgDateResult =
  { readonly ok: true; readonly epochMs: number } | { readonly ok: false; readonly problem: string }

export const DLG_DATE_PATTERN = 'EEE, dd MMM yyyy HH:mm:ss Z'
export const DLG_DATE_EXAMPLE = 'Tue, 09 Mar 2021 13:28:32 GMT'

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const
const DAY_SET: ReadonlySet<string> = new Set(DAY_NAMES)
const MONTH_NUMBER: ReadonlyMap<string, number> = new Map(MONTH_NAMES.map((name, i) => [name, i + 1]))

/** Length of `Tue, 09 Mar 2021 13:28:32`, the part before the zone. */
const FIXED_LENGTH = 25
const MS_PER_DAY = 86_400_000
const CHAR_0 = 48
const CHAR_9 = 57

function fail(problem: string): DlgDateResult {
  return { ok: false, problem }
}

/** Quotes a piece of client input for a message, cut short so a huge header stays out of logs. */
function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)
}

/** Reads `width` ASCII digits at `at`; -1 if any character is not a digit. */
function digits(text: string, at: number, width: number): number {
  let value = 0
  for (let i = at; i < at + width; i++) {
    const c = text.charCodeAt(i)
    if (c < CHAR_0 || c > CHAR_9) return -1
    value = value * 10 + (c - CHAR_0)
  }
  return value
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/** Offset of the zone east of GMT in minutes, or undefined when the zone is not one D5 accepts. */
function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === 'GMT' || zone === 'UTC') return 0
  let sign: string
  let hours: number
  let minutes: number
  if (zone.length === 5) {
    // +0300
    sign = zone[0] ?? ''
    hours = digits(zone, 1, 2)
    minutes = digits(zone, 3, 2)
  } else if (zone.length === 9 && zone.startsWith('GMT') && zone[6] === ':') {
    // GMT+03:00
    sign = zone[3] ?? ''
    hours = digits(zone, 4, 2)
    minutes = digits(zone, 7, 2)
  } else {
    return undefined
  }
  if ((sign !== '+' && sign !== '-') || hours < 0 || hours > 23 || minutes < 0 || minutes > 59)
    return undefined
  const total = hours * 60 + minutes
  return sign === '-' ? -total : total
}

/** Parses an `x-dlg-date` header value into epoch milliseconds, or says what is wrong with it. */
export function parseDlgDate(value: string): DlgDateResult {
  if (value.length < FIXED_LENGTH) {
    return fail(`${quote(value)} is too short for ${DLG_DATE_PATTERN}, e.g. ${DLG_DATE_EXAMPLE}`)
  }
  const dayName = value.slice(0, 3)
  if (!DAY_SET.has(dayName)) {
    return fail(`day name ${quote(dayName)} is not an English abbreviation (${DAY_NAMES.join(', ')})`)
  }
  if (
    value[3] !== ',' ||
    value[4] !== ' ' ||
    value[7] !== ' ' ||
    value[11] !== ' ' ||
    value[16] !== ' ' ||
    value[19] !== ':' ||
    value[22] !== ':'
  ) {
    return fail(`${quote(value)} does not follow ${DLG_DATE_PATTERN}, e.g. ${DLG_DATE_EXAMPLE}`)
  }
  const monthName = value.slice(8, 11)
  const month = MONTH_NUMBER.get(monthName)
  if (month === undefined) {
    return fail(`month ${quote(monthName)} is not an English abbreviation (${MONTH_NAMES.join(', ')})`)
  }
  const day = digits(value, 5, 2)
  const year = digits(value, 12, 4)
  const hour = digits(value, 17, 2)
  const minute = digits(value, 20, 2)
  const second = digits(value, 23, 2)
  if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) {
    return fail(`${quote(value)}: day, year and time must be digits (dd, yyyy, HH:mm:ss)`)
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    return fail(`day ${day} does not exist in ${monthName} ${year}`)
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return fail(`time ${value.slice(17, 25)} is out of range (00:00:00 to 23:59:59)`)
  }
  let offsetMinutes = 0
  if (value.length > FIXED_LENGTH) {
    const zone = value.slice(FIXED_LENGTH + 1)
    const offset = value[FIXED_LENGTH] === ' ' ? zoneOffsetMinutes(zone) : undefined
    if (offset === undefined) {
      return fail(
        `time zone ${quote(value.slice(FIXED_LENGTH).trimStart())} is not accepted: use GMT, UTC, +HHMM or GMT+HH:MM`,
      )
    }
    offsetMinutes = offset
  }
  const epochMs =
    daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000
  return { ok: true, epochMs }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/**
 * Formats epoch milliseconds as an `x-dlg-date` value. Without an offset the zone is `GMT`
 * (what most clients send); with one it is written the way Java's `Z` writes it, e.g. `+0300`.
 */
export function formatDlgDate(epochMs: number, offsetMinutes?: number): string {
  const local = new Date(epochMs + (offsetMinutes ?? 0) * 60_000)
  const base =
    `${DAY_NAMES[local.getUTCDay()]}, ${pad(local.getUTCDate(), 2)} ${MONTH_NAMES[local.getUTCMonth()]} ` +
    `${pad(local.getUTCFullYear(), 4)} ${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:` +
    pad(local.getUTCSeconds(), 2)
  if (offsetMinutes === undefined) return `${base} GMT`
  const abs = Math.abs(offsetMinutes)
  return `${base} ${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`
}
