import { describe, expect, it } from 'vitest';
import { FLUSHES, PULLS, RUNS } from '../../src/cli/summaries.js';
import type { CourseraPullSummary } from '../../src/pipelines/coursera-pull.js';
import type { KhanPullSummary } from '../../src/pipelines/khan.js';
import type { RunSummary } from '../../src/xapi/run-summary.js';

const run = (over: Partial<RunSummary> = {}): RunSummary => ({ read: 0, translated: 0, statements: 0, ignored: 0, rejected: 0, byType: {}, errors: [], ...over });
const coursera = (over: Partial<CourseraPullSummary> = {}): CourseraPullSummary => ({
  requested: 0, adopted: 0, polled: 0, pending: 0, terminated: 0, downloaded: 0, errors: [], imported: [], ...over,
});
const khan = (over: Partial<KhanPullSummary> = {}): KhanPullSummary => ({ coaches: 0, students: 0, requests: 0, rejected: 0, errors: [], import: run(), ...over });

describe('the short summaries', () => {
  it('leave out every zero count, and the types with nothing rejected', () => {
    const byType = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`type_${i}`, { translated: i === 0 ? 5 : 0, ignored: 0, rejected: i === 7 ? 1 : 0 }]));
    const text = RUNS.text({ ...run({ read: 6, translated: 5, statements: 9, rejected: 1, added: 9, known: 0, byType, errors: [{ at: 'a.log:3', reason: 'missing field event' }] }), runId: 4 });
    expect(text).toBe([
      'import run 4: read 6 records: 5 translated into 9 statements (9 new), 1 rejected',
      '  rejected 1 (see: xapi-gateway rejected list --run 4): type_7 1',
      '    a.log:3: missing field event',
    ].join('\n'));
  });

  it('write large counts with thousands separators', () => {
    expect(RUNS.text(run({ read: 1_300, translated: 1_204, statements: 1_204 }))).toBe('read 1,300 records: 1,204 translated into 1,204 statements');
  });

  it('tell a flush that delivered part and stopped both things, and count it done', () => {
    const summary = { batches: 3, requests: 3, sent: 1_000, conflict: 0, dead: 0, retried: 500, startedAt: '', endedAt: '', stoppedBy: 'LRS answered 503: busy' };
    expect(FLUSHES.text(summary)).toBe('statements: 1,000 sent, 500 to retry (3 batches, 3 requests)\n  stopped early: LRS answered 503: busy');
    expect(FLUSHES.failure).toBeUndefined();
  });

  it('fail a pull only when it did nothing and something went wrong', () => {
    const refused = { course: 'c1', step: 'request-tables' as const, reason: 'Coursera refused the token (401); check COURSERA_TOKEN' };
    expect(PULLS.coursera.failure!(coursera({ errors: [refused, { ...refused, course: 'c2' }] }))).toBe(
      'nothing pulled from Coursera: Coursera refused the token (401); check COURSERA_TOKEN (and 1 more errors)',
    );
    expect(PULLS.coursera.failure!(coursera({ requested: 1, errors: [refused] }))).toBeUndefined();
    expect(PULLS.coursera.failure!(coursera())).toBeUndefined();
    expect(PULLS.coursera.text(coursera({ requested: 2, pending: 2 }))).toBe('Coursera export jobs: requested 2, pending 2');

    expect(PULLS.khan.failure!(khan({ coaches: 1, errors: [{ at: 'coach kaid_1', reason: 'the token does not open with KHAN_TOKEN_KEY' }] }))).toMatch(/^nothing pulled from Khan Academy: /);
    expect(PULLS.khan.failure!(khan({ coaches: 1, students: 3, errors: [{ at: 'student x', reason: '500' }] }))).toBeUndefined();
    expect(PULLS.khan.text(khan())).toBe('Khan Academy: no coach authorized (see: xapi-gateway khan authorize)\n  read 0 records');
  });
});
