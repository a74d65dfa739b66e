/** Time zones, as the configuration and the pages read them. */

/** The zone the pages show times in unless `DLG_PAGE_TIME_ZONE` says otherwise. */
export const DEFAULT_TIME_ZONE = 'Europe/Istanbul'

/** True when `Intl` knows the zone (IANA names such as `Europe/Istanbul`, or `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name })
    return true
  } catch {
    return false
  }
}
