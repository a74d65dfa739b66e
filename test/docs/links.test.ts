import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * Every relative link of the documentation (README.md, CONTRIBUTING.md, docs/*.md) points at a
 * file that exists and, with a `#anchor` (alone or after a file), at a heading of that file, by
 * GitHub's rules for heading ids.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** The documentation files, relative to `root`. */
function documentationFiles(root: string): string[] {
  const docs = existsSync(join(root, 'docs'))
    ? (readdirSync(join(root, 'docs'), { recursive: true }) as string[])
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name.split(sep).join('/')}`)
    : []
  return ['README.md', 'CONTRIBUTING.md', ...docs.sort()].filter((file) => existsSync(join(root, file)))
}

/** The text outside fenced code blocks and HTML comments, with the same line numbers. */
function prose(markdown: string): string {
  const lines = markdown.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, '')).split('\n')
  let fence: string | undefined
  return lines
    .map((line) => {
      const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
      if (fence === undefined) {
        if (opening === undefined) return line
        fence = opening
        return ''
      }
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length)
        fence = undefined
      return ''
    })
    .join('\n')
}

/** GitHub's heading id: lower case, punctuation and symbols dropped (not `-` or `_`), each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

/** The ids of a file's headings, duplicates numbered as GitHub does (`x`, `x-1`, `x-2`). */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>()
  const seen = new Map<string, number>()
  for (const line of prose(markdown).split('\n')) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line)?.[1]
    if (heading === undefined) continue
    const base = slug(heading)
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    ids.add(count === 0 ? base : `${base}-${count}`)
  }
  return ids
}

interface Link {
  readonly line: number
  readonly target: string
}

/** The link targets of a file: inline links and images, and reference definitions. */
function links(markdown: string): Link[] {
  // Code spans may hold anything, brackets included, and may run over a line break.
  const text = prose(markdown).replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, (span) => span.replace(/[^\n]/g, 'x'))
  const found: Link[] = []
  const lineOf = (index: number) => text.slice(0, index).split('\n').length
  for (const match of text.matchAll(
    /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^()\s<>]*)>?(?:\s+"[^"]*")?\s*\)/g,
  )) {
    found.push({ line: lineOf(match.index), target: match[1] ?? '' })
  }
  for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    found.push({ line: lineOf(match.index), target: match[1] ?? '' })
  }
  return found
}

/** Every broken relative link under `root`, as `file:line: target: problem`. */
function brokenLinks(root: string): string[] {
  const problems: string[] = []
  const idsOf = new Map<string, Set<string>>()
  const ids = (file: string) => {
    let known = idsOf.get(file)
    if (known === undefined) idsOf.set(file, (known = headingIds(readFileSync(file, 'utf8'))))
    return known
  }
  for (const file of documentationFiles(root)) {
    const absolute = join(root, file)
    for (const { line, target } of links(readFileSync(absolute, 'utf8'))) {
      const where = `${file}:${line}: ${target}`
      if (target === '') {
        problems.push(`${where}: empty link`)
        continue
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue // absolute URL
      const hash = target.indexOf('#')
      const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash))
      const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1))
      const linked = path === '' ? absolute : resolve(dirname(absolute), path)
      if (relative(root, linked).startsWith('..')) {
        problems.push(`${where}: outside the repository`)
        continue
      }
      if (!existsSync(linked)) {
        problems.push(`${where}: no such file`)
        continue
      }
      if (anchor === undefined) continue
      if (!linked.endsWith('.md')) problems.push(`${where}: an anchor into a file that is not Markdown`)
      else if (!ids(linked).has(anchor))
        problems.push(`${where}: no heading #${anchor} in ${relative(root, linked)}`)
    }
  }
  return problems
}

describe('the links of the documentation', () => {
  it('all resolve: every relative file exists and every #anchor names a heading', () => {
    expect(documentationFiles(REPO_ROOT)).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md']))
    expect(documentationFiles(REPO_ROOT).length).toBeGreaterThan(2)
    expect(documentationFiles(REPO_ROOT)).toContain('docs/reporting/getcalllist.md')
    expect(brokenLinks(REPO_ROOT)).toEqual([])
  })

  it('does find links: the README links into docs/ and to its own sections', () => {
    const readme = links(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).map((link) => link.target)
    expect(readme).toContain('docs/contract.md')
    expect(readme).toContain('#quick-start')
    expect(readme.some((target) => target.startsWith('docs/endpoints.md#'))).toBe(true)
  })
})

describe('the link checker', () => {
  it('makes heading ids as GitHub does', () => {
    expect(slug('Quick start')).toBe('quick-start')
    expect(slug('`POST /v1/reporting/getmessagingdetail`')).toBe('post-v1reportinggetmessagingdetail')
    expect(slug('Scale-out: more than one instance')).toBe('scale-out-more-than-one-instance')
    expect(slug('2. Authentication (HMAC)')).toBe('2-authentication-hmac')
    expect(slug('D5 — reading `x-dlg-date`')).toBe('d5--reading-x-dlg-date')
    expect(slug("Webhooks and the client's own APIs")).toBe('webhooks-and-the-clients-own-apis')
    expect(slug('`DLG_PAGE_SIZE` and [links](x.md)')).toBe('dlg_page_size-and-links')
    expect(slug('Güvenlik ve gizlilik')).toBe('güvenlik-ve-gizlilik')
    expect([...headingIds('# A\n## A\n```\n# not a heading\n```\n### A #\n')]).toEqual(['a', 'a-1', 'a-2'])
  })

  it('ignores links in code and finds them across line breaks', () => {
    const found = links(
      [
        'See [the\ncontract](docs/contract.md#7-decisions) and `[not](a-link.md)`.',
        '```md',
        '[also not](inside-a-fence.md)',
        '```',
        '![a picture](img.png "title") <!-- [hidden](comment.md) -->',
        '[ref]: docs/x.md#y',
      ].join('\n'),
    )
    expect(found).toEqual([
      { line: 1, target: 'docs/contract.md#7-decisions' },
      { line: 6, target: 'img.png' },
      { line: 7, target: 'docs/x.md#y' },
    ])
  })

  it('reports a missing file, a missing heading and a missing anchor in the same file', () => {
    const root = mkdtempSync(join(tmpdir(), 'links-'))
    try {
      writeFileSync(
        join(root, 'README.md'),
        [
          '# Title',
          '## Quick start',
          '[ok](#quick-start) [ok](CONTRIBUTING.md#adding-an-endpoint) [web](https://example.com/#x)',
          '[gone](docs/gone.md) [bad](CONTRIBUTING.md#no-such-heading) [self](#quickstart)',
        ].join('\n'),
      )
      writeFileSync(
        join(root, 'CONTRIBUTING.md'),
        '# Contributing\n\n## Adding an endpoint\n\n[up](../../etc/passwd)\n',
      )
      expect(brokenLinks(root)).toEqual([
        'README.md:4: docs/gone.md: no such file',
        'README.md:4: CONTRIBUTING.md#no-such-heading: no heading #no-such-heading in CONTRIBUTING.md',
        'README.md:4: #quickstart: no heading #quickstart in README.md',
        'CONTRIBUTING.md:5: ../../etc/passwd: outside the repository',
      ])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
