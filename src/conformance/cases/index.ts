import type { ConformanceCase } from '../case.js'
import { authCases } from './auth.js'
import { getMessagingDetailCases } from './getmessagingdetail.js'
import { linkCases } from './links.js'

/**
 * Every case, in the order they run, grouped by endpoint. The next Reporting endpoints add a
 * module here; the runner and the reports do not change.
 */
export const CASES: readonly ConformanceCase[] = [...authCases, ...getMessagingDetailCases, ...linkCases]
