import { Type } from 'typebox'

/**
 * Primitives shared by the API, the fixtures and the links. Schemas live in TypeBox; types
 * come from `Static<typeof X>`.
 */

/** A staff number (sicil) or customer number as the fixtures and links hold it. */
export const PARTY_ID_PATTERN = '^[0-9A-Za-z._-]{1,64}$'
export const PartyId = Type.String({ pattern: PARTY_ID_PATTERN })

/** The largest time a JavaScript Date can hold, in epoch milliseconds. */
export const MAX_EPOCH_MS = 8_640_000_000_000_000

/** Unix epoch milliseconds, as the Diyalog API sends dates (a Java `long`). */
export const EpochMillis = Type.Integer({ minimum: -MAX_EPOCH_MS, maximum: MAX_EPOCH_MS })

/**
 * A Java `long` id beyond 2^53 (`callId`, `onlineHelpId`, D18): held as a `bigint` and written
 * as an exact JSON integer (`json-text.ts`); OpenAPI shows `integer`, `int64`.
 */
export const Int64 = Type.Unsafe<bigint>({ type: 'integer', format: 'int64' })
