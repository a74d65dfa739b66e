import { GET_MESSAGING_DETAIL } from './getmessagingdetail.js'

/** The Reporting API (`/v1/reporting/...`), one entry per endpoint file of this folder. */
export const REPORTING_ROUTES = [GET_MESSAGING_DETAIL] as const
