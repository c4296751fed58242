/**
 * Forum posts known only from their request (2013-2015 logs) in the edX reports: counted
 * as forum activity, but not listed as posts, since a request does not know the id of
 * the post it creates (its object is the topic or the post it answers).
 */
import { describe, expect, it } from 'vitest';
import { reportOptions } from '../../src/reports/edx/reports.js';
import { loadConfig } from '../../src/config/index.js';
import { isRejection, normalizeEdxEvent } from '../../src/ingest/edx/event.js';
import { EDX_REPORTS } from '../../src/reports/edx/reports.js';
import { translateEdxEvent } from '../../src/translators/edx.js';
import type { Statement } from '../../src/xapi/types.js';
import { EDX_OPTIONS } from '../support/edx-events.js';

const COURSE = 'HarvardX/PH207x/2014_Fall';

/** The statements of an event of learner 5 at `time`. */
function statementsOf(type: string, time: string, event: unknown): Statement[] {
  const e = normalizeEdxEvent({ username: 'u5', event_source: 'server', event_type: type, time, event, context: { course_id: COURSE, user_id: 5 } });
  if (isRejection(e)) throw new Error(e.detail);
  const t = translateEdxEvent(e, EDX_OPTIONS);
  if (!('statements' in t)) throw new Error(JSON.stringify(t));
  return t.statements;
}

describe('edX reports of forum requests', () => {
  const statements = [
    ...statementsOf(`/courses/${COURSE}/discussion/threads/8f7d31990f2d81d660dad405/reply`, '2014-10-15T10:00:00Z', '{"POST":{"body":["Thanks"]},"GET":{}}'),
    ...statementsOf(`/courses/${COURSE}/discussion/week1/threads/create`, '2014-10-15T10:01:00Z', '{"POST":{"title":["Q"]},"GET":{}}'),
    ...statementsOf('edx.forum.response.created', '2016-10-15T10:00:00Z', { id: 'r1', discussion: { id: 't1' }, commentable_id: 'week1' }),
  ];
  const run = (name: string) => {
    const acc = EDX_REPORTS[name]!.create(reportOptions(loadConfig({})));
    for (const s of statements) acc.add(s);
    return acc.rows();
  };

  it('lists as posts only those that name their own id, and counts the requests as activity', () => {
    expect(run('forum_posts').map((row) => row[0])).toEqual([`${EDX_OPTIONS.iris.lmsUrl}courses/course-v1:HarvardX+PH207x+2014_Fall/discussion/post/r1`]);
    // threads, replies, votes, views
    expect(run('forum_activity').map((row) => row.slice(1))).toEqual([[1, 2, 0, 0]]);
  });
});
