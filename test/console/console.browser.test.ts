/**
 * The console in headless Chromium: sign in with the form, open every page, requeue, add a
 * credential, and find, export and erase a learner through the forms, all with no script on the page. Every control has
 * an accessible name and the keyboard reaches it. With WRITE_CONSOLE_SHOTS=1, screenshots go to
 * docs/console/ for the README.
 */
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchChromium, violationsOf, watchedPage } from '../support/browser.js';
import { upsertIdentityLinks } from '../../src/catalog/identity-links.js';
import { CourseStore } from '../../src/catalog/courses.js';
import { TeacherStore } from '../../src/catalog/teachers.js';
import { loadConfig } from '../../src/config/index.js';
import { findErasure } from '../../src/db/erased-learners.js';
import { saveCoach } from '../../src/ingest/khan/coach-store.js';
import { findLearner } from '../../src/learners/find.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { runImport, type ImportItem } from '../../src/lrs/import-run.js';
import { CredentialStore } from '../../src/lrs/server/credential-store.js';
import { Outbox } from '../../src/lrs/outbox.js';
import { importFutureLearn } from '../../src/pipelines/futurelearn.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { SECRET } from '../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { makeStatement, makeStatements } from '../support/statements.js';
import { CONSOLE_TOKEN } from './console-app.js';

const NO_BROWSER = browserMissing('console');
const SHOTS = fileURLToPath(new URL('../../docs/console/', import.meta.url));

/**
 * The README's screenshot `name` of `page`, written only with WRITE_CONSOLE_SHOTS=1: a test
 * run leaves the repository as it found it.
 */
async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (process.env.WRITE_CONSOLE_SHOTS === '1') await page.screenshot({ path: `${SHOTS}${name}.png`, ...options });
}
const REFUSED = 'the LRS refused the statement (400): verb.id is not an IRI';
/** The settings naming learners, and a FutureLearn learner of the fixture run the learners page finds and erases. */
const CONFIG = loadConfig({ PSEUDONYM_SECRET: SECRET });
const FUTURELEARN_RUN = 'test/fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19';
const LEARNER = 'l-cccc3333';
const silent = pino({ level: 'silent' });

/** The few browser globals the page scripts below touch (the project compiles without the DOM library). */
interface PageGlobals {
  document: {
    activeElement: { getAttribute(name: string): string | null; setAttribute(name: string, value: string): void; tagName: string } | null;
    querySelectorAll(selector: string): ArrayLike<unknown>;
  };
}

/** The controls a person uses: links, buttons, fields. */
const CONTROLS = 'a[href], button, input:not([type="hidden"]), select, textarea, [tabindex="0"]';

/** Seeds every page: 1 pending row, 2 dead and 1 conflict, an import run (3 more pending) with a rejection, statements, a credential, a Khan coach, courses and a teacher. */
async function seed(t: TestDatabase, lrs: RunningLrs): Promise<void> {
  const outbox = new Outbox(t.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
  await outbox.enqueue(makeStatements(4, 'browser-outbox'), 'edx');
  const rows = await outbox.claim('seed', 4, 60);
  await outbox.settle('seed', rows.slice(0, 2), { state: 'dead', reason: REFUSED });
  await outbox.settle('seed', rows.slice(2, 3), { state: 'conflict', reason: 'the LRS holds another statement with this id' });
  function* items(): Generator<ImportItem> {
    for (let i = 0; i < 3; i++) yield { at: `tracking.log:${i + 1}`, type: 'play_video', statements: [makeStatement(`browser-import-${i}`, i)] };
    yield { at: 'tracking.log:4', type: 'problem_check', rejection: { code: 'missing_field', field: 'event.problem_id', detail: 'event.problem_id is missing' } };
  }
  await runImport(items(), { database: t.database, outbox, source: 'edx', input: 'tracking.log' });
  const auth = `Basic ${Buffer.from(`${LRS_USER.username}:${LRS_USER.password}`).toString('base64')}`;
  const res = await fetch(`${lrs.endpoint}statements`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3' }, body: JSON.stringify(makeStatements(6, 'browser-lrs')) });
  expect(res.status).toBe(200);
  await new CredentialStore(t.database).add('learning-locker', 'read', 'the research LRS');
  await saveCoach(t.database, createSecretKey(randomBytes(32)), { coachId: 'kaid_coach_1', email: 'coach@example.org', token: { token: 'khan-token', tokenSecret: 'khan-secret' } });
  await new TeacherStore(t.database).put({ id: 't-exemplo', name: 'Ana Exemplo', imageUrl: 'https://www.example.org/ana.jpg', descriptions: { en: 'Professor.' } });
  await new CourseStore(t.database).put({
    id: 'cs101', platform: 'edx', platformCourseId: 'course-v1:OrgX+CS101+2026', titles: { en: 'Introduction to Computer Science' }, descriptions: { en: 'Programs and data.' },
    languages: ['en'], url: 'https://lms.example.org/courses/cs101/about', organisation: 'Example University', interestArea: 'ECO:TS', teachers: ['t-exemplo'], published: true,
  });
  await new CourseStore(t.database).put({ id: 'draft-2027', platform: 'futurelearn', platformCourseId: 'draft', titles: { en: 'A course in the making' } });
}

/** Every control of the page without an accessible name (a label, aria-label(ledby), or text). */
function unnamedControls(page: Page): Promise<string[]> {
  return page.$$eval(CONTROLS, (els) => els.filter((el) => {
    const labelled = (el.labels?.length ?? 0) > 0 || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    return !labelled && (el.textContent ?? '').trim() === '';
  }).map((el) => el.outerHTML.slice(0, 120)));
}

/** Tabs through the page from the top; returns how many controls there are and how many the keyboard reached. */
async function tabThrough(page: Page): Promise<{ controls: number; reached: number }> {
  const controls = await page.$$eval(CONTROLS, (els) => {
    els.forEach((el, i) => el.setAttribute('data-control', String(i)));
    return els.length;
  });
  const reached = new Set<string>();
  for (let i = 0; i < controls + 3; i++) {
    await page.keyboard.press('Tab');
    const mark = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('data-control') ?? null);
    if (mark !== null) reached.add(mark);
  }
  return { controls, reached: reached.size };
}

describe.skipIf(NO_BROWSER)('the operator console in headless Chromium', () => {
  let db: TestDatabase;
  let lrs: RunningLrs;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    db = await freshDatabase('pglite');
    // One credential store for /xapi and the console, as service.ts builds it.
    lrs = await startEmbeddedLrs(db.database, { adminToken: CONSOLE_TOKEN, credentials: new CredentialStore(db.database), learners: { config: CONFIG } });
    await seed(db, lrs);
    await mkdir(SHOTS, { recursive: true });
    browser = await launchChromium();
    page = await watchedPage(browser, { viewport: { width: 1280, height: 900 } }, problems);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await lrs?.close();
    await db?.drop();
  });

  it('sends a visitor to the sign-in form, and signs in with the admin token', async () => {
    await page.goto(`${lrs.origin}/console/outbox`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, 'sign-in');
    await page.getByLabel('Admin token').fill(CONSOLE_TOKEN);
    await Promise.all([page.waitForURL('**/console/outbox'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.textContent('h1')).toBe('Outbox');
  });

  for (const [path, name, heading] of [
    ['/console/outbox', 'outbox', 'Outbox'],
    ['/console/imports', 'imports', 'Imports'],
    ['/console/imports/1', 'import-run', 'Import run 1'],
    ['/console/pulls', 'pulls', 'Pulls'],
    ['/console/lrs', 'statements', 'Statements'],
    ['/console/lrs/credentials', 'credentials', 'LRS credentials'],
    ['/console/catalogue', 'catalogue', 'Catalogue'],
  ] as const) {
    it(`renders ${path} with every control named and reached by the keyboard, and no script`, async () => {
      const res = await page.goto(`${lrs.origin}${path}`);
      expect(res?.status()).toBe(200);
      expect(await page.textContent('h1')).toBe(heading);
      expect(await page.$$eval('script', (s) => s.length)).toBe(0);
      expect(await page.$$eval('main table th[scope="col"]', (th) => th.length)).toBeGreaterThan(0);
      expect(await unnamedControls(page)).toEqual([]);
      await shot(page, name, { fullPage: true });
      const { controls, reached } = await tabThrough(page);
      expect(reached).toBe(controls);
    });
  }

  it('offers a skip link as the first stop of the keyboard, which moves focus to the content', async () => {
    await page.goto(`${lrs.origin}/console/catalogue`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.tagName)).toBe('A');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('id') ?? null)).toBe('main');
  });

  it('opens one statement from the browser', async () => {
    await page.goto(`${lrs.origin}/console/lrs`);
    await Promise.all([page.waitForURL('**/console/lrs/statements/*'), page.locator('main table a').first().click()]);
    expect(JSON.parse((await page.textContent('pre'))!)).toMatchObject({ verb: { id: 'https://w3id.org/xapi/video/verbs/played' } });
    await shot(page, 'statement');
  });

  it('requeues all rows of a reason with its button, end to end', async () => {
    await page.goto(`${lrs.origin}/console/outbox`);
    await Promise.all([page.waitForURL('**/console/outbox?requeued=2'), page.getByRole('button', { name: `Requeue all 2 dead rows of reason: ${REFUSED}` }).click()]);
    expect(await page.textContent('[role="status"]')).toContain('2 statement(s) put back to pending');
    expect(await page.textContent('dl.figures')).toMatch(/Pending6/);
    const status = await new Outbox(db.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 }).status();
    expect(status.counts).toMatchObject({ pending: 6, dead: 0, conflict: 1 });
  });

  it('requeues a selected row with the keyboard only', async () => {
    await page.goto(`${lrs.origin}/console/outbox`);
    await page.getByRole('checkbox').first().focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Requeue selected' }).focus();
    await Promise.all([page.waitForURL('**/console/outbox?requeued=1'), page.keyboard.press('Enter')]);
    expect(await page.textContent('dl.figures')).toMatch(/Conflict0/);
  });

  it('adds a credential through the form and shows its secret once', async () => {
    await page.goto(`${lrs.origin}/console/lrs/credentials`);
    await page.getByLabel('Username').fill('research');
    await page.getByLabel('Label (who uses it)').fill('the research team');
    await page.getByRole('button', { name: 'Add' }).click();
    await page.waitForLoadState('load');
    const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await shot(page, 'credential-added');
    const res = await fetch(`${lrs.endpoint}statements`, { headers: { Authorization: `Basic ${Buffer.from(`research:${secret}`).toString('base64')}`, 'X-Experience-API-Version': '1.0.3' } });
    expect(res.status).toBe(200);
    await page.goto(`${lrs.origin}/console/lrs/credentials`);
    expect(await page.content()).not.toContain(secret);
  });

  it('finds a learner of a real import, downloads their archive, and erases them after the confirmation', async () => {
    await upsertIdentityLinks(db.database, [{ platform: 'futurelearn', platformUserId: LEARNER, ecoUserId: 'eco-user-3' }]);
    const outbox = new Outbox(db.database, { baseMs: 10, maxMs: 100, maxAttempts: 5 });
    await importFutureLearn({ paths: [FUTURELEARN_RUN] }, { config: CONFIG, database: db.database, outbox, logger: silent });
    // Delivered to the embedded LRS, so that the page counts them in both stores.
    await new Flusher({ outbox, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30, client: new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 }) }).flushUntilIdle();
    const held = await findLearner({ config: CONFIG, database: db.database }, 'futurelearn', LEARNER);
    await page.goto(`${lrs.origin}/console/learners`);
    await page.getByRole('combobox', { name: /^Platform/ }).selectOption('futurelearn');
    await page.getByLabel('Platform user id').fill(LEARNER);
    await Promise.all([page.waitForURL('**/console/learners?platform=futurelearn&user=*'), page.getByRole('button', { name: 'Find' }).click()]);
    expect(await page.textContent('dl.figures')).toContain(`Rows held${held.total}`);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, 'learners', { fullPage: true });
    const { controls, reached } = await tabThrough(page);
    expect(reached).toBe(controls);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download everything held of them/ }).click()]);
    expect(download.suggestedFilename()).toBe('learner-futurelearn.tar.gz');
    expect(await download.failure()).toBeNull();

    await Promise.all([page.waitForURL('**/console/learners/erase'), page.getByRole('button', { name: 'Erase this learner…' }).click()]);
    expect(await page.textContent('main')).toMatch(/This will erase \d+ statements in the outbox, 1 learner profile, 1 identity link to ECO, \d+ statements in the embedded LRS/);
    expect(await findErasure(db.database, 'futurelearn', pseudonym(SECRET, LEARNER))).toBeUndefined();
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByLabel('Type the user id again to confirm').fill(LEARNER);
    await shot(page, 'learner-erase');
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.waitForLoadState('load');
    expect(await page.textContent('h1')).toBe('Learner erased');
    expect(await page.textContent('[role="status"]')).toContain(`Erased ${held.total} row(s)`);
    expect((await findLearner({ config: CONFIG, database: db.database }, 'futurelearn', LEARNER)).total).toBe(0);
    expect(await findErasure(db.database, 'futurelearn', pseudonym(SECRET, LEARNER))).toMatchObject({ erasedBy: 'console' });
  });

  it('signs out', async () => {
    await Promise.all([page.waitForURL('**/console/sign-in'), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.goto(`${lrs.origin}/console/outbox`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });

  it('had no console error, no failed request and no CSP violation on any page', async () => {
    expect(await violationsOf(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
