import type { Static, TObject, TSchema } from 'typebox'
import type { Clock } from '../clock.js'
import type { LinkSigner } from '../links/link-signer.js'
import type { Store } from '../store/store.js'

/**
 * An endpoint of the signed API (`/v1/...`, HMAC-authenticated), as one table entry: its path,
 * its one-line summary, its body and answer schemas — each with the documentation's example —
 * and its decision as a plain function. The `/v1` scope (v1.ts) registers every entry of
 * `SIGNED_ROUTES`, and OpenAPI, the Postman collection, the CLI's `sign`/`curl` defaults and the
 * conformance runner read the same entries: adding an endpoint is its file and one line in its
 * family's table. Nothing here loads Fastify.
 */

/** What every endpoint may use, passed to all of them once. */
export interface SignedRouteDeps {
  readonly store: Store
  readonly linkSigner: LinkSigner
  readonly clock: Clock
  /** Base of the minted links, e.g. `http://localhost:3000`. */
  readonly publicUrl: () => string
}

export interface SignedRoute<Body extends TObject = TObject, Reply extends TSchema = TSchema> {
  readonly method: 'POST'
  /** Under `/v1`, e.g. `/reporting/getmessagingdetail`. */
  readonly path: string
  /** The OpenAPI tag: the documentation's family. */
  readonly family: 'Reporting API'
  /** One line, for OpenAPI, Postman and the CLI. */
  readonly summary: string
  /** Its first `examples` entry is the documentation's example body (a test checks every entry). */
  readonly body: Body
  /** The 200 answer; its field order is kept as the handler builds it (the documentation's). */
  readonly reply: Reply
  /**
   * Fields the documentation renamed, old name → new (D20): still ignored like every unknown
   * field, and the ignored-fields header says what they became.
   */
  readonly oldNames?: Readonly<Record<string, string>>
  /**
   * The endpoint's decision, without HTTP. `note` adds a sentence to the answer's
   * `x-dlg-mock-notes` header (a `pageSize` served smaller, an unknown id); an `ApiFailure`
   * thrown here is the documented "HTTP 500, the message as text".
   */
  readonly answer: (
    body: Static<Body>,
    deps: SignedRouteDeps,
    nowMs: number,
    note: (text: string) => void,
  ) => Static<Reply>
}

/** The API's own failure (docs/contract.md §1, D8): HTTP 500 with the message as plain text. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure'
}

/** Where the signed API lives: the `/v1` scope's prefix. */
export const V1_PREFIX = '/v1'

/** An entry of a family's table, typed by its own schemas (its `answer` gets its body's type). */
export function signedRoute<Body extends TObject, Reply extends TSchema>(
  route: SignedRoute<Body, Reply>,
): SignedRoute<Body, Reply> {
  return route
}

/** `POST /v1/reporting/...`: the full path of an entry. */
export function fullPath(route: Pick<SignedRoute, 'path'>): string {
  return `${V1_PREFIX}${route.path}`
}

/** The documentation's example body of an entry: its body schema's first `examples` entry. */
export function exampleBodyOf<Body extends TObject>(
  route: Pick<SignedRoute<Body>, 'body'>,
): Static<Body> | undefined {
  const { examples } = route.body as { readonly examples?: readonly Static<Body>[] }
  return examples?.[0]
}
