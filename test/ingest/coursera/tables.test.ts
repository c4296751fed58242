import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listExportFiles } from '../../../src/ingest/coursera/export-files.js';
import type { CourseraRow } from '../../../src/ingest/coursera/records.js';
import { readCourseraStructure, readCourseraTables } from '../../../src/ingest/coursera/tables.js';

const FIXTURE = new URL('../../fixtures/coursera/course-abc/tables', import.meta.url).pathname;

/** A zip of `files` (deflated), as the export API serves tables. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const fileName = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

async function rowsOf(path: string): Promise<{ structure: Awaited<ReturnType<typeof readCourseraStructure>>['structure']; rows: CourseraRow[] }> {
  const files = await listExportFiles(path);
  try {
    const { structure, rows } = await readCourseraStructure(files.tables);
    for await (const row of readCourseraTables(files.tables)) rows.push(row);
    return { structure, rows };
  } finally {
    files.close();
  }
}

const records = (rows: CourseraRow[]) => rows.flatMap((r) => (r.ok === true ? [r.record] : []));
const rejections = (rows: CourseraRow[]) => rows.flatMap((r) => (r.ok === false ? [{ at: r.at, source: r.source, ...r.rejection }] : []));

describe('Coursera tables', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-coursera-tables-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('places every item by module, lesson and item order, counted from 1', async () => {
    const { structure } = await rowsOf(FIXTURE);
    expect(structure.courseId).toBe('course-abc');
    expect(Object.fromEntries([...structure.items].map(([id, i]) => [id, [i.moduleIndex, i.lessonIndex, i.itemIndex, i.category]]))).toEqual({
      lec01: [1, 1, 1, 'lecture'],
      sup01: [1, 1, 2, 'supplement'],
      qz001: [1, 2, 1, 'quiz'],
      dp001: [2, 1, 1, 'discussionPrompt'],
      lec02: [2, 1, 2, 'lecture'],
      peer1: [2, 2, 1, 'peer'],
    });
    expect(structure.items.get('sup01')).toMatchObject({ lessonId: 'les1a', moduleId: 'mod1', name: 'Reading "one", the first' });
  });

  it('reads each activity table into typed records at file:line, whatever the user id column is called', async () => {
    const { rows } = await rowsOf(FIXTURE);
    expect(rejections(rows)).toEqual([]);
    const progress = rows.filter((r) => r.source === 'course_progress');
    expect(progress.map((r) => r.at)).toEqual([2, 3, 4, 5].map((n) => `${join(FIXTURE, 'course_progress.csv')}:${n}`));
    expect(records(progress)[1]).toEqual({ type: 'course_progress', courseId: 'course-abc', itemId: 'lec01', userId: 'learner-a', state: 2, time: '2026-09-07T08:10:00.500Z' });
    const byType = Object.fromEntries(records(rows).map((r) => [r.type, r]));
    expect(records(rows).find((r) => r.type === "course_item_grades")).toEqual({ type: 'course_item_grades', courseId: 'course-abc', itemId: 'qz001', userId: 'learner-b', overall: 0.8, passingState: 2, time: '2026-09-08T09:30:00.000Z' });
    expect(byType.course_grades).toEqual({ type: 'course_grades', courseId: 'course-abc', userId: 'learner-b', overall: 0.75, passingState: 2, time: '2026-09-20T00:00:00.000Z' });
    expect(records(rows).filter((r) => r.type === 'discussion_questions')).toEqual([
      { type: 'discussion_questions', courseId: 'course-abc', questionId: 'q1', userId: 'learner-a', itemId: 'dp001', time: '2026-09-14T12:00:00.000Z' },
      { type: 'discussion_questions', courseId: 'course-abc', questionId: 'q2', userId: 'learner-b', moduleId: 'mod1', time: '2026-09-09T12:00:00.000Z' },
    ]);
    expect(records(rows).filter((r) => r.type === 'discussion_answers')[1]).toEqual({ type: 'discussion_answers', courseId: 'course-abc', answerId: 'a2', questionId: 'q1', parentAnswerId: 'a1', userId: 'learner-a', time: '2026-09-14T14:00:00.000Z' });
    expect(byType.peer_comments).toEqual({ type: 'peer_comments', commentId: 'pc1', submissionId: 'sub1', userId: 'learner-a', time: '2026-09-17T08:00:00.000Z' });
    expect(byType.course_memberships).toMatchObject({ type: 'course_memberships', courseId: 'course-abc', role: expect.any(String) });
    // The question's multi-line text, with its email address, is not in any record.
    expect(JSON.stringify(records(rows))).not.toMatch(/example\.org|Why, though|Nice work/);
  });

  it('counts the rows of structure and unused tables as skipped, by table, and never reads them into records', async () => {
    const { rows } = await rowsOf(FIXTURE);
    const skipped = (table: string) => rows.filter((r) => r.ok === 'skipped' && r.source === table).length;
    expect([skipped('users'), skipped('course_items'), skipped('course_modules'), skipped('course_item_types')]).toEqual([3, 6, 2, 5]);
    expect(records(rows).some((r) => JSON.stringify(r).includes('female'))).toBe(false);
  });

  it('rejects a malformed row at its file and line, naming the field, and reads the rows after it', async () => {
    const file = join(dir, 'course_progress.csv');
    await writeFile(file, [
      'course_id,course_item_id,erasmus_user_id,course_progress_state_type_id,course_progress_ts',
      'c1,i1,u1,1,2026-09-07 08:00:00',
      'c1,i1,u1,1',
      'c1,i2,u1,1,2026-13-40 08:00:00',
      'c1,i3,u1,x,2026-09-07 08:00:00',
      'c1,"i4"x,u1,2,2026-09-07 08:00:00',
      'c1,i5,u1,3,2026-09-07 08:00:00',
      'c1,i6,,2,2026-09-07 08:00:00',
      'c1,i7,u1,2,2026-09-07 09:00:00',
    ].join('\n'));
    const { rows } = await rowsOf(dir);
    expect(records(rows).map((r) => (r as { itemId: string }).itemId)).toEqual(['i1', 'i7']);
    expect(rejections(rows)).toEqual([
      { at: `${file}:3`, source: 'course_progress', code: 'unreadable', detail: '4 cells where the header has 5' },
      { at: `${file}:4`, source: 'course_progress', code: 'bad_value', field: 'course_progress_ts', detail: expect.stringMatching(/not a timestamp/) },
      { at: `${file}:5`, source: 'course_progress', code: 'bad_value', field: 'course_progress_state_type_id', detail: expect.stringMatching(/not a number/) },
      { at: `${file}:6`, source: 'course_progress', code: 'unreadable', field: 'course_item_id', detail: expect.stringMatching(/Closing Quote/i) },
      { at: `${file}:7`, source: 'course_progress', code: 'bad_value', field: 'course_progress_state_type_id', detail: expect.stringMatching(/neither 1/) },
      { at: `${file}:8`, source: 'course_progress', code: 'missing_field', field: 'erasmus_user_id', detail: 'empty' },
    ]);
  });

  it('rejects a row whose quote is never closed at its line, and reads the lines after it again', async () => {
    const file = join(dir, 'course_progress.csv');
    await writeFile(file, [
      'course_id,course_item_id,erasmus_user_id,course_progress_state_type_id,course_progress_ts',
      'c1,"i1,u1,1,2026-09-07 08:00:00',
      'c1,i2,u1,1,2026-09-07 08:00:00',
      '',
      'c1,i3,u1,1,2026-09-07 08:00:00',
    ].join('\r\n'));
    const { rows } = await rowsOf(dir);
    expect(rejections(rows)).toEqual([{ at: `${file}:2`, source: 'course_progress', code: 'unreadable', detail: 'a quote is not closed' }]);
    expect(rows.filter((r) => r.ok === true).map((r) => r.at)).toEqual([`${file}:3`, `${file}:5`]);
  });

  it('rejects a grade outside 0 to 1', async () => {
    const file = join(dir, 'course_item_grades.csv');
    await writeFile(file, 'course_id,course_item_id,erasmus_user_id,course_item_grade_overall,course_item_grade_ts\nc1,i1,u1,80,2026-09-07 08:00:00\n');
    const { rows } = await rowsOf(dir);
    expect(rejections(rows)).toEqual([{ at: `${file}:2`, source: 'course_item_grades', code: 'bad_value', field: 'course_item_grade_overall', detail: 'is not between 0 and 1' }]);
  });

  it('rejects a table without a required column once, at its header, and still reads the other tables', async () => {
    await writeFile(join(dir, 'course_progress.csv'), 'course_id,course_item_id,erasmus_user_id,course_progress_ts\nc1,i1,u1,2026-09-07 08:00:00\nc1,i2,u1,2026-09-07 08:00:00\n');
    await writeFile(join(dir, 'course_grades.csv'), 'course_id,course_grade_overall,course_grade_ts\nc1,0.5,2026-09-07 08:00:00\n');
    await writeFile(join(dir, 'course_memberships.csv'), 'course_id,partnerx_user_id,course_membership_role,course_membership_ts\nc1,u9,LEARNER,2026-09-01T00:00:00Z\n');
    const { rows } = await rowsOf(dir);
    expect(rejections(rows)).toEqual([
      { at: `${join(dir, 'course_grades.csv')}:1`, source: 'course_grades', code: 'missing_field', field: 'erasmus_user_id or <prefix>_user_id', detail: expect.stringMatching(/course_grades/) },
      { at: `${join(dir, 'course_progress.csv')}:1`, source: 'course_progress', code: 'missing_field', field: 'course_progress_state_type_id', detail: expect.stringMatching(/not read/) },
    ]);
    expect(records(rows)).toEqual([{ type: 'course_memberships', courseId: 'c1', userId: 'u9', role: 'LEARNER', time: '2026-09-01T00:00:00.000Z' }]);
  });

  it('rejects an item whose lesson is not in course_lessons', async () => {
    await cp(FIXTURE, dir, { recursive: true });
    await writeFile(join(dir, 'course_items.csv'), 'course_id,course_item_id,course_lesson_id,course_item_order,course_item_type_id\ncourse-abc,lec01,les1a,0,1\ncourse-abc,lost1,nowhere,0,1\n');
    const { structure, rows } = await rowsOf(dir);
    expect([...structure.items.keys()]).toEqual(['lec01']);
    expect(rejections(rows)).toEqual([{ at: `${join(dir, 'course_items.csv')}:3`, source: 'course_items', code: 'bad_value', field: 'course_lesson_id', detail: expect.stringMatching(/nowhere/) }]);
  });

  it('reads the tables of a zip, entry by entry, at zip!entry:line', async () => {
    const zip = join(dir, 'export.zip');
    await writeFile(zip, zipOf({
      'course_modules.csv': 'course_id,course_module_id,course_module_order\nc1,m1,1\n',
      'course_lessons.csv': 'course_id,course_lesson_id,course_module_id,course_lesson_order\nc1,l1,m1,1\n',
      'course_items.csv': 'course_id,course_item_id,course_lesson_id,course_item_order,course_item_type_id\nc1,i1,l1,1,1\n',
      'course_item_types.csv': 'course_item_type_id,course_item_type_category\n1,quiz\n',
      'course_progress.csv': 'course_id,course_item_id,erasmus_user_id,course_progress_state_type_id,course_progress_ts\nc1,i1,u1,2,2026-09-07 08:00:00\nc1,i1,u1,2\n',
      'setup.sql': 'CREATE TABLE x;',
    }));
    const { structure, rows } = await rowsOf(zip);
    expect(structure.items.get('i1')).toMatchObject({ moduleIndex: 1, lessonIndex: 1, itemIndex: 1, category: 'quiz' });
    expect(records(rows)).toEqual([{ type: 'course_progress', courseId: 'c1', itemId: 'i1', userId: 'u1', state: 2, time: '2026-09-07T08:00:00.000Z' }]);
    expect(rejections(rows)).toEqual([{ at: `${zip}!course_progress.csv:3`, source: 'course_progress', code: 'unreadable', detail: '4 cells where the header has 5' }]);
  });

  it('refuses a path that does not exist', async () => {
    await expect(listExportFiles(join(dir, 'nope'))).rejects.toThrow(/no such file or folder/);
  });
});
