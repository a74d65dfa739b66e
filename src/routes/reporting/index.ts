import { GET_CALL_LIST } from './getcalllist.js'
import { GET_CUSTOMER_MESSAGING_LIST } from './getcustomermessaginglist.js'
import { GET_MESSAGING_DETAIL } from './getmessagingdetail.js'
import { GET_ONLINE_HELP_LIST } from './getonlinehelplist.js'
import { GET_STAFF_MESSAGING_LIST } from './getstaffmessaginglist.js'

/** The Reporting API (`/v1/reporting/...`), one entry per endpoint file of this folder. */
export const REPORTING_ROUTES = [
  GET_MESSAGING_DETAIL,
  GET_CALL_LIST,
  GET_ONLINE_HELP_LIST,
  GET_STAFF_MESSAGING_LIST,
  GET_CUSTOMER_MESSAGING_LIST,
] as const
