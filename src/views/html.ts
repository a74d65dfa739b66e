import { createHash } from 'node:crypto'

/**
 * Escape-by-default HTML templates: every interpolated value is escaped unless it is
 * already `SafeHtml` (the result of another `html` template).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

const SPECIAL = /[&<>"']/
const SPECIALS = /[&<>"']/g

export function escapeHtml(text: string): string {
  // Most values (names, times, ids) have nothing to escape: skip the replace.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (char) => ESCAPES[char] ?? char) : text
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) {
    let out = ''
    for (const item of value) out += render(item)
    return out
  }
  if (value === null || value === undefined || value === false) return ''
  return escapeHtml(String(value))
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '')
  return new SafeHtml(out)
}

/** Marks a constant, trusted string (never client or fixture data) as HTML. */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text)
}

/** The CSP source of an inline `<style>` block: `'sha256-…'`. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css).digest('base64')}'`
}
