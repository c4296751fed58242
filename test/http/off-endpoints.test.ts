import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { configuredStatementQuery } from '../../src/configured.js';
import { reportOptions } from '../../src/reports/edx/reports.js';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases.js';
import { startEmbeddedLrs, type RunningLrs } from '../support/embedded-lrs.js';

/** [what, method, path, the detail naming the setting, the realm of the challenge]: every part that is off until a setting turns it on. */
const OFF_PARTS = [
  ['the edX live endpoint', 'POST', '/ingest/edx', 'the edX live endpoint is off: EDX_INGEST_TOKENS is not set', 'Bearer realm="ingest"'],
  ['the admin API', 'GET', '/admin/courses', 'the admin API is off: ADMIN_TOKEN is not set', 'Bearer realm="admin"'],
  ['the edX reports', 'GET', '/reports/edx', 'the reports API is off: ADMIN_TOKEN is not set', 'Bearer realm="admin"'],
  ['the FutureLearn reports', 'GET', '/reports/futurelearn/climate/1.json', 'the reports API is off: ADMIN_TOKEN is not set', undefined],
  ['the Coursera widget API', 'GET', '/reports/coursera/c1/learners/l1', 'the Coursera widget API is off: COURSERA_WIDGET_TOKENS is not set', 'Bearer realm="coursera"'],
  ['the ECO API', 'GET', '/ecoapi/users/u1/courses', 'the ECO API is off: ECO_API_KEYS is not set', undefined],
] as const;

describe.each(DATABASE_KINDS)('an endpoint that is off, on %s', (kind) => {
  let t: TestDatabase;
  let app: RunningLrs;
  beforeAll(async () => {
    t = await freshDatabase(kind);
    // As `serve` builds the app with no EDX_INGEST_TOKENS, ADMIN_TOKEN, COURSERA_WIDGET_TOKENS or ECO_API_KEYS.
    const config = loadConfig({});
    const statements = configuredStatementQuery(config, t.database);
    app = await startEmbeddedLrs(t.database, {
      reports: { statements, edxLmsUrl: undefined, repositoryId: 'example.org', options: reportOptions(config) },
      futurelearnReports: { statements },
      courseraReports: { statements, widgetTokens: new Map(), pseudonymSecret: 'a-pseudonym-secret-0123456789' },
      ecoApi: { keys: new Map(), statements, repositoryId: 'example.org', pseudonymSecret: 'a-pseudonym-secret-0123456789' },
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it.each(OFF_PARTS)('%s answers 401 with a problem naming the setting to set', async (_what, method, path, detail, challenge) => {
    const res = await fetch(`${app.origin}${path}`, { method, headers: { authorization: 'Bearer some-token-of-nothing-0123456789' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 401, title: 'Unauthorized', detail });
    if (challenge !== undefined) expect(res.headers.get('www-authenticate')).toBe(challenge);
  });
});
