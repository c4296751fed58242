import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { edxTranslateOptions } from '../../../src/pipelines/edx.js';
import { loadConfig } from '../../../src/config/index.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.js';
import { LMS, ndjson, playVideo, SECRET } from '../../support/edx-events.js';
import { startEmbeddedLrs, type RunningLrs } from '../../support/embedded-lrs.js';

const TOKEN = 'edx-instance-token-0123456789abcdef';

describe.each(DATABASE_KINDS)('the event cap of POST /ingest/edx on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;

  beforeEach(async () => {
    t = await freshDatabase(kind);
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, INGEST_MAX_EVENTS: '3' });
    app = await startEmbeddedLrs(t.database, {
      edxIngest: { tokens: new Map([[TOKEN, 'lms-test']]), translate: edxTranslateOptions(config, SECRET), maxEvents: config.ingestMaxEvents },
    });
  });
  afterEach(async () => {
    await app.close();
    await t.drop();
  });

  const post = (body: string, contentType: string) =>
    fetch(`${app.origin}/ingest/edx`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType }, body });
  const count = async (table: string) => (await t.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  it('refuses more events than INGEST_MAX_EVENTS with 413 naming the cap, as NDJSON or a JSON array, and stores nothing; takes a batch at the cap', async () => {
    const bad = { event_type: 'play_video' }; // no time: a rejection, were it read
    const events = [playVideo(1), bad, playVideo(2), bad];
    for (const [body, type] of [[`${ndjson(events)}\n\n`, 'application/x-ndjson'], [JSON.stringify(events), 'application/json']] as const) {
      const res = await post(body, type);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { detail: string }).detail).toBe('a POST holds at most 3 events (INGEST_MAX_EVENTS); this one has 4: split it');
    }
    expect(await count('statement_outbox')).toBe(0);
    expect(await count('rejected_records')).toBe(0);
    expect(await count('import_runs')).toBe(0);
    // At the cap (blank lines are no events), every event is accounted for.
    const res = await post(`${ndjson([playVideo(1), { event_type: 'play_video' }])}\n\n${JSON.stringify(playVideo(2))}\n`, 'application/x-ndjson');
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ received: 3, translated: 2, rejected: 1 });
    expect(await count('statement_outbox')).toBe(2);
  });
});
