import { REPORTING_ROUTES } from './reporting/index.js'
import type { SignedRoute } from './signed-route.js'

/**
 * Every endpoint of the signed API, family by family: the one list the `/v1` scope registers and
 * OpenAPI, Postman, the CLI and the conformance runner read.
 */
export const SIGNED_ROUTES: readonly SignedRoute[] = [...REPORTING_ROUTES]
