import { formatDlgDate } from '../../auth/dlg-date.js'
import {
  messagingBody,
  type ConformanceCase,
  type RequestContext,
  type SignedRequestOptions,
} from '../case.js'
import { accepted, authError, plainTextAuthError, type Expectation } from '../checks.js'

/**
 * Authentication (docs/contract.md §2 and D2–D7): every row of the error table provoked on its own,
 * the skew window's edges both ways, the accepted forms, and the decisions the mock made
 * where the documentation is silent. Dates are placed on the server's clock.
 */

const MINUTE = 60_000
/** A key id no Diyalog administrator would issue. */
export const UNKNOWN_KEY_ID = 'conformance-unknown-key-0000'

function wrongSecret(context: RequestContext): string {
  return `${context.target.credentials.secret}-not-the-secret`
}

/** The date and time before the zone, e.g. `Tue, 09 Mar 2021 13:28:32`, at `offsetMinutes` east of GMT. */
function dateWithoutZone(epochMs: number, offsetMinutes = 0): string {
  return formatDlgDate(epochMs, offsetMinutes).slice(0, 25)
}

const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const TURKISH_DAYS = ['Paz', 'Pzt', 'Sal', 'Çar', 'Per', 'Cum', 'Cmt']
const TURKISH_MONTHS = ['Oca', 'Şub', 'Mar', 'Nis', 'May', 'Haz', 'Tem', 'Ağu', 'Eyl', 'Eki', 'Kas', 'Ara']

interface Spec extends Expectation {
  readonly id: string
  readonly clockSensitive?: boolean
  readonly ref: string
  readonly description: string
  readonly sign: (context: RequestContext) => SignedRequestOptions
}

function must(spec: Spec): ConformanceCase {
  return { ...spec, id: `auth.${spec.id}`, level: 'MUST', request: (c) => c.signed(spec.sign(c)) }
}

function decision(spec: Spec): ConformanceCase {
  return {
    ...spec,
    id: `auth.${spec.ref}.${spec.id}`,
    level: 'DECISION',
    request: (c) => c.signed(spec.sign(c)),
  }
}

const TABLE = '§2 error table'

const missing = [
  ['missing-date', 'x-dlg-date'],
  ['missing-requester-userid', 'x-dlg-requester-userid'],
  ['missing-authorization', 'x-dlg-authorization'],
] as const

const badDates: readonly [string, string, (nowMs: number) => string][] = [
  ['date-iso-8601', 'an ISO 8601 date', (now) => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')],
  ['date-epoch', 'epoch milliseconds', (now) => String(now)],
  [
    'date-rfc-850',
    'an RFC 850 date (Tuesday, 09-Mar-21 …)',
    (now) => {
      const [, date, month, year, time] = new Date(now).toUTCString().replace(',', '').split(' ')
      const day = LONG_DAYS[new Date(now).getUTCDay()]
      return `${day}, ${date}-${month}-${year?.slice(2)} ${time} GMT`
    },
  ],
  [
    'date-asctime',
    'an asctime date (Tue Mar  9 13:28:32 2021)',
    (now) => {
      const [day, date, month, year, time] = new Date(now).toUTCString().replace(',', '').split(' ')
      return `${day} ${month} ${String(Number(date)).padStart(2, ' ')} ${time} ${year}`
    },
  ],
]

const skews = [
  ['skew-inside-past', -14, accepted],
  ['skew-inside-future', 14, accepted],
  ['skew-outside-past', -16, authError('clock-skew')],
  ['skew-outside-future', 16, authError('clock-skew')],
] as const

export const authCases: readonly ConformanceCase[] = [
  ...missing.map(([id, header]) =>
    must({
      id,
      ref: TABLE,
      description: `a signed request without ${header}`,
      sign: () => ({ omit: [header] }),
      ...authError('missing-headers'),
    }),
  ),
  must({
    id: 'missing-all',
    ref: TABLE,
    description: 'a request with none of the three required headers',
    sign: () => ({ omit: ['x-dlg-date', 'x-dlg-requester-userid', 'x-dlg-authorization'] }),
    ...authError('missing-headers'),
  }),
  must({
    id: 'format-other-scheme',
    ref: TABLE,
    description: 'authorization with another scheme: "Bearer <AccessKeyId>:<signature>"',
    sign: () => ({ authorization: (keyId, signature) => `Bearer ${keyId}:${signature}` }),
    ...authError('malformed-authorization'),
  }),
  must({
    id: 'format-no-space',
    ref: TABLE,
    description: 'authorization without the space after DLGA: "DLGA<AccessKeyId>:<signature>"',
    sign: () => ({ authorization: (keyId, signature) => `DLGA${keyId}:${signature}` }),
    ...authError('malformed-authorization'),
  }),
  must({
    id: 'format-no-colon',
    ref: TABLE,
    description: 'authorization without the ":" between AccessKeyId and signature',
    sign: () => ({ authorization: (keyId, signature) => `DLGA ${keyId}${signature}` }),
    ...authError('malformed-authorization'),
  }),
  ...badDates.map(([id, what, date]) =>
    must({
      id,
      ref: TABLE,
      description: `x-dlg-date as ${what}, signed, on the server's clock`,
      sign: (c) => ({ date: date(c.now()) }),
      ...authError('malformed-date'),
    }),
  ),
  ...skews.map(([id, minutes, expectation]) =>
    must({
      id,
      ref: '§2 date rules',
      description: `x-dlg-date ${Math.abs(minutes)} minutes ${minutes < 0 ? 'behind' : 'ahead of'} the server's clock`,
      sign: (c) => ({ date: formatDlgDate(c.now() + minutes * MINUTE) }),
      clockSensitive: true,
      ...expectation,
    }),
  ),
  must({
    id: 'signature-wrong',
    ref: TABLE,
    description: 'a signature made with another secret',
    sign: (c) => ({ secret: wrongSecret(c) }),
    ...authError('signature-mismatch'),
  }),
  must({
    id: 'signature-unknown-key',
    ref: TABLE,
    description: `an AccessKeyId the server does not know (${UNKNOWN_KEY_ID})`,
    sign: () => ({ keyId: UNKNOWN_KEY_ID }),
    ...authError('signature-mismatch'),
  }),
  must({
    id: 'accept-gmt',
    ref: '§2',
    description: 'a request signed as documented, x-dlg-date in GMT',
    sign: () => ({}),
    ...accepted,
  }),
  must({
    id: 'accept-numeric-offset',
    ref: '§2 (Z = +0300)',
    description: 'x-dlg-date with a numeric offset, the same instant at +0300',
    sign: (c) => ({ date: formatDlgDate(c.now(), 180) }),
    ...accepted,
  }),
  must({
    id: 'accept-body-as-sent',
    ref: '§2 CanonicalizedPOSTVariables',
    description: 'a body with newlines and indentation, signed byte for byte as sent',
    sign: (c) => ({ body: `${JSON.stringify(JSON.parse(messagingBody(c.target)), null, 2)}\n` }),
    ...accepted,
  }),
  must({
    id: 'accept-body-crlf',
    ref: '§2 CanonicalizedPOSTVariables',
    description: 'a body with CRLF newlines (as Windows clients write it), signed byte for byte as sent',
    sign: (c) => ({
      body: `${JSON.stringify(JSON.parse(messagingBody(c.target)), null, 2).replaceAll('\n', '\r\n')}\r\n`,
    }),
    ...accepted,
  }),
  must({
    id: 'accept-content-type-charset',
    ref: '§2 Content-Type as sent',
    description: 'Content-Type "application/json; charset=utf-8", signed as sent',
    sign: () => ({ contentType: 'application/json; charset=utf-8' }),
    ...accepted,
  }),
  must({
    id: 'accept-x-dlg-date-not-date',
    ref: '§2 headers',
    description: 'the date checked is x-dlg-date: an HTTP Date header an hour old beside it changes nothing',
    sign: (c) => ({ extraHeaders: { Date: new Date(c.now() - 60 * MINUTE).toUTCString() } }),
    ...accepted,
  }),

  decision({
    id: 'short-header-names',
    ref: 'D2',
    description:
      "the error table's names alone: Date, X-Requester-UserId, X-Authorization (aliases are opt-in)",
    sign: () => ({
      rename: {
        'x-dlg-date': 'Date',
        'x-dlg-requester-userid': 'X-Requester-UserId',
        'x-dlg-authorization': 'X-Authorization',
      },
    }),
    ...authError('missing-headers'),
  }),
  decision({
    id: 'newline-before-resource',
    ref: 'D3',
    description: 'signed as the worked example: a "\\n" between body and resource',
    sign: () => ({ layout: 'newline-before-resource' }),
    ...authError('signature-mismatch'),
  }),
  decision({
    id: 'hmac-sha1',
    ref: 'D4',
    description: "an HMAC-SHA1 signature (28 characters, like the documentation's example)",
    sign: () => ({ hash: 'sha1' }),
    ...authError('signature-mismatch'),
  }),
  decision({
    id: 'zone-utc',
    ref: 'D5',
    description: 'x-dlg-date with the zone "UTC"',
    sign: (c) => ({ date: `${dateWithoutZone(c.now())} UTC` }),
    ...accepted,
  }),
  decision({
    id: 'zone-gmt-hh-mm',
    ref: 'D5',
    description: 'x-dlg-date with the zone "GMT+03:00", the same instant',
    sign: (c) => ({ date: `${dateWithoutZone(c.now(), 180)} GMT+03:00` }),
    ...accepted,
  }),
  decision({
    id: 'no-zone',
    ref: 'D5',
    description: 'x-dlg-date without a zone, GMT time (a missing zone means GMT)',
    sign: (c) => ({ date: dateWithoutZone(c.now()) }),
    ...accepted,
  }),
  decision({
    id: 'turkish-names',
    ref: 'D5',
    description: 'x-dlg-date with Turkish day and month names ("Sal, 09 Mar 2021 …")',
    sign: (c) => {
      const now = new Date(c.now())
      const english = dateWithoutZone(c.now())
      const turkish = `${TURKISH_DAYS[now.getUTCDay()]}, ${english.slice(5, 7)} ${TURKISH_MONTHS[now.getUTCMonth()]}`
      return { date: `${turkish}${english.slice(11)} GMT` }
    },
    ...authError('malformed-date'),
  }),
  decision({
    id: 'missing-before-format',
    ref: 'D6',
    description: 'no x-dlg-requester-userid and a "Bearer" authorization: the missing header is told',
    sign: () => ({
      omit: ['x-dlg-requester-userid'],
      authorization: (keyId, signature) => `Bearer ${keyId}:${signature}`,
    }),
    ...authError('missing-headers'),
  }),
  decision({
    id: 'format-before-date',
    ref: 'D6',
    description: 'an authorization without ":" and an ISO 8601 date: the authorization format is told',
    sign: (c) => ({
      date: new Date(c.now()).toISOString(),
      authorization: (keyId, signature) => `DLGA ${keyId}${signature}`,
    }),
    ...authError('malformed-authorization'),
  }),
  decision({
    id: 'date-before-signature',
    ref: 'D6',
    description: 'an ISO 8601 date and a wrong signature: the date format is told',
    sign: (c) => ({ date: new Date(c.now()).toISOString(), secret: wrongSecret(c) }),
    ...authError('malformed-date'),
  }),
  decision({
    id: 'skew-before-signature',
    ref: 'D6',
    description: 'a date 16 minutes ahead and a wrong signature: the clock skew is told (403)',
    clockSensitive: true,
    sign: (c) => ({ date: formatDlgDate(c.now() + 16 * MINUTE), secret: wrongSecret(c) }),
    ...authError('clock-skew'),
  }),
  decision({
    id: 'skew-before-key',
    ref: 'D6',
    description: 'a date 16 minutes ahead and an unknown AccessKeyId: the clock skew is told (403)',
    clockSensitive: true,
    sign: (c) => ({ date: formatDlgDate(c.now() + 16 * MINUTE), keyId: UNKNOWN_KEY_ID }),
    ...authError('clock-skew'),
  }),
  decision({
    id: 'plain-text',
    ref: 'D7',
    description: 'the body of an authentication error (here a wrong signature)',
    sign: (c) => ({ secret: wrongSecret(c) }),
    ...plainTextAuthError('signature-mismatch'),
  }),
]
