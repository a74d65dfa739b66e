import { exampleBodyOf, fullPath } from '../routes/signed-route.js'
import { SIGNED_ROUTES } from '../routes/signed-routes.js'

/**
 * The example body of a route, for `sign` and `curl` without `--data` or `--body`: the first of
 * the `examples` of the route's body schema in the signed API's table, as a client sends it
 * (compact JSON). Loaded only when needed, since the schemas bring TypeBox.
 */
export function exampleBody(method: string, resource: string): string | undefined {
  const path = resource.split('?', 1)[0] ?? ''
  const route = SIGNED_ROUTES.find((entry) => entry.method === method && fullPath(entry) === path)
  const example = route === undefined ? undefined : exampleBodyOf(route)
  return example === undefined ? undefined : JSON.stringify(example)
}
