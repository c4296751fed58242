/**
 * The frame of every FutureLearn report page (the run dashboard, the index of runs, the
 * comparison of runs): one stylesheet, allowed by hash, and no script at all, so
 * `DASHBOARD_CSP` can forbid everything else, and the headers every page is sent with.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml } from './svg-chart.js';

const STYLE = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1rem 1.5rem; color: #1b1b1b; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .6rem; }
.figures div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .7rem; }
.figures dt { font-size: .85rem; color: #444; } .figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.figures dd span { font-size: .9rem; font-weight: 400; color: #555; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
.legend { list-style: none; display: inline; margin: 0 0 0 1rem; padding: 0; font-weight: 400; }
.legend li { display: inline; margin-right: .8rem; }
table { border-collapse: collapse; } th, td { border-bottom: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }
td.n { text-align: right; } .empty { color: #666; }
/* A phone: charts shrink to the screen (their viewBox keeps them to scale), wide tables scroll in their box. */
svg[role="img"] { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; }
/* The heat map keeps its cells readable: it scrolls in its box instead of shrinking. */
.scroll svg.heatmap { max-width: none; }
@media (max-width: 480px) { body { padding: .75rem; } h1 { font-size: 1.3rem; } }
`;

/** The page's Content-Security-Policy: no scripts, nothing fetched, only its own stylesheet. */
const DASHBOARD_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  // The empty data: favicon keeps browsers from asking the server for /favicon.ico.
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every page: its CSP, no caching, no sniffing, no referrer. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Sends a page with `PAGE_HEADERS`. */
export function sendPage(res: Response, html: string): void {
  res.set(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
}

/** A whole page: `title` (escaped here), `header` and `main` as HTML already escaped. */
export function renderPage(title: string, header: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · FutureLearn reports</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>
${header}</header>
<main>
${main}
</main>
</body>
</html>
`;
}
