import { jsonShape } from '../json-shape.js'
import type { FastifySchemaCompiler } from 'fastify'
import { errorCodes } from 'fastify'
import secureJson from 'secure-json-parse'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { pointerKeys, readSchemaErrors, unknownFieldsText, type SchemaError } from '../schema-errors.js'

/**
 * Body decoding and validation for the signed API, run only after authentication.
 * Every problem is a `RequestBodyError`: HTTP 500 with a plain-text message naming the field
 * (docs/contract.md D8), the way the Diyalog server answers API failures.
 */
export class RequestBodyError extends Error {
  readonly statusCode = 500
  constructor(problem: string) {
    super(`Invalid request body: ${problem}`)
    this.name = 'RequestBodyError'
  }
}

const JSON_MEDIA_TYPE = 'application/json'

/** No request body of the API nests deeper than 2; this is far above it and far below harm. */
export const MAX_JSON_DEPTH = 32

/** Whether JSON text nests arrays and objects deeper than `limit` (brackets inside strings do not count). */
export function nestsDeeperThan(raw: Uint8Array, limit: number): boolean {
  return jsonShape(raw, limit).depth > limit
}

/** A Content-Type's media type, lower case, without parameters (`charset`…). */
export function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';')
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase()
}

/**
 * Decodes a signed request's raw body as JSON. A Content-Type other than
 * `application/json` (parameters such as `charset` allowed) is refused with 415.
 */
export function decodeJsonBody(contentType: string | undefined, raw: Buffer): unknown {
  if (contentType === undefined || mediaType(contentType) !== JSON_MEDIA_TYPE) {
    const error = new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE()
    error.message = `Unsupported Content-Type ${JSON.stringify(contentType ?? '')}: the API takes ${JSON_MEDIA_TYPE}`
    throw error
  }
  if (raw.length === 0) throw new RequestBodyError('the body is empty, expected a JSON object')
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new RequestBodyError(`arrays and objects nest deeper than ${MAX_JSON_DEPTH} levels`)
  }
  try {
    return secureJson.parse(raw.toString('utf8'), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    })
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new RequestBodyError(`not valid JSON (${detail})`)
  }
}

/** The JSON type of a value, as the messages name it (`integer` for a whole number). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer'
  return typeof value
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root
  for (const key of pointerKeys(pointer)) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  }
  return value
}

/** One readable sentence per schema error, naming the field and what is wrong with it. */
/** A value as JSON, cut to 64 characters: the client's own input, quoted back. */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing'
  return text.length <= 64 ? text : `${text.slice(0, 61)}...`
}

export function describeSchemaErrors(errors: Iterable<SchemaError>, value: unknown): string {
  const sentences = readSchemaErrors(errors).map((problem) => {
    const field = problem.at.join('.')
    if ('unknownFields' in problem) {
      return `${unknownFieldsText(problem.unknownFields)}${field === '' ? '' : ` (in ${field})`}`
    }
    const { error } = problem
    if (error.keyword === 'required') {
      const names = (error.params['requiredProperties'] ?? [error.params['missingProperty']]) as unknown[]
      const missing = names.filter(
        (name) =>
          typeof name === 'string' &&
          jsonType(valueAt(value, `${error.instancePath}/${name}`)) === 'undefined',
      )
      return `missing required field${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`
    }
    if (field === '' && error.keyword === 'type') {
      return `the body must be a JSON object (got ${jsonType(value)})`
    }
    const got = error.keyword === 'type' ? ` (got ${jsonType(valueAt(value, error.instancePath))})` : ''
    // An enum names what it allows, so the answer teaches the fix (`callType`: all, video, voice).
    const allowed = error.params['allowedValues']
    const message =
      error.keyword === 'enum' && Array.isArray(allowed)
        ? `must be one of ${allowed.map((option) => JSON.stringify(option)).join(', ')} (got ${shortJson(valueAt(value, error.instancePath))})`
        : error.message
    return field === '' ? `the body ${message}` : `field ${field} ${message}${got}`
  })
  return [...new Set(sentences)].join('; ')
}

/**
 * Fastify validator compiler for the signed scope: TypeBox's compiled checker, whose
 * failures become `RequestBodyError`s. TypeBox neither coerces types nor strips fields,
 * so what the handler sees is what the client sent.
 */
export const bodyValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema }) => {
  const validator = Compile(schema)
  return (value: unknown) =>
    validator.Check(value)
      ? { value }
      : { error: new RequestBodyError(describeSchemaErrors(validator.Errors(value), value)) }
}
