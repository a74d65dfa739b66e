/**
 * TypeBox's validation errors, read for people: the request body's (`http/json-body.ts`), the
 * admin API's and the fixture files' (`store/fixture-loader.ts`) messages are all built from
 * `readSchemaErrors`.
 */

/** The TypeBox/Ajv-style error fields read here. */
export interface SchemaError {
  readonly keyword: string
  readonly schemaPath: string
  readonly instancePath: string
  readonly params: Record<string, unknown>
  readonly message: string
}

/** One thing wrong, at `at` (the keys from the root to the value concerned). */
export type SchemaProblem =
  | { readonly at: readonly string[]; readonly unknownFields: readonly string[] }
  | { readonly at: readonly string[]; readonly error: SchemaError }

/** The keys of a JSON pointer such as `/messages/0/sentAt` (`~1` for `/`, `~0` for `~` undone). */
export function pointerKeys(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/**
 * The errors in order, with the unknown fields of each object gathered into one problem. TypeBox
 * reports a field no schema allows twice — at the field, as "schema is false" (the `false` of
 * `additionalProperties`), and at its object, naming them all — and stops after a few errors
 * (its `maxErrors`, 8), so either report may be all there is.
 */
export function readSchemaErrors(errors: Iterable<SchemaError>): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  const unknown = new Map<string, { at: readonly string[]; unknownFields: string[] }>()
  const unknownFields = (at: readonly string[], fields: readonly string[]) => {
    const key = JSON.stringify(at)
    let found = unknown.get(key)
    if (found === undefined) {
      found = { at, unknownFields: [] }
      unknown.set(key, found)
      problems.push(found)
    }
    for (const field of fields) if (!found.unknownFields.includes(field)) found.unknownFields.push(field)
  }
  for (const error of errors) {
    const at = pointerKeys(error.instancePath)
    if (error.keyword === 'anyOf') {
      // "must be number; must be string; must match a schema in anyOf" is one problem: the
      // alternatives' errors at the same value come before it and fold into it.
      const prefix = `${error.schemaPath}/anyOf/`
      const alternatives = problems.filter(
        (problem): problem is { at: readonly string[]; error: SchemaError } =>
          'error' in problem && problem.error.schemaPath.startsWith(prefix),
      )
      for (const alternative of alternatives) problems.splice(problems.indexOf(alternative), 1)
      const types = alternatives.map((alternative) =>
        alternative.error.keyword === 'type' ? String(alternative.error.params['type']) : undefined,
      )
      const message =
        types.length > 0 && types.every((type) => type !== undefined)
          ? `must be ${[...new Set(types)].join(' or ')}`
          : 'matches none of the shapes it may have'
      problems.push({ at, error: { ...error, keyword: 'type', message } })
    } else if (error.keyword === 'additionalProperties') {
      unknownFields(at, (error.params['additionalProperties'] as string[] | undefined) ?? [])
    } else if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) {
      unknownFields(at.slice(0, -1), at.slice(-1))
    } else {
      problems.push({ at, error })
    }
  }
  return problems
}

/** `unknown field a` or `unknown fields a, b`. */
export function unknownFieldsText(fields: readonly string[]): string {
  return `unknown field${fields.length === 1 ? '' : 's'} ${fields.join(', ')}`
}
