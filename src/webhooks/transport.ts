import { visible } from '../http/header-value.js'
import { SIGNATURE_HEADER } from './signature.js'

/**
 * One HTTP attempt of a webhook batch: POST the exact bytes to the webhook's URL and say what
 * came back, `{status}` (any status: the dispatcher decides what counts) or `{error}` (no answer:
 * refused, reset, aborted, timed out). It never throws. The default sends through Node.js's
 * global `fetch` (undici, keep-alive) and returns once the answer's body has been read to its end
 * (or cancelled past `MAX_ANSWER_BYTES`), so the connection is back in the pool for the next batch.
 *
 * Headers: `content-type: application/json`, `x-signature`, `user-agent: diyalog-mock`, and two
 * the real server does not send, so a receiver can tell a retry from a new batch:
 * `x-dlg-mock-batch` (the batch id, the same on every attempt of a batch) and `x-dlg-mock-attempt`
 * (0 for the first attempt, 1 for the first retry, as the journal counts them). A user name and
 * password in the URL are sent as `authorization: Basic …` (fetch refuses a URL that holds them);
 * the query is sent as it is.
 */

export const BATCH_HEADER = 'x-dlg-mock-batch'
export const ATTEMPT_HEADER = 'x-dlg-mock-attempt'
export const WEBHOOK_USER_AGENT = 'diyalog-mock'

export interface WebhookRequest {
  readonly url: string
  /** The body, exactly as signed. */
  readonly body: Uint8Array<ArrayBuffer>
  /** The `X-Signature` value. */
  readonly signature: string
  readonly batchId: string
  /** 0 = the first attempt. */
  readonly attempt: number
  /** How long an answer may take; the dispatcher gives up then too. */
  readonly timeoutMs: number
  /** Aborted by the dispatcher when it gives up (timeout) or closes. */
  readonly signal: AbortSignal
}

export type TransportResult = { readonly status: number } | { readonly error: string }

export type WebhookTransport = (request: WebhookRequest) => Promise<TransportResult>

/** An answer's body is read up to this many bytes, then cancelled (its connection closed). */
export const MAX_ANSWER_BYTES = 64 * 1024

/** The headers of one attempt (without `authorization`, which only the URL can give). */
export function webhookHeaders(
  request: Pick<WebhookRequest, 'signature' | 'batchId' | 'attempt'>,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    [SIGNATURE_HEADER]: request.signature,
    'user-agent': WEBHOOK_USER_AGENT,
    [BATCH_HEADER]: request.batchId,
    [ATTEMPT_HEADER]: String(request.attempt),
  }
}

/** The URL without its user name and password, and the `authorization` header they make. */
function splitCredentials(text: string): { url: string; authorization?: string } {
  const url = new URL(text)
  if (url.username === '' && url.password === '') return { url: url.href }
  const user = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  url.username = ''
  url.password = ''
  return { url: url.href, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
}

/** What went wrong, on one short line: the system error code and message when there is one. */
export function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const text =
      typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message
    return visible(text, 200)
  }
  return visible(String(cause), 200)
}

/** Reads an answer's body to its end, or cancels it past `MAX_ANSWER_BYTES`; never throws. */
async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body === null) return
  const reader = body.getReader()
  let read = 0
  try {
    for (;;) {
      const chunk = await reader.read()
      if (chunk.done) return
      read += chunk.value.byteLength
      if (read > MAX_ANSWER_BYTES) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // Aborted or reset while reading: the status has been counted, the connection is gone.
  }
}

/** The default transport: Node.js's global fetch. */
export const fetchTransport: WebhookTransport = async (request) => {
  let target: { url: string; authorization?: string }
  try {
    target = splitCredentials(request.url)
  } catch {
    return { error: 'the webhook URL is not a URL' }
  }
  const headers = webhookHeaders(request)
  if (target.authorization !== undefined) headers['authorization'] = target.authorization
  // The dispatcher's signal ends the attempt; the transport's own timeout makes it safe alone.
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)])
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body: request.body,
      redirect: 'manual',
      signal,
    })
    // Read to the end before answering, so the next batch finds the connection free.
    await discard(response.body)
    return { status: response.status }
  } catch (error) {
    if (request.signal.aborted) return { error: 'aborted' }
    if (signal.aborted) return { error: `timeout: no answer within ${request.timeoutMs} ms` }
    return { error: describeError(error) }
  }
}
