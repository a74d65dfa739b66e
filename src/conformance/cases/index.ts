import type { ConformanceCase } from '../case.js'
import { authCases } from './auth.js'
import { botCases } from './bots.js'
import { getCallListCases } from './getcalllist.js'
import { getMessagingDetailCases } from './getmessagingdetail.js'
import { getOnlineHelpListCases } from './getonlinehelplist.js'
import { linkCases } from './links.js'
import { customerMessagingListCases, staffMessagingListCases } from './messaging-lists.js'

/**
 * Every case, in the order they run, grouped by endpoint (the group is the id's first part). A
 * new endpoint adds a module here; the runner and the reports do not change.
 */
export const CASES: readonly ConformanceCase[] = [
  ...authCases,
  ...getMessagingDetailCases,
  ...linkCases,
  ...getCallListCases,
  ...getOnlineHelpListCases,
  ...staffMessagingListCases,
  ...customerMessagingListCases,
  ...botCases,
]
