import { REPORTING_ROUTES } from './reporting/index.js'
import type { SignedRoute } from './signed-route.js'

/**
 * Every endpoint of the signed API, family by family: the one list the `/v1` scope registers and
 * OpenAPI, Postman, the CLI and the conformance runner read.
 */
// Each entry is typed by its own schemas; the table holds them as the common shape (the scope
// validates a body against the entry's schema before its `answer` sees it).
export const SIGNED_ROUTES: readonly SignedRoute[] = [
  ...REPORTING_ROUTES,
] as unknown as readonly SignedRoute[]
