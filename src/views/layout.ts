import { html, styleHash, trusted, type SafeHtml } from './html.js'

/**
 * The shell every page of the mock shares: one inline style, allowed by its hash in the
 * Content-Security-Policy, no script, no font or image from anywhere (system fonts only,
 * emoji from the system's emoji font).
 */

const CSS = `
:root{color-scheme:light;--ink:#1b1f24;--muted:#4f5661;--line:#d3d8de;--page:#f3f4f6;--card:#fff;--staff:#dcebff;--staff-line:#9fbfe8;--accent:#0b57d0}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--page);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:2px}
.skip{position:absolute;left:-9999px;top:.5rem;background:var(--card);padding:.5rem .75rem;z-index:1}
.skip:focus{left:.5rem}
.wrap{max-width:52rem;margin:0 auto;padding:0 1rem}
.masthead{background:var(--card);border-bottom:1px solid var(--line)}
.masthead .wrap{padding-bottom:.875rem}
.masthead.flush{border-bottom:0}
.masthead.flush .wrap{padding-bottom:0}
.summary{background:var(--card);border-bottom:1px solid var(--line)}
.summary .wrap{padding:.375rem 1rem 1rem}
.summary h1{margin-top:0}
.brand{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0;padding-top:.875rem;font-size:.8125rem;color:var(--muted)}
.brand strong{color:var(--ink);letter-spacing:.01em}
.badge{border:1px solid var(--line);border-radius:999px;padding:0 .5rem;font-size:.75rem}
h1{font-size:1.375rem;line-height:1.3;margin:.375rem 0 .875rem;overflow-wrap:anywhere}
.facts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.75rem 1.25rem;margin:0}
.facts .window{grid-column:1/-1}
@media (min-width:48rem){.facts{grid-template-columns:minmax(0,1fr) minmax(0,1fr) minmax(0,1.8fr) auto}.facts .window{grid-column:auto}}
.facts dt{font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.facts dd{margin:0;font-weight:500;overflow-wrap:anywhere}
.facts .sub{display:block;font-weight:400;font-size:.875rem;color:var(--muted)}
.facts .wide,.facts .long{grid-column:1/-1}
@media (min-width:48rem){.facts.many{grid-template-columns:repeat(4,minmax(0,1fr))}.facts.many .long{grid-column:span 2}}
.facts .api{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.8125rem}
.state{padding:.125rem .5rem;border:1px solid var(--staff-line);border-radius:.375rem;background:var(--staff);font-size:.875rem;font-weight:600;line-height:1.9;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.members{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.375rem}
.members li{padding:.125rem .625rem;border:1px solid var(--line);border-radius:999px;background:var(--page);font-size:.875rem;font-weight:500}
.members .role{font-weight:400;color:var(--muted)}
.player{background:var(--card);border:1px solid var(--line);border-radius:.875rem;padding:1rem 1.25rem;margin:1.5rem 0}
.player h2{margin:0 0 .75rem;font-size:1.125rem}
.player audio{display:block;width:100%}
.player p{margin:.625rem 0 0;font-size:.875rem;color:var(--muted)}
main{display:block;padding:0 0 1.5rem}
main>.wrap{padding-top:.5rem}
.pager{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.75rem 0;font-size:.9375rem}
.pager .status{flex:1 1 100%;margin:0;text-align:center;color:var(--muted)}
.pager .spacer{flex:1}
.pager .btn{display:inline-block;padding:.375rem .75rem;border:1px solid var(--line);border-radius:.5rem;background:var(--card);font-weight:600;text-decoration:none}
.pager a.btn[aria-disabled]{background:transparent;color:var(--muted);font-weight:400}
.day{margin:0}
.day h2{display:flex;align-items:center;gap:.75rem;margin:1.25rem 0 .75rem;font-size:.8125rem;font-weight:600;color:var(--muted)}
.day h2::before,.day h2::after{content:"";flex:1;border-top:1px solid var(--line)}
.messages{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.5rem}
.msg{align-self:flex-start;max-width:min(36rem,88%);padding:.5rem .75rem .375rem;background:var(--card);border:1px solid var(--line);border-radius:.875rem .875rem .875rem .25rem;overflow-wrap:anywhere}
.msg.staff,.msg.own{align-self:flex-end;background:var(--staff);border-color:var(--staff-line);border-radius:.875rem .875rem .25rem .875rem}
.who{margin:0;font-size:.8125rem;font-weight:600}
.who .role{font-weight:400;color:var(--muted)}
.text{margin:.125rem 0 0;white-space:pre-wrap}
.attachment{margin:.375rem 0 0}
.chip{display:inline-flex;flex-wrap:wrap;align-items:baseline;gap:.125rem .5rem;max-width:100%;padding:.25rem .625rem;background:var(--card);border:1px solid var(--line);border-radius:.5rem;font-size:.875rem}
.chip .kind{font-size:.6875rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.chip .name{font-weight:500}
.chip .size{color:var(--muted)}
.when{margin:.125rem 0 0;font-size:.75rem;color:var(--muted);text-align:right}
.empty,.notice{background:var(--card);border:1px solid var(--line);border-radius:.875rem;padding:1.5rem;margin:1.5rem 0}
.empty{border-style:dashed;text-align:center}
.notice{border-left:.25rem solid #b3261e}
.empty h2,.notice h1{margin-top:0;font-size:1.25rem}
.notice p:last-child,.empty p:last-child{margin-bottom:0}
.site-footer{border-top:1px solid var(--line);color:var(--muted);font-size:.8125rem;padding:1rem 0 2rem}
.site-footer p{margin:.25rem 0}
@media (max-width:30rem){h1{font-size:1.1875rem}.msg{max-width:94%}.pager{gap:.25rem}.pager .btn{padding:.25rem .4375rem;font-size:.8125rem}}
@media print{
body{background:#fff;font-size:11pt}
.skip,.pager .btn{display:none}
.masthead,.summary,.msg,.msg.staff,.msg.own,.chip,.empty,.notice,.player,.members li,.state{background:#fff}
.msg{break-inside:avoid;max-width:85%}
.msg.staff,.msg.own{border-style:dashed}
.player audio{display:none}
.day h2{break-after:avoid}
}
`.trim()

/** The CSP source that allows the shared inline style. */
export const PAGE_STYLE_HASH = styleHash(CSS)

/** The whole document; `title` is text, `body` already-escaped HTML. */
export function page(title: string, body: SafeHtml): string {
  // The <style> content must be exactly CSS: the Content-Security-Policy allows it by hash.
  return html`<!doctype html>
<html lang="tr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${trusted(CSS)}</style>
</head>
<body>
${body}
</body>
</html>
`.value
}

/** The product line at the top of every page; `section` names the kind of page. */
export function brand(section = 'Yazışma detayı'): SafeHtml {
  return html`<p class="brand"><strong>Diyalog</strong> <span>${section}</span> <span class="badge">diyalog-mock test sunucusu</span></p>`
}
