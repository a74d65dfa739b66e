/**
 * A base URL that links and requests are built on (`DLG_PUBLIC_URL`, the CLI's `--base-url`):
 * an absolute http(s) URL without query, fragment or credentials, without its trailing slash.
 * One rule for the server's configuration and the command line.
 */
export function readBaseUrl(raw: string, name: string): { url: string } | { problem: string } {
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    // reported below
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    return {
      problem: `${name} must be an http(s) URL without query or fragment, such as http://localhost:3000 (got ${JSON.stringify(raw)})`,
    }
  }
  if (url.username !== '' || url.password !== '')
    return { problem: `${name} must not carry a user name or password` }
  return { url: url.href.replace(/\/+$/, '') }
}
