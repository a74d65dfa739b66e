import { formatDlgDate } from '../../src/auth/dlg-date.js'
import { DEMO_ACCESS_KEY } from '../../src/auth/keyring.js'
import { sign, type Credentials } from '../../src/auth/signer.js'
import type { SignatureVector } from './vectors.js'

export const DOCS_BODY = {
  staffId: '45188',
  customerId: '5667067',
  startDate: 1610856400000,
  endDate: 1635892494000,
}

/** The seed endpoint, and the documentation's example body as a client sends it (compact). */
export const DOCS_RESOURCE = '/v1/reporting/getmessagingdetail'
export const DOCS_BODY_TEXT = JSON.stringify(DOCS_BODY)

export interface SignedRequestInput<Body extends string | Uint8Array = string> {
  /** The body, sent and signed as is (bytes for a body that is not UTF-8). Default: DOCS_BODY_TEXT. */
  body?: Body
  /** The `x-dlg-date` value; default: `now` formatted in GMT. */
  date?: string
  now?: number
  url?: string
  method?: string
  contentType?: string
  credentials?: Credentials
  requesterUserId?: string
}

/** A request as `app.inject` takes it (and, with `body: payload`, `fetch`). */
export interface PlainRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload: string
}

/** A request signed with the project's own signer, shaped for `app.inject` and `fetch`. */
export function signedRequest<Body extends string | Uint8Array = string>(
  input: SignedRequestInput<Body> = {},
) {
  const method = input.method ?? 'POST'
  const url = input.url ?? DOCS_RESOURCE
  const body = input.body ?? (DOCS_BODY_TEXT as Body)
  const contentType = input.contentType ?? 'application/json'
  const date = input.date ?? formatDlgDate(input.now ?? Date.now())
  const { authorization } = sign(
    { method, contentType, date, body, resource: url },
    input.credentials ?? DEMO_ACCESS_KEY,
  )
  const headers = {
    'content-type': contentType,
    'x-dlg-date': date,
    'x-dlg-requester-userid': input.requesterUserId ?? '45186',
    'x-dlg-authorization': authorization,
  }
  return { method, url, headers, payload: body }
}

/** A signature vector as the request a client would send, requester 45186. */
export function vectorRequest(vector: SignatureVector): PlainRequest {
  return {
    method: vector.method,
    url: vector.resource,
    headers: {
      'content-type': vector.contentType,
      'x-dlg-date': vector.date,
      'x-dlg-requester-userid': '45186',
      'x-dlg-authorization': vector.authorization,
    },
    payload: vector.body,
  }
}
