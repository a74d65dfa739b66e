import { messagingBody, type ConformanceCase, type FollowUp } from '../case.js'
import { describeAnswer, fail, linkOf, pageOpens, PASS } from '../checks.js'
import { EMPTY_WINDOW } from './getmessagingdetail.js'

/**
 * The dynamic link (docs/contract.md §3 and §5): it opens in a plain GET as an HTML page, also for a
 * window without messages; the mock's links refuse a tampered copy.
 */

/** Opens the link of a getmessagingdetail answer as a browser would, without credentials. */
function openLink(change?: (url: URL) => URL | undefined): FollowUp {
  return {
    explain: change
      ? 'GET the conversationDetailLink of the answer, one query parameter changed (Accept: text/html)'
      : 'GET the conversationDetailLink of the answer (Accept: text/html, no credentials)',
    request: (answer) => {
      const link = linkOf(answer)
      if (typeof link === 'string') return { problem: `no link to open: ${link}` }
      const url = change === undefined ? link : change(link)
      if (url === undefined) return { problem: 'the link has no parameter to change' }
      return { method: 'GET', url: url.href, headers: { Accept: 'text/html' } }
    },
  }
}

/**
 * Changes the first parameter's value, e.g. `staffId=45188` → `staffId=451881`: in the query,
 * or — for a single-page app's link such as `views.html#/messaging?…` — in the fragment's.
 * A fragment is not sent, so only the page's own script could refuse such a link.
 */
function tamper(link: URL): URL | undefined {
  const url = new URL(link)
  const [name, value] = [...url.searchParams][0] ?? []
  if (name !== undefined) {
    url.searchParams.set(name, `${value ?? ''}1`)
    return url
  }
  const query = url.hash.indexOf('?')
  if (query < 0) return undefined
  const params = new URLSearchParams(url.hash.slice(query + 1))
  const [first, firstValue] = [...params][0] ?? []
  if (first === undefined) return undefined
  params.set(first, `${firstValue ?? ''}1`)
  url.hash = `${url.hash.slice(1, query)}?${params.toString()}`
  return url
}

export const linkCases: readonly ConformanceCase[] = [
  {
    id: 'links.open',
    level: 'MUST',
    ref: '§3, §5',
    description: 'the link of a successful answer opens in a plain GET as an HTML page',
    expected: 'GET <link> → 200 text/html',
    request: (c) => c.signed({ body: messagingBody(c.target) }),
    followUp: openLink(),
    check: ([, page]) => pageOpens(page),
  },
  {
    id: 'links.empty-window',
    level: 'MUST',
    ref: '§3',
    description: 'the link for a window without messages opens too (with empty content)',
    expected: 'GET <link> → 200 text/html',
    request: (c) => c.signed({ body: messagingBody(c.target, EMPTY_WINDOW) }),
    followUp: openLink(),
    check: ([, page]) => pageOpens(page),
  },
  {
    id: 'links.tampered',
    level: 'DECISION',
    ref: '§5',
    description: "the link with one query parameter changed does not open (the mock's links are signed)",
    expected: 'GET <changed link> → 403',
    request: (c) => c.signed({ body: messagingBody(c.target) }),
    followUp: openLink(tamper),
    check: ([, page]) =>
      page === undefined
        ? fail('the link was not opened')
        : page.status === 403
          ? PASS
          : fail(`the changed link answered ${describeAnswer(page)}`),
  },
]
