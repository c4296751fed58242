import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchChromium, violationsOf, watchedPage } from '../../support/browser.js';
import { EmbeddedStatementQuery } from '../../../src/lrs/server/statement-reader.js';
import { StatementStore } from '../../../src/lrs/server/statement-store.js';
import { freshDatabase, type TestDatabase } from '../../support/databases.js';
import { tickingClock } from '../../support/clock.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';
import { flLearnerOf, seedTestRun, TEST_RUN, TEST_RUN_NAME } from '../../support/futurelearn-statements.js';
import { mergeFutureLearnProfiles } from '../../../src/ingest/learner-profiles.js';

const NO_BROWSER = browserMissing('dashboard');
const TOKEN = 'fl-browser-admin-token';

/** The few browser globals the page scripts below touch (the project compiles without the DOM library). */
interface PageGlobals {
  document: {
    createElement(tag: 'style'): { textContent: string | null };
    head: { append(node: unknown): void };
  };
}

/** A bar as the browser laid it out. */
interface RenderedBar {
  chart: string;
  group: string;
  metric: string;
  value: number;
  width: number;
  title: string;
}

async function barsOf(page: Page, chartPrefix: string): Promise<RenderedBar[]> {
  return page.$$eval(`figure[data-chart^="${chartPrefix}"] rect.bar`, (rects) =>
    rects.map((r) => ({
      chart: r.closest('figure')!.getAttribute('data-chart')!,
      group: r.getAttribute('data-group')!,
      metric: r.getAttribute('data-metric')!,
      value: Number(r.getAttribute('data-value')),
      width: r.getBoundingClientRect().width,
      title: r.querySelector('title')?.textContent ?? '',
    })),
  );
}

/** Every bar's rendered width over its value is one constant: the bars are drawn to one scale. */
function expectProportional(bars: RenderedBar[]): void {
  const scale = Math.max(...bars.map((b) => b.width / Math.max(b.value, Number.MIN_VALUE)).filter((k) => Number.isFinite(k)));
  expect(scale).toBeGreaterThan(0);
  for (const b of bars) expect(Math.abs(b.width - b.value * scale), `${b.chart} ${b.group} ${b.metric}`).toBeLessThan(0.6);
}

describe.skipIf(NO_BROWSER)('the FutureLearn run dashboard in headless Chromium', () => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  // The LRS stamps `stored` on this clock: the later export is stored later without a wait.
  const clock = tickingClock();
  beforeAll(async () => {
    db = await freshDatabase('pglite');
    lrs = await startEmbeddedLrs(db.database, { statementStore: new StatementStore(db.database, clock.now), adminToken: TOKEN, futurelearnReports: { statements: new EmbeddedStatementQuery(db.database) } });
    await seedTestRun(db.database, lrs.endpoint, clock);
    // A and B answered; C answered "Unknown"; D and E gave nothing.
    const profile = (learner: string, gender: string, country: string) => ({ platform: 'futurelearn', learner: flLearnerOf(learner), gender, country });
    await mergeFutureLearnProfiles(db.database, [profile('A', 'female', 'GB'), profile('B', 'male', 'GB'), profile('C', 'Unknown', 'SE')]);
    browser = await launchChromium();
    // The token as a Basic password: what a person types when the browser asks.
    page = await watchedPage(browser, { httpCredentials: { username: 'admin', password: TOKEN } }, problems);
    const res = await page.goto(`${lrs.origin}/reports/futurelearn/${TEST_RUN.course}/${TEST_RUN.run}`);
    expect(res?.status()).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await lrs?.close();
    await db?.drop();
  });

  it('renders with no console error, no failed request and no CSP violation', async () => {
    expect(await violationsOf(page)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('shows the run name as text: its <script> is neither an element nor run', async () => {
    expect(await page.title()).toBe(`${TEST_RUN_NAME} – run ${TEST_RUN.run} · FutureLearn reports`);
    expect(await page.textContent('h1')).toBe(`${TEST_RUN_NAME} – run ${TEST_RUN.run}`);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
  });

  it('shows the overview figures and draws them to scale against the joiners', async () => {
    const figures = await page.$$eval('[data-figure]', (els) => els.map((e) => [e.getAttribute('data-figure'), Number(e.getAttribute('data-learners')), e.querySelector('dd')!.textContent]));
    expect(figures.slice(0, 4)).toEqual([
      ['joiners', 5, '5 (100%)'],
      ['leavers', 2, '2 (40%)'],
      ['learners', 4, '4 (80%)'],
      ['active_learners', 4, '4 (80%)'],
    ]);
    const bars = await barsOf(page, 'overview');
    expect(bars.map((b) => b.value)).toEqual([5, 2, 4, 4, 2, 3, 1, 2, 1, 2]);
    expectProportional(bars);
    expect(bars[5]!.title).toBe('Social learners: 3 (60% of joiners)');
  });

  it('draws the step funnel per week, visited and completed per step, all weeks to one scale', async () => {
    const bars = await barsOf(page, 'funnel-week-');
    expect(bars.map((b) => `${b.chart} ${b.group} ${b.metric} ${b.value}`)).toEqual([
      'funnel-week-1 Step 1.1 visited 4', 'funnel-week-1 Step 1.1 completed 4',
      'funnel-week-1 Step 1.2 visited 3', 'funnel-week-1 Step 1.2 completed 2',
      'funnel-week-1 Step 1.3 visited 2', 'funnel-week-1 Step 1.3 completed 2',
      'funnel-week-2 Step 2.1 visited 3', 'funnel-week-2 Step 2.1 completed 2',
      'funnel-week-2 Step 2.2 visited 1', 'funnel-week-2 Step 2.2 completed 1',
      'funnel-week-2 Step 2.3 visited 1', 'funnel-week-2 Step 2.3 completed 1',
    ]);
    expectProportional(bars);
    expect(bars[2]!.title).toBe('Step 1.2 visited: 3 (75% of learners)');
    expect(await page.$$eval('figure[data-chart^="funnel-week-"] figcaption', (c) => c.map((e) => e.textContent))).toEqual([
      'Week 1: learners who visited and completed each step (of 4 learners) visited completed',
      'Week 2: learners who visited and completed each step (of 4 learners) visited completed',
    ]);
  });

  it('draws comments and replies per step', async () => {
    const bars = await barsOf(page, 'comments');
    expect(bars.map((b) => [b.group, b.metric, b.value])).toEqual([
      ['Step 1.1', 'comments', 1], ['Step 1.1', 'replies', 1],
      ['Step 2.1', 'comments', 2], ['Step 2.1', 'replies', 1],
    ]);
    expectProportional(bars);
    expect(bars[0]!.title).toBe('Step 1.1: 1 comments, 6 likes, 2 commenters');
  });

  it('draws the share correct of each quiz question against 100%', async () => {
    const bars = await barsOf(page, 'quiz');
    expect(bars.map((b) => [b.group, b.value])).toEqual([['Step 1.3 Q1', 40], ['Step 1.3 Q2', 66.7], ['Step 2.2 Q1', 0]]);
    expectProportional(bars);
    expect(bars[2]!.width).toBe(0);
    const full = await page.$eval('figure[data-chart="quiz"]', (f) => Number(f.getAttribute('data-max')));
    expect(full).toBe(100);
    expect(await page.$$eval('figure[data-chart="quiz"] text.value', (t) => t.map((e) => e.textContent))).toEqual(['40%', '66.7%', '0%']);
  });

  it('lists the videos with their titles as text', async () => {
    const rows = await page.$$eval('tr[data-step]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual([['1.2', 'Welcome', '125', '12'], ['1.10', 'Extra', '45', '3'], ['2.1', 'Week 2 <b>recap</b>', '300', '7']]);
  });

  it('draws the demographics per answer, and says which questions the data do not hold', async () => {
    const bars = await barsOf(page, 'demographics-');
    expect(bars.map((b) => `${b.chart} ${b.group} ${b.value}`)).toEqual([
      'demographics-gender Unknown 1', 'demographics-gender female 1', 'demographics-gender male 1',
      'demographics-country GB 2', 'demographics-country SE 1',
    ]);
    expectProportional(bars.filter((b) => b.chart === 'demographics-country'));
    expect(await page.$eval('table[data-demographic="gender"] tfoot', (t) => t.textContent)).toBe('Answered3No answer2');
    expect(await page.$$eval('p[data-demographic]', (ps) => ps.map((p) => p.getAttribute('data-demographic')))).toEqual(['age_range', 'highest_education_level', 'employment_status', 'employment_area']);
  });

  it('draws sign-ups per day as points on a line, and the heat map darker where more learners first visited', async () => {
    const points = await page.$$eval('figure[data-chart="signups"] circle.point', (cs) => cs.map((c) => [c.getAttribute('data-label'), c.getAttribute('data-metric'), Number(c.getAttribute('data-value')), c.getBoundingClientRect().top]));
    const joined = points.filter((p) => p[1] === 'joined');
    expect(joined).toHaveLength(9); // 1 to 9 March
    expect(joined[0]!.slice(0, 3)).toEqual(['2026-03-01', 'joined', 5]);
    // Higher on the screen for more learners.
    expect(joined[0]![3]).toBeLessThan(joined[1]![3] as number);
    const cells = await page.$$eval('figure[data-chart="step-heatmap"] rect.cell', (rs) => rs.map((r) => [r.getAttribute('data-row'), r.getAttribute('data-column'), Number(r.getAttribute('data-value')), r.getAttribute('fill')]));
    const cell = (row: string, column: string) => cells.find((c) => c[0] === row && c[1] === column)!;
    expect(cell('Step 1.1', '2026-03-02').slice(0, 3)).toEqual(['Step 1.1', '2026-03-02', 2]); // A and E
    const brightness = (fill: string) => parseInt(fill.slice(1, 3), 16) + parseInt(fill.slice(3, 5), 16) + parseInt(fill.slice(5, 7), 16);
    expect(brightness(cell('Step 1.1', '2026-03-02')[3] as string)).toBeLessThan(brightness(cell('Step 1.1', '2026-03-03')[3] as string));
    expect(cell('Step 2.2', '2026-03-02')[2]).toBe(0);
    const weekly = await barsOf(page, 'weekly-comments-');
    expect(weekly.map((b) => `${b.group} ${b.metric} ${b.value}`)).toEqual([
      'Week 1 comments 1', 'Week 1 replies 1', 'Week 2 comments 2', 'Week 2 replies 1',
      'Week of 2026-03-02 comments 1', 'Week of 2026-03-02 replies 1', 'Week of 2026-03-09 comments 2', 'Week of 2026-03-09 replies 1',
    ]);
    expectProportional(weekly);
  });

  it('fits a phone 390 px wide: nothing overflows sideways, the charts shrink to the screen and stay to scale', async () => {
    const phone = await browser.newContext({ httpCredentials: { username: 'admin', password: TOKEN }, viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    try {
      const small = await phone.newPage();
      expect((await small.goto(`${lrs.origin}/reports/futurelearn/${TEST_RUN.course}/${TEST_RUN.run}`))?.status()).toBe(200);
      expect(await small.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(390);
      expect(await small.$eval('html', (html) => html.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await small.$eval('body', (body) => body.scrollWidth)).toBeLessThanOrEqual(390);
      // The heat map keeps its cells readable and scrolls in its own box instead.
      const box = await small.$eval('figure[data-chart="step-heatmap"] .scroll', (d) => ({ right: d.getBoundingClientRect().right, svg: d.querySelector('svg')!.getBoundingClientRect().width, drawn: Number(d.querySelector('svg')!.getAttribute('width')) }));
      expect(box.right).toBeLessThanOrEqual(390);
      expect(box.svg).toBe(box.drawn);
      const charts = await small.$$eval('figure svg[role="img"]:not(.heatmap)', (svgs) => svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { left: box.left, right: box.right, width: box.width, drawn: Number(svg.getAttribute('width')) };
      }));
      expect(charts.length).toBeGreaterThan(4);
      for (const c of charts) {
        expect(c.left).toBeGreaterThanOrEqual(0);
        expect(c.right).toBeLessThanOrEqual(390);
        // Shrunk from the width it is drawn at, but not to a sliver.
        expect(c.width).toBeLessThan(c.drawn);
        expect(c.width).toBeGreaterThan(300);
      }
      expectProportional(await barsOf(small, 'funnel-week-'));
      expectProportional(await barsOf(small, 'quiz'));
    } finally {
      await phone.close();
    }
  });

  it('shows the comparison of runs on a phone: figures per run, nothing overflowing, no CSP violation', async () => {
    const phone = await browser.newContext({ httpCredentials: { username: 'admin', password: TOKEN }, viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const small = await phone.newPage();
      expect((await small.goto(`${lrs.origin}/reports/futurelearn/${TEST_RUN.course}/compare?runs=1,2`))?.status()).toBe(200);
      expect(await small.$$eval('tr[data-figure="joiners"] td', (tds) => tds.map((td) => [td.getAttribute('data-run'), td.textContent]))).toEqual([['1', '1'], ['2', '5']]);
      expect(await small.$eval('html', (html) => html.scrollWidth)).toBeLessThanOrEqual(390);
      const bars = await barsOf(small, 'compare-figures');
      expect(bars.filter((b) => b.group === 'Joiners').map((b) => [b.metric, b.value])).toEqual([['run-1', 1], ['run-2', 5]]);
      expectProportional(bars);
      expect(await small.$$eval('script', (s) => s.length)).toBe(0);
    } finally {
      await phone.close();
    }
  });

  // Last: it breaks the policy on purpose, to show that the listener above hears breaches.
  it('would have seen a violation: the policy blocks a style the page did not ship', async () => {
    await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const style = document.createElement('style');
      style.textContent = 'body { color: red }';
      document.head.append(style);
    });
    await expect.poll(() => violationsOf(page)).toEqual([expect.stringMatching(/^style-src/)]);
  });
});
