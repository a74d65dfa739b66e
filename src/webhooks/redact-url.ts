/**
 * A URL as logs, the journal and the admin API may show it: a user name, a password or a query
 * may be credentials (`https://user:pw@hooks.example.com/?token=…`), so they are replaced.
 */
export function redactUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return '[not a URL]'
  }
  if (url.username !== '') url.username = 'redacted'
  if (url.password !== '') url.password = 'redacted'
  if (url.search !== '') url.search = '?redacted'
  url.hash = ''
  return url.href
}
