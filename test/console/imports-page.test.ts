import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport, type ImportItem } from '../../src/lrs/import-run.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { makeStatement } from '../support/statements.js';
import { consoleApp, signedIn } from './console-app.js';

const LEARNER_EMAIL = 'ana.learner@example.org';

/** 10 good records, 3 ignored, 55 rejected (53 missing a field, 2 unreadable), each rejection keeping a raw record that names a learner. */
function* items(): Generator<ImportItem> {
  for (let i = 0; i < 10; i++) yield { at: `log.json:${i + 1}`, type: 'play_video', statements: [makeStatement(`imports-${i}`, i)] };
  for (let i = 0; i < 3; i++) yield { at: `log.json:${i + 11}`, type: 'page_close', ignored: true };
  for (let i = 0; i < 55; i++) {
    const rejection = i < 2 ? { code: 'unreadable' as const, detail: 'not JSON' } : { code: 'missing_field' as const, field: 'username', detail: 'username is missing' };
    yield { at: `log.json:${i + 14}`, type: 'problem_check', payload: `{"email":"${LEARNER_EMAIL}"}`, rejection };
  }
}

describe.each(DATABASE_KINDS)('the console\'s imports page on %s', (kind) => {
  let t: TestDatabase;
  let runId: number;
  let signed: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    const made = consoleApp(t.database);
    ({ runId } = await runImport(items(), { database: t.database, outbox: made.outbox, source: 'edx', input: 'log.json' }));
    signed = await signedIn(made.app);
  });
  afterAll(() => t.drop());

  it('lists the runs with their counts', async () => {
    const page = await signed.agent.get('/console/imports').expect(200);
    expect(page.text).toContain(`<a href="/console/imports/${runId}">Run ${runId}</a></td><td>edx</td><td>finished</td>`);
    expect(page.text).toMatch(/<td>68<\/td><td>10<\/td><td>10<\/td><td>3<\/td><td>55<\/td>/);
  });

  it('shows a run\'s rejections by reason and its rejected records paged, with position and reason but never the raw record', async () => {
    const page = await signed.agent.get(`/console/imports/${runId}`).expect(200);
    expect(page.text).toContain('<td>missing_field</td><td>53</td>');
    expect(page.text).toContain('<td>unreadable</td><td>2</td>');
    expect(page.text).toContain('<td>problem_check</td><td>0</td><td>0</td><td>55</td>');
    expect(page.text).toContain('<code>log.json:68</code>');
    expect(page.text).not.toContain(LEARNER_EMAIL);
    const positions = (html: string) => [...html.matchAll(/<code>log\.json:(\d+)<\/code>/g)].map((m) => Number(m[1]));
    expect(positions(page.text)).toHaveLength(50);
    const next = /rel="next" href="([^"]+)"/.exec(page.text)![1]!.replaceAll('&amp;', '&');
    const second = await signed.agent.get(next).expect(200);
    expect([...positions(page.text), ...positions(second.text)].sort((a, b) => a - b)).toEqual(Array.from({ length: 55 }, (_, i) => i + 14));
  });

  it('answers a run that does not exist with 404 and a bad page with 400', async () => {
    await signed.agent.get('/console/imports/999999').expect(404);
    await signed.agent.get('/console/imports/abc').expect(404);
    await signed.agent.get(`/console/imports/${runId}?before=x`).expect(400);
  });
});
