/**
 * What the browser tests share: Debian's Chromium (which .ci/run installs with
 * scripts/ensure-chromium.sh; without it a suite is skipped, saying so, and .ci/run fails),
 * and a page that records every console error or warning, page error, failed request and
 * Content-Security-Policy violation, so that a test can say there were none.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether Chromium is missing; if so, says which suite is skipped and how to get it. */
export function browserMissing(suite: string): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing) console.warn(`skipped: the ${suite} browser tests need ${CHROMIUM}; run sh scripts/ensure-chromium.sh (apt-get install -y chromium) to get it`);
  return missing;
}

/** Starts headless Chromium. */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });

/** The page globals the violation listener touches (the project compiles without the DOM library). */
interface ViolationGlobals {
  document: { addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void };
  violations?: string[];
}

/**
 * A page of a new context of `browser` whose problems are pushed on `problems`.
 * @example const page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } }, problems);
 */
export async function watchedPage(browser: Browser, options: BrowserContextOptions, problems: string[]): Promise<Page> {
  const context = await browser.newContext(options);
  // Added through the DevTools protocol, so the page's CSP does not stop it: it only listens.
  await context.addInitScript(() => {
    const g = globalThis as unknown as ViolationGlobals;
    g.document.addEventListener('securitypolicyviolation', (e) => {
      (g.violations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  return page;
}

/** The CSP violations the page has seen so far. */
export const violationsOf = (page: Page): Promise<string[]> => page.evaluate(() => (globalThis as unknown as ViolationGlobals).violations ?? []);
