import { isDateRange, parseInstant } from '../clock.js'
import { UsageError } from './io.js'

/** Epoch milliseconds from an integer or an ISO 8601 date; anything else is a usage error naming the option. */
export function time(value: string, name: string): number {
  const parsed = parseInstant(value)
  if (parsed === undefined || !isDateRange(parsed)) {
    throw new UsageError(
      `${name} must be epoch milliseconds or an ISO 8601 date (got ${JSON.stringify(value)})`,
    )
  }
  return parsed
}
