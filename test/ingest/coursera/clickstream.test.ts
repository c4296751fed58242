import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coursePage, readClickstream } from '../../../src/ingest/coursera/clickstream.js';
import { listExportFiles } from '../../../src/ingest/coursera/export-files.js';
import { layoutCourseId } from '../../../src/pipelines/coursera.js';
import type { CourseraRow } from '../../../src/ingest/coursera/records.js';

const FIXTURE = new URL('../../fixtures/coursera/course-abc/clickstream/access-2026-09-14.csv', import.meta.url).pathname;

/** A clickstream line as Coursera writes it: no header, 16 columns. */
function line(over: { user?: string; session?: string; ts?: string; url?: string; key?: string; json?: string } = {}): string {
  const json = over.json ?? '';
  return [
    over.user ?? 'learner-a', over.session ?? 'sess-1', over.ts ?? '1789380000000', 'iphash', '"Mozilla/5.0 (X11, Linux)"',
    over.url ?? 'https://www.coursera.org/learn/abc-course/lecture/lec01/intro', '', 'en', 'branch1', 'NL', 'NH', 'Europe/Amsterdam', 'Linux', 'Firefox',
    over.key ?? 'pageview', json === '' ? '' : `"${json.replace(/"/g, '\\"')}"`,
  ].join(',');
}

async function rowsOf(path: string): Promise<CourseraRow[]> {
  const files = await listExportFiles(path);
  const rows: CourseraRow[] = [];
  try {
    for await (const row of readClickstream(files.clickstream)) rows.push(row);
  } finally {
    files.close();
  }
  return rows;
}

describe('coursePage', () => {
  it('tells item pages, forum pages, other course pages and pages outside a course apart', () => {
    expect(coursePage('https://www.coursera.org/learn/ml/lecture/AbC12/intro-video')).toEqual({ kind: 'item', segment: 'lecture', itemId: 'AbC12', path: 'lecture/AbC12/intro-video' });
    expect(coursePage('/learn/ml/discussionPrompt/dp1/discuss?x=1')).toMatchObject({ kind: 'item', segment: 'discussionPrompt', itemId: 'dp1' });
    expect(coursePage('https://www.coursera.org/learn/ml/peer/pa1/assignment/submit')).toMatchObject({ kind: 'item', segment: 'peer', itemId: 'pa1' });
    expect(coursePage('https://www.coursera.org/learn/ml/discussions/weeks/1/threads/abc')).toEqual({ kind: 'forums', path: 'discussions/weeks/1/threads/abc' });
    expect(coursePage('https://www.coursera.org/learn/ml/home/week/2')).toEqual({ kind: 'page', path: 'home/week/2' });
    expect(coursePage('https://www.coursera.org/learn/ml/lecture')).toEqual({ kind: 'page', path: 'lecture' });
    expect(coursePage('https://www.coursera.org/browse/data-science')).toBeUndefined();
    expect(coursePage('https://www.coursera.org/learn')).toBeUndefined();
  });
});

describe('readClickstream', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-coursera-click-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads course page views as records by page type, and counts other keys and pages outside the course', async () => {
    const rows = await rowsOf(FIXTURE);
    expect(rows.map((r) => [r.at.slice(FIXTURE.length), r.source, r.ok])).toEqual([
      [':1', 'clickstream:lecture', true],
      [':2', 'clickstream:discussions', true],
      [':3', 'clickstream:page', true],
      [':4', 'clickstream:quiz', true],
      [':5', 'clickstream:outside-course', 'skipped'],
      [':6', 'clickstream:key:open_course_home.view', 'skipped'],
    ]);
    const records = rows.flatMap((r) => (r.ok === true ? [r.record] : []));
    expect(records[0]).toEqual({ type: 'clickstream:lecture', segment: 'lecture', itemId: 'lec01', userId: 'learner-a', sessionId: 'sess-1', path: 'lecture/lec01/intro-video', time: '2026-09-14T10:00:00.000Z' });
    expect(records[1]).toEqual({ type: 'clickstream:discussions', userId: 'learner-a', sessionId: 'sess-1', path: 'discussions/weeks/1', time: '2026-09-14T10:01:00.250Z' });
    expect(records[2]).toEqual({ type: 'clickstream:page', userId: 'learner-b', sessionId: 'sess-2', path: 'home/week/1', time: '2026-09-14T11:00:00.000Z' });
    // IPs, user agents and places are not read.
    expect(JSON.stringify(records)).not.toMatch(/iphash|Mozilla|Amsterdam|NL/);
  });

  it('rejects a line with bad JSON at file:line, field json_event, and reads the lines after it', async () => {
    const file = join(dir, 'access-2026-09-15.csv');
    await writeFile(file, [line({ json: '{"a":1}' }), line({ json: '{not json' }), line({ key: 'video.play', json: '[1,' }), line({ ts: '2026-09-15 08:00:00' })].join('\n'));
    const rows = await rowsOf(dir);
    expect(rows.map((r) => (r.ok === false ? { at: r.at, source: r.source, ...r.rejection } : r.ok))).toEqual([
      true,
      { at: `${file}:2`, source: 'clickstream:lecture', code: 'unreadable', field: 'json_event', detail: 'not JSON' },
      { at: `${file}:3`, source: 'clickstream:key:video.play', code: 'unreadable', field: 'json_event', detail: 'not JSON' },
      true,
    ]);
  });

  it('rejects bad timestamps, missing users, wrong cell counts and bad quotes, each at its line', async () => {
    const file = join(dir, 'access-2026-09-15.csv');
    await writeFile(file, [line({ ts: 'yesterday' }), line({ user: '' }), 'a,b,c', line({ url: '"https://x"y' }), line()].join('\n'));
    const rows = await rowsOf(dir);
    expect(rows.map((r) => (r.ok === false ? { at: r.at, ...r.rejection } : r.ok))).toEqual([
      { at: `${file}:1`, code: 'bad_value', field: 'timestamp', detail: expect.stringMatching(/not a timestamp/) },
      { at: `${file}:2`, code: 'missing_field', field: 'hashed_user_id', detail: 'empty' },
      { at: `${file}:3`, code: 'unreadable', detail: '3 cells where a clickstream row has 16' },
      { at: `${file}:4`, code: 'unreadable', field: 'url', detail: expect.stringMatching(/closing quote/) },
      true,
    ]);
  });

  it('reads gzipped files, in the order of their days', async () => {
    await writeFile(join(dir, 'access-2026-09-16.csv.gz'), gzipSync(line({ session: 'day16' })));
    await writeFile(join(dir, 'access-2026-09-15.csv'), `${line({ session: 'day15' })}\n`);
    await writeFile(join(dir, 'notes.txt'), 'not an export file');
    const rows = await rowsOf(dir);
    expect(rows.map((r) => (r.ok === true && 'sessionId' in r.record ? r.record.sessionId : r.ok))).toEqual(['day15', 'day16']);
    expect(rows[1]!.at).toBe(`${join(dir, 'access-2026-09-16.csv.gz')}:1`);
  });

  it('rejects a gzip file that is broken, once, and goes on with the next file', async () => {
    await writeFile(join(dir, 'access-2026-09-15.csv.gz'), gzipSync(line()).subarray(0, 20));
    await writeFile(join(dir, 'access-2026-09-16.csv'), line());
    const rows = await rowsOf(dir);
    expect(rows.map((r) => r.ok)).toEqual([false, true]);
    expect(rows[0]).toMatchObject({ at: expect.stringContaining('access-2026-09-15.csv.gz:'), source: 'clickstream' });
  });

  it('reads any CSV of a clickstream/ folder as clickstream, and skips hidden work folders', async () => {
    const day = join(dir, 'course%2Fx', '2026-09-14');
    await mkdir(join(day, 'clickstream'), { recursive: true });
    await mkdir(join(day, '.download-7'), { recursive: true });
    await writeFile(join(day, 'clickstream', 'events-part-0.csv'), line());
    await writeFile(join(day, '.download-7', 'access-2026-09-14.csv'), line());
    const rows = await rowsOf(day);
    expect(rows.map((r) => [r.at, r.ok])).toEqual([[`${join(day, 'clickstream', 'events-part-0.csv')}:1`, true]]);
    expect(layoutCourseId(day)).toBe('course/x');
    expect(layoutCourseId(join(day, 'tables.zip'))).toBe('course/x');
    expect(layoutCourseId(dir)).toBeUndefined();
  });
});
