import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertIdentityLinks } from '../../src/catalog/identity-links.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { instant } from '../../src/console/layout.js';
import { findErasure } from '../../src/db/erased-learners.js';
import { findLearner } from '../../src/learners/find.js';
import { LrsClient } from '../../src/lrs/client.js';
import { DeliveryStats } from '../../src/lrs/delivery-stats.js';
import { Flusher } from '../../src/lrs/flusher.js';
import { importFutureLearn } from '../../src/pipelines/futurelearn.js';
import { pseudonym } from '../../src/xapi/ids.js';
import { TEST_NOW } from '../support/clock.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { SECRET } from '../support/edx-events.js';
import { LRS_USER, startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';
import { consoleApp, movableClock, signedIn } from './console-app.js';

const silent = pino({ level: 'silent' });
const RUN = 'test/fixtures/futurelearn/uni-x/climate-change/3 - 2026-01-05 - 2026-01-19';
/** A FutureLearn learner of the fixture, linked to an ECO user; and another, who must stay. */
const USER = 'l-cccc3333';
const OTHER = 'l-bbbb2222';
const FIND = `/console/learners?platform=futurelearn&user=${USER}`;

describe.each(DATABASE_KINDS)("the console's learners page on %s", (kind) => {
  let t: TestDatabase;
  let lrs: RunningLrs;
  let config: Config;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  const logged: string[] = [];

  beforeEach(async () => {
    t = await freshDatabase(kind);
    config = loadConfig({ PSEUDONYM_SECRET: SECRET });
    // A real import of a FutureLearn run, delivered to the embedded LRS.
    await upsertIdentityLinks(t.database, [{ platform: 'futurelearn', platformUserId: USER, ecoUserId: 'eco-user-3' }]);
    const made = consoleApp(t.database, movableClock(), {
      learners: { config }, accessLog: true,
      logger: pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => done(void logged.push(chunk.toString())) })),
    });
    await importFutureLearn({ paths: [RUN] }, { config, database: t.database, outbox: made.outbox, logger: silent });
    lrs = await startEmbeddedLrs(t.database);
    await new Flusher({
      outbox: made.outbox, stats: new DeliveryStats(), logger: silent, batchSize: 100, leaseSeconds: 30,
      client: new LrsClient({ endpoint: lrs.endpoint, ...LRS_USER, timeoutMs: 10_000 }),
    }).flushUntilIdle();
    signed = await signedIn(made.app);
  });
  afterEach(async () => {
    await lrs.close();
    await t.drop();
  });

  const deps = () => ({ config, database: t.database });
  const rowsOf = async (user: string) => Object.fromEntries((await findLearner(deps(), 'futurelearn', user)).places.map((p) => [p.name, p.rows]));
  const erase = (fields: Record<string, string>) => signed.agent.post('/console/learners/erase').type('form').send({ platform: 'futurelearn', user: USER, ...fields });

  it('shows the find form, in the navigation, and what find counts of a learner in every place', async () => {
    const empty = await signed.agent.get('/console/learners').expect(200);
    expect(empty.text).toContain('<a href="/console/learners" aria-current="page">Learners</a>');
    expect(empty.text).toContain('<label for="l-user">Platform user id');
    const rows = await rowsOf(USER);
    expect(rows.outbox).toBeGreaterThan(0);
    expect(rows.lrs_statements).toBe(rows.outbox);
    const page = await signed.agent.get(FIND).expect(200);
    expect(page.text).toContain(`<code>${pseudonym(SECRET, USER)}</code>`);
    expect(page.text).toContain(`<td><code class="nowrap">outbox</code></td><td>gateway</td><td><span class="n">${rows.outbox}</span></td><td>sent ${rows.outbox}</td>`);
    expect(page.text).toContain(`<td><code class="nowrap">lrs_statements</code></td><td>embedded LRS</td><td><span class="n">${rows.lrs_statements}</span></td>`);
    expect(page.text).toContain('<td><code class="nowrap">learner_profiles</code></td><td>gateway</td><td><span class="n">1</span></td>');
    expect(page.text).toContain('<td><code class="nowrap">identity_links</code></td><td>gateway</td><td><span class="n">1</span></td>');
    expect(page.text).toContain('<dt>Linked to an ECO user</dt><dd>yes</dd>');
    expect(page.text).toContain('<dt>Erased before</dt><dd>no</dd>');
    expect(page.text).toContain(`href="/console/learners/export?platform=futurelearn&#38;user=${USER}"`);
  });

  it('downloads the same archive as the admin API, behind the session', async () => {
    const archive = await signed.agent.get(`/console/learners/export?platform=futurelearn&user=${USER}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(archive.headers['content-disposition']).toBe('attachment; filename=learner-futurelearn.tar.gz');
    const tar = gunzipSync(archive.body as Buffer).toString('utf8');
    for (const file of ['README.txt', 'outbox.ndjson', 'lrs_statements.ndjson', 'learner_profiles.csv', 'identity_links.csv']) expect(tar).toContain(file);
    expect(tar).not.toContain(pseudonym(SECRET, OTHER));
  });

  it('refuses an erasure without the CSRF token (403), and erases nothing', async () => {
    const before = await rowsOf(USER);
    await erase({}).expect(403);
    await erase({ confirming: 'yes', confirm: USER, csrf: 'not-the-token' }).expect(403);
    expect(await rowsOf(USER)).toEqual(before);
  });

  it('asks first, naming the counts; a GET or a wrong confirmation erases nothing', async () => {
    const before = await rowsOf(USER);
    const ask = await erase({ csrf: signed.csrf }).expect(200);
    expect(ask.text).toContain(`This will erase ${before.outbox} statements in the outbox, 1 learner profile, 1 identity link to ECO, ${before.lrs_statements} statements in the embedded LRS`);
    expect(ask.text).toContain('<input type="hidden" name="confirming" value="yes">');
    expect(ask.text).toContain('<label for="l-confirm">Type the user id again to confirm');
    const wrong = await erase({ csrf: signed.csrf, confirming: 'yes', confirm: OTHER }).expect(400);
    expect(wrong.text).toContain('confirm: that is not the user id of this learner; nothing was erased');
    await erase({ csrf: signed.csrf, confirming: 'yes' }).expect(400);
    await signed.agent.get('/console/learners/erase').expect(404);
    expect(await rowsOf(USER)).toEqual(before);
    expect(await findErasure(t.database, 'futurelearn', pseudonym(SECRET, USER))).toBeUndefined();
  });

  it('erases after the confirmation: their data is gone, the registry has the pseudonym, the others stay', async () => {
    const before = await rowsOf(USER);
    const others = await rowsOf(OTHER);
    const done = await erase({ csrf: signed.csrf, confirming: 'yes', confirm: USER }).expect(200);
    expect(done.text).toContain(`<td><code class="nowrap">outbox</code></td><td><span class="n">${before.outbox}</span></td><td>${before.outbox} statements in the outbox</td>`);
    expect(done.text).toContain('nothing: every copy was in the gateway');
    expect(done.text).not.toContain('<td><code class="nowrap">lrs_documents</code>');
    expect(Object.values(await rowsOf(USER)).every((n) => n === 0)).toBe(true);
    expect(await rowsOf(OTHER)).toEqual(others);
    expect(await findErasure(t.database, 'futurelearn', pseudonym(SECRET, USER))).toMatchObject({ erasedBy: 'console', counts: { outbox: before.outbox } });
    const after = await signed.agent.get(FIND).expect(200);
    expect(after.text).toContain(`<dt>Erased before</dt><dd>${instant(new Date(TEST_NOW))} by console</dd>`);
    expect(after.text).toContain('<dt>Rows held</dt><dd>0</dd>');
    // The access log names routes, never the id the operator typed.
    expect(logged.some((line) => line.includes('/console/learners'))).toBe(true);
    expect(logged.join('')).not.toContain(USER);
  });

  it('names what an external LRS keeps, on the confirmation and in the result', async () => {
    const external = loadConfig({ PSEUDONYM_SECRET: SECRET, LRS_ENDPOINT: lrs.endpoint, LRS_USERNAME: LRS_USER.username, LRS_PASSWORD: LRS_USER.password });
    const { agent, csrf } = await signedIn(consoleApp(t.database, movableClock(), { learners: { config: external } }).app);
    const sent = (await rowsOf(USER)).outbox;
    const fields = { platform: 'futurelearn', user: USER, csrf };
    expect((await agent.post('/console/learners/erase').type('form').send(fields).expect(200)).text).toContain('Statements already delivered to the external LRS (LRS_ENDPOINT) stay there');
    const done = await agent.post('/console/learners/erase').type('form').send({ ...fields, confirming: 'yes', confirm: USER }).expect(200);
    expect(done.text).toContain(`<td>external LRS (LRS_ENDPOINT)</td><td><span class="n">${sent}</span></td><td>statements delivered to the external LRS stay there`);
    expect(done.text).toContain(`name ${pseudonym(SECRET, USER)} in that LRS`);
  });

  it('answers bad fields with a page naming the field, never a 500', async () => {
    expect((await signed.agent.get('/console/learners?platform=moodle&user=1').expect(400)).text).toContain('platform: must be one of edx, coursera, futurelearn, khan');
    expect((await signed.agent.get('/console/learners?platform=khan').expect(400)).text).toContain('user: required');
    expect((await signed.agent.get(`/console/learners?platform=khan&user=${'x'.repeat(300)}`).expect(400)).text).toContain('user: at most 256 characters');
    expect((await signed.agent.get('/console/learners?platform=khan&user=a%00b').expect(400)).text).toContain('U+0000');
    // edX learners need EDX_LMS_URL, unset here.
    expect((await signed.agent.get('/console/learners?platform=edx&user=42').expect(400)).text).toContain('platform: EDX_LMS_URL is not set');
    await signed.agent.get('/console/learners/export').expect(400);
  });

  it('says learner rights are off in an app without their settings', async () => {
    const { agent, csrf } = await signedIn(consoleApp(t.database).app);
    await agent.get('/console/learners').expect(200);
    expect((await agent.get(`/console/learners?platform=futurelearn&user=${USER}`).expect(400)).text).toContain('learner rights are off in this app');
    await agent.post('/console/learners/erase').type('form').send({ csrf, platform: 'futurelearn', user: USER, confirming: 'yes', confirm: USER }).expect(400);
    expect((await rowsOf(USER)).outbox).toBeGreaterThan(0);
  });
});
