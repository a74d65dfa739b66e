import type { FastifyReply, FastifyRequest, preParsingAsyncHookHandler } from 'fastify'
import type { Clock } from '../clock.js'
import {
  CLIENT_STRING_TO_SIGN_HEADER,
  decodeClientStringToSign,
  diagnosisHeaders,
} from './diagnosis-headers.js'
import { readRawBody } from './raw-body.js'
import { AUTH_ERRORS } from '../auth/auth-errors.js'
import type { DiagnosisBudget } from '../auth/diagnosis-budget.js'
import { diagnoseRequest, type Diagnosis } from '../auth/diagnosis.js'
import { createDiagnosisMemo } from '../auth/diagnosis-memo.js'
import {
  createVerifier,
  type AuthFailure,
  type CheckedHeaders,
  type VerifierOptions,
} from '../auth/verifier.js'

const EMPTY_BODY = Buffer.alloc(0)

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received; set by HMAC authentication on the signed routes. */
    rawBody: Buffer | null
  }
}

/** Thrown by the hook; the app's error handler answers it with the documented status and text. */
export class AuthenticationError extends Error {
  readonly statusCode: number
  constructor(readonly failure: AuthFailure) {
    super(AUTH_ERRORS[failure.reason].message)
    this.name = 'AuthenticationError'
    this.statusCode = AUTH_ERRORS[failure.reason].status
  }

  /**
   * Without a stack trace: a refused request is an expected answer, not a bug, and capturing
   * the stack was the largest cost of the refusal paths (~10 µs a request).
   */
  static of(failure: AuthFailure): AuthenticationError {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      return new AuthenticationError(failure)
    } finally {
      Error.stackTraceLimit = limit
    }
  }
}

export interface HmacAuthOptions extends VerifierOptions {
  readonly clock: Clock
  readonly bodyLimit: number
  /** Explain each failure in `x-dlg-mock-*` response headers (`DLG_DIAGNOSTICS`). */
  readonly diagnostics: boolean
  /** What the search for known mistakes may spend; default: the process's budget. */
  readonly diagnosisBudget?: DiagnosisBudget
  readonly acceptHeaderAliases: boolean
}

/** Response header that says when a D2/D3 compatibility setting let a request through. */
export const COMPAT_NOTICE_HEADER = 'x-dlg-mock-compat'

/** What a log line may say about a failure: never the signature, the header value or a secret. */
function describeFailure(failure: AuthFailure): Record<string, unknown> {
  const { ok: _ok, ...details } = failure
  return details
}

/**
 * The Fastify adapter of the verifier, installed as a `preParsing` hook: the earliest point
 * where the body stream exists and the last one before Fastify looks at the Content-Type
 * or parses anything. Header-only checks run before the body is read; the signature is
 * checked over the raw bytes; only then does the stream go on to the body parser.
 */
export function createHmacAuthHook(options: HmacAuthOptions): preParsingAsyncHookHandler {
  const verifier = createVerifier(options)
  const memo = createDiagnosisMemo()
  /** A remembered diagnosis's headers, made once: escaping the string-to-sign is most of a 401's cost. */
  const headersOf = new WeakMap<Diagnosis, ReturnType<typeof diagnosisHeaders>>()
  const headersFor = (diagnosis: Diagnosis) => {
    let headers = headersOf.get(diagnosis)
    if (headers === undefined) headersOf.set(diagnosis, (headers = diagnosisHeaders(diagnosis)))
    return headers
  }

  /**
   * Answers the documented error; with diagnostics on, explains it in headers and the log.
   * `checked` is what the header checks returned, `body` what was read (nothing for a header failure).
   */
  function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    failure: AuthFailure,
    checked: CheckedHeaders | AuthFailure,
    body: Buffer = EMPTY_BODY,
  ): never {
    const auth = describeFailure(failure)
    if (options.diagnostics) {
      try {
        const received = { method: request.method, resource: request.url, headers: request.headers, body }
        // Only a signature failure is worth remembering: the others cost nothing to explain.
        const key = checked.ok ? memo.keyOf(checked, received) : undefined
        let diagnosis = key === undefined ? undefined : memo.get(key)
        if (diagnosis === undefined) {
          diagnosis = diagnoseRequest(failure, checked, received, {
            keyring: options.keyring,
            maxSkewSeconds: options.maxSkewSeconds,
            acceptHeaderAliases: options.acceptHeaderAliases,
            clientStringToSign: decodeClientStringToSign(request.headers[CLIENT_STRING_TO_SIGN_HEADER]),
            budget: options.diagnosisBudget,
          })
          if (key !== undefined) memo.set(key, diagnosis)
        }
        reply.headers(headersFor(diagnosis))
        request.authOutcome = {
          verdict: 'failed',
          ...('keyId' in failure ? { keyId: failure.keyId } : {}),
          diagnosis,
        }
        // The log gets the verdict, not the string-to-sign or the diff: they quote the body.
        auth['diagnosis'] = {
          reason: diagnosis.reason,
          detail: diagnosis.detail,
          mistakes: diagnosis.mistakes,
        }
      } catch (error) {
        // A diagnosis is a courtesy: whatever it trips on, the documented answer still goes out.
        request.log.error({ err: error }, 'could not diagnose the authentication failure')
      }
    }
    request.authOutcome ??= { verdict: 'failed', ...('keyId' in failure ? { keyId: failure.keyId } : {}) }
    request.log.warn({ auth }, `authentication failed: ${AUTH_ERRORS[failure.reason].message}`)
    throw AuthenticationError.of(failure)
  }

  return async function authenticate(request, reply, payload) {
    const checked = verifier.checkHeaders(request.headers, options.clock.now())
    if (!checked.ok) {
      // The body is left unread. Node drains a small one to keep the connection alive;
      // one that is too large, or of unknown size, ends the connection instead.
      const declared = request.headers['content-length']
      if (request.headers['transfer-encoding'] !== undefined || Number(declared) > options.bodyLimit) {
        reply.header('connection', 'close')
      }
      refuse(request, reply, checked, checked)
    }

    let body: Buffer
    try {
      body = await readRawBody(payload, options.bodyLimit, request.headers['content-length'])
    } catch (error) {
      // The client may still be sending the rest: answer, then close the connection.
      reply.header('connection', 'close')
      throw error
    }
    // Kept for the body parser, and for the journal even when the signature fails.
    request.rawBody = body
    const result = verifier.checkSignature(checked, { method: request.method, resource: request.url, body })
    if (!result.ok) refuse(request, reply, result, checked, body)

    // Who called, on behalf of whom: the access line that completes the request says it.
    request.authOutcome = { verdict: 'ok', keyId: result.keyId, requesterUserId: result.requesterUserId }
    if (result.aliasesUsed.length > 0 || result.layout !== 'canonical') {
      const notices = [
        ...result.aliasesUsed.map((alias) => `header-alias=${alias}`),
        ...(result.layout === 'canonical' ? [] : [`string-to-sign=${result.layout}`]),
      ]
      reply.header(COMPAT_NOTICE_HEADER, notices.join('; '))
      request.log.info({ notices, keyId: result.keyId }, 'accepted through a compatibility setting')
    }
    return payload
  }
}
