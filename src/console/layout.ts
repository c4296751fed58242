/**
 * The shell of every console page: a skip link, a header with sign-out, the page list as
 * navigation, and the page's main content. No script anywhere and one stylesheet allowed
 * by hash, so `CONSOLE_CSP` forbids everything else; forms may post only to the console.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from '../reports/futurelearn/svg-chart.js';

const STYLE = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 0; color: #1b1b1b; overflow-wrap: anywhere; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .3rem .6rem; z-index: 1; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; padding: .6rem 1.5rem; background: #0b3d5c; color: #fff; }
header a { color: #fff; } header form { margin-left: auto; }
header button { color: #fff; background: transparent; border: 1px solid #fff; border-radius: 4px; cursor: pointer; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; text-decoration: none; border-bottom: 2px solid #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .6rem; }
.figures div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .7rem; }
.figures dt { font-size: .85rem; color: #444; } .figures dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
table { border-collapse: collapse; margin: .5rem 0; } caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; vertical-align: top; } td.n { text-align: right; }
th, button, .nowrap { overflow-wrap: normal; white-space: nowrap; }
form.filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: .5rem 0; }
form.filters label, form.stacked label { display: flex; flex-direction: column; font-size: .9rem; }
form.stacked { display: grid; gap: .6rem; max-width: 26rem; }
input, select, button { font: inherit; padding: .2rem .4rem; }
:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
.notice { border-left: 4px solid #009E73; padding: .4rem .8rem; background: #eefaf5; }
.error { border-left: 4px solid #D55E00; padding: .4rem .8rem; background: #fdf0e8; }
.empty { color: #555; } .scroll { overflow-x: auto; } pre { background: #f5f5f5; padding: .8rem; overflow-x: auto; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; } svg[role="img"] { max-width: 100%; height: auto; }
.legend { list-style: none; display: inline; margin: 0 0 0 1rem; padding: 0; font-weight: 400; } .legend li { display: inline; margin-right: .8rem; }
`;

/** The console's Content-Security-Policy: no scripts, nothing fetched, forms only to itself. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The pages of the console, in the order of its navigation. */
export const CONSOLE_PAGES = [
  { path: '/console/outbox', label: 'Outbox' },
  { path: '/console/imports', label: 'Imports' },
  { path: '/console/pulls', label: 'Pulls' },
  { path: '/console/lrs', label: 'Statements' },
  { path: '/console/lrs/credentials', label: 'LRS credentials' },
  { path: '/console/catalogue', label: 'Catalogue' },
  { path: '/console/learners', label: 'Learners' },
] as const;

/** A path of the console's navigation. */
export type ConsolePath = (typeof CONSOLE_PAGES)[number]['path'];

/** Text as HTML (content or a quoted attribute). */
export const esc = escapeHtml;

/** A hidden field carrying the session's CSRF token: every console form has one. */
export const csrfField = (csrf: string): string => `<input type="hidden" name="csrf" value="${esc(csrf)}">`;

/** An instant as ISO 8601 to the second, or a dash. */
export const instant = (d: Date | string | null | undefined): string => (d == null ? '–' : new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** A path with the set, non-empty `params` as its query. */
export function hrefOf(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** A table with a caption and column headers; cells are HTML already escaped. */
export function table(caption: string, headers: readonly string[], rows: readonly string[][], empty = 'None.'): string {
  if (rows.length === 0) return `<p class="empty">${esc(caption)}: ${esc(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table></div>`;
}

/** Figures as a definition list of boxes. */
export function figures(items: readonly [label: string, value: string][]): string {
  return `<dl class="figures">${items.map(([label, value]) => `<div><dt>${esc(label)}</dt><dd>${esc(value)}</dd></div>`).join('')}</dl>`;
}

/** What a page hands the shell. */
export interface PageSpec {
  title: string;
  /** The navigation entry it belongs to. */
  current?: ConsolePath;
  /** The session's CSRF token; absent on the sign-in page, which has no navigation. */
  csrf?: string;
  body: string;
  notice?: string;
  error?: string;
}

/** The whole HTML of a console page; every text from data must come escaped in `body`. */
export function renderPage(spec: PageSpec): string {
  const nav = spec.csrf === undefined ? '' : `<nav aria-label="Console pages"><ul>${CONSOLE_PAGES
    .map((p) => `<li><a href="${p.path}"${p.path === spec.current ? ' aria-current="page"' : ''}>${esc(p.label)}</a></li>`)
    .join('')}</ul></nav>
<form method="post" action="/console/sign-out">${csrfField(spec.csrf)}<button type="submit">Sign out</button></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(spec.title)} · xapi-gateway console</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><strong>xapi-gateway console</strong>
${nav}
</header>
<main id="main" tabindex="-1">
<h1>${esc(spec.title)}</h1>
${spec.notice === undefined ? '' : `<p class="notice" role="status">${esc(spec.notice)}</p>`}
${spec.error === undefined ? '' : `<p class="error" role="alert">${esc(spec.error)}</p>`}
${spec.body}
</main>
</body>
</html>
`;
}

/** Sends a console page with its security headers; never cached (it shows live, private data). */
export function sendPage(res: Response, status: number, spec: PageSpec): void {
  res
    .status(status)
    .set({ 'Content-Security-Policy': CONSOLE_CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' })
    .type('text/html; charset=utf-8')
    .send(renderPage(spec));
}
