import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edxTranslateOptions } from '../../../src/pipelines/edx.js';
import { loadConfig } from '../../../src/config/index.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../../support/edx-events.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const TOKEN = 'edx-instance-token-0123456789abcdef';
const ACCEPTED = 'application/json, application/x-ndjson, application/ndjson, application/jsonl, application/x-jsonlines';

describe.each(DATABASE_KINDS)('the Content-Type of POST /ingest/edx on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    app = await startEmbeddedLrs(t.database, { edxIngest: { tokens: new Map([[TOKEN, 'lms-test']]), translate: edxTranslateOptions(config, SECRET) } });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  /** Posts `body` as bytes, so that fetch adds no Content-Type of its own. */
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${app.origin}/ingest/edx`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, ...headers }, body: Buffer.from(body) });
  const pending = async () => (await t.database.query<{ n: number }>('SELECT count(*)::int AS n FROM statement_outbox')).rows[0]!.n;

  it('refuses a body without a Content-Type with 415 naming the types accepted, and reads none of it', async () => {
    const res = await post(ndjson([playVideo(1), playVideo(2)]), {});
    expect(res.status).toBe(415);
    expect(res.headers.get('accept-post')).toBe(ACCEPTED);
    expect(await res.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type', detail: `the body has no Content-Type: send one of ${ACCEPTED}` });
    expect(await pending()).toBe(0);
  });

  it('refuses a form post and plain text with 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain; charset=utf-8']) {
      const res = await post(ndjson([playVideo(1)]), { 'content-type': type });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { detail: string }).detail).toBe(`this Content-Type is not accepted: send one of ${ACCEPTED}`);
    }
    expect(await pending()).toBe(0);
  });

  it('asks for the token before the type: a stranger learns nothing of what is accepted', async () => {
    const res = await fetch(`${app.origin}/ingest/edx`, { method: 'POST', body: Buffer.from('{}') });
    expect(res.status).toBe(401);
  });

  it('takes JSON with a charset, and NDJSON under each of its names', async () => {
    const one = await post(JSON.stringify(playVideo(1)), { 'content-type': 'application/json; charset=utf-8' });
    expect(one.status).toBe(202);
    let user = 2;
    for (const type of ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'Application/X-JSONLines']) {
      const res = await post(ndjson([playVideo(user++), playVideo(user++)]), { 'content-type': type });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ received: 2, translated: 2 });
    }
    expect(await pending()).toBe(9);
  });
});
