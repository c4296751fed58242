import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDatasets } from '../../../src/ingest/futurelearn/dataset-reader.js';
import { datasetOfFile, FutureLearnInputError, listDatasetFiles } from '../../../src/ingest/futurelearn/datasets.js';
import { parseFutureLearnTime } from '../../../src/ingest/futurelearn/fields.js';
import type { FutureLearnRecord, FutureLearnRow } from '../../../src/ingest/futurelearn/records.js';

const ROOT = new URL('../../fixtures/futurelearn', import.meta.url).pathname;
const COURSE = join(ROOT, 'uni-x', 'climate-change');
const RUN3 = join(COURSE, '3 - 2026-01-05 - 2026-01-19');
const RUN1 = join(COURSE, '1 - 2016-09-05 - 2016-10-03');
const run3 = { course: 'climate-change', run: '3' };
const run1 = { course: 'climate-change', run: '1' };

async function rowsOf(path: string): Promise<FutureLearnRow[]> {
  const rows: FutureLearnRow[] = [];
  for await (const row of readDatasets(await listDatasetFiles(path))) rows.push(row);
  return rows;
}
const records = (rows: FutureLearnRow[], dataset: string): FutureLearnRecord[] => rows.flatMap((r) => (r.ok === true && r.source === dataset ? [r.record] : []));

describe('listDatasetFiles', () => {
  it('finds the datasets of a run folder, with the course and run from the folder names', async () => {
    const files = await listDatasetFiles(RUN3);
    expect(files.map((f) => f.dataset).sort()).toEqual([
      'archetype-survey-responses', 'comments', 'enrolments', 'leaving-survey-responses', 'peer-review-assignments', 'peer-review-reviews',
      'question-response', 'step-activity', 'team-members', 'video-stats', 'weekly-sentiment-survey-responses',
    ]);
    for (const f of files) expect(f.run).toEqual(run3);
  });

  it('reads the run\'s days from its folder name; a live run\'s folder has no end yet', () => {
    expect(datasetOfFile('/data/uni/climate-change/3 - 2026-01-05 - 2026-01-19/comments.csv')).toEqual({ dataset: 'comments', run: { course: 'climate-change', run: '3' }, dates: { start: '2026-01-05', end: '2026-01-19' } });
    expect(datasetOfFile('/data/uni/climate-change/4 - 2026-05-04/comments.csv')?.dates).toEqual({ start: '2026-05-04', end: null });
    expect(datasetOfFile('/data/uni/climate-change/5 - soon/comments.csv')).toEqual({ dataset: 'comments', run: { course: 'climate-change', run: '5' } });
  });

  it('finds every run of a data root <root>/<institution>/<course>/<run> - ..., and names from course-prefixed file names', async () => {
    const files = await listDatasetFiles(ROOT);
    expect(new Set(files.map((f) => f.run?.run))).toEqual(new Set(['1', '3']));
    expect(files.find((f) => f.at.endsWith('climate-change-1_step-activity.csv'))).toMatchObject({ dataset: 'step-activity', run: run1 });
    expect(datasetOfFile('/tmp/loose/climate-change-12_comments.csv')).toEqual({ dataset: 'comments', run: { course: 'climate-change', run: '12' } });
    expect(datasetOfFile('/tmp/loose/comments.csv')).toEqual({ dataset: 'comments', run: undefined });
    expect(datasetOfFile('/tmp/loose/updated.txt')).toBeUndefined();
  });

  it('stops with FutureLearnInputError for a missing path or a folder without CSVs', async () => {
    await expect(listDatasetFiles(join(ROOT, 'nope'))).rejects.toThrow(FutureLearnInputError);
    await expect(listDatasetFiles(join(ROOT, 'nope'))).rejects.toThrow(/no such file or folder/);
  });

  it('passes by the metadata.csv of a run folder: it describes the run and is no dataset', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'futurelearn-metadata-'));
    try {
      const run = join(dir, 'uni', 'intro-stats', '1 - 2016-08-08 - 2016-08-28');
      await mkdir(run, { recursive: true });
      await writeFile(join(run, 'metadata.csv'), 'course,course_name,run,start_date,end_date,weeks\r\nintro-stats,Intro,1,2016-08-08,2016-08-28,3\r\n');
      await expect(listDatasetFiles(run)).rejects.toThrow(/no dataset CSV/);
      await writeFile(join(run, 'comments.csv'), 'id,author_id,parent_id,step,week_number,step_number,text,timestamp,moderated,likes\n');
      expect((await listDatasetFiles(dir)).map((f) => f.dataset)).toEqual(['comments']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseFutureLearnTime', () => {
  it('reads "YYYY-MM-DD HH:MM:SS UTC", the same without UTC, and ISO 8601, as ISO UTC', () => {
    expect(parseFutureLearnTime('2016-08-10 14:28:49 UTC')).toBe('2016-08-10T14:28:49.000Z');
    expect(parseFutureLearnTime('2016-08-10 14:28:49')).toBe('2016-08-10T14:28:49.000Z');
    expect(parseFutureLearnTime('2016-08-10T14:28:49Z')).toBe('2016-08-10T14:28:49.000Z');
    expect(parseFutureLearnTime('2016-08-10T16:28:49+02:00')).toBe('2016-08-10T14:28:49.000Z');
    expect(parseFutureLearnTime('2016-02-30 10:00:00 UTC')).toBeUndefined();
    expect(parseFutureLearnTime('yesterday')).toBeUndefined();
  });
});

describe('readDatasets on the current headers', () => {
  it('reads every dataset of a run into records, texts left out', async () => {
    const rows = await rowsOf(RUN3);
    expect(rows.filter((r) => r.ok === false)).toEqual([]);
    expect(records(rows, 'enrolments')).toHaveLength(5);
    expect(records(rows, 'enrolments')[0]).toEqual({
      type: 'enrolments', run: run3, learnerId: 'l-aaaa1111', role: 'learner', enrolledAt: '2026-01-02T09:00:00.000Z',
      fullyParticipatedAt: '2026-01-18T20:00:00.000Z', purchasedStatementAt: '2026-01-19T08:00:00.000Z',
      profile: { gender: 'female', country: 'NL', ageRange: '26-35', highestEducation: 'university_degree', employmentStatus: 'working_full_time', employmentArea: 'teaching_and_education', detectedCountry: 'NL' },
    });
    expect(records(rows, 'enrolments')[3]).toMatchObject({ learnerId: 'l-dddd4444', profile: {} });
    expect(records(rows, 'enrolments')[4]).toMatchObject({ learnerId: 'e-eeee5555', role: 'educator' });
    expect(records(rows, 'step-activity')).toHaveLength(12);
    expect(records(rows, 'step-activity')[7]).toEqual({ type: 'step-activity', run: run3, learnerId: 'l-bbbb2222', week: 1, step: 2, firstVisitedAt: '2026-01-06T10:06:00.000Z' });
    expect(records(rows, 'comments')).toEqual([
      { type: 'comments', run: run3, id: '1001', authorId: 'l-aaaa1111', week: 1, step: 2, time: '2026-01-05T09:15:00.000Z', likes: 3 },
      { type: 'comments', run: run3, id: '1002', authorId: 'l-cccc3333', parentId: '1001', week: 1, step: 2, time: '2026-01-07T11:05:00.000Z', likes: 1 },
      { type: 'comments', run: run3, id: '1003', authorId: 'e-eeee5555', parentId: '1001', week: 1, step: 2, time: '2026-01-07T12:00:00.000Z', likes: 0 },
      { type: 'comments', run: run3, id: '1004', authorId: 'l-bbbb2222', week: 2, step: 2, time: '2026-01-12T10:00:00.000Z', likes: 0 },
    ]);
    expect(records(rows, 'question-response')[1]).toEqual({
      type: 'question-response', run: run3, learnerId: 'l-aaaa1111', week: 1, step: 3, question: 2, questionType: 'MultipleChoiceQuestion', response: '1,3', submittedAt: '2026-01-05T09:26:00.000Z', correct: false,
    });
    expect(records(rows, 'question-response')[4]).toMatchObject({ question: 3, questionType: 'ClozeQuestion', clozeResponse: 'carbon dioxide', correct: true });
    expect(records(rows, 'peer-review-assignments')).toEqual([
      { type: 'peer-review-assignments', run: run3, id: '501', authorId: 'l-aaaa1111', week: 2, step: 3, submittedAt: '2026-01-12T09:50:00.000Z' },
      { type: 'peer-review-assignments', run: run3, id: '502', authorId: 'l-cccc3333', week: 2, step: 3 },
    ]);
    expect(records(rows, 'peer-review-reviews')).toEqual([
      { type: 'peer-review-reviews', run: run3, id: '901', reviewerId: 'l-cccc3333', assignmentId: '501', week: 2, step: 3, createdAt: '2026-01-13T11:30:00.000Z' },
    ]);
    expect(records(rows, 'leaving-survey-responses')).toEqual([
      { type: 'leaving-survey-responses', run: run3, key: '71', learnerId: 'l-bbbb2222', leftAt: '2026-01-10T12:00:00.000Z', leavingReason: "I don't have enough time" },
    ]);
    expect(records(rows, 'video-stats')[1]).toMatchObject({ type: 'video-stats', run: run3, stepPosition: '2.1', title: 'What is a carbon budget?', durationSeconds: 246, totalViews: 2 });
    expect(records(rows, 'video-stats')[1]).toHaveProperty(['stats', 'viewed_onehundred_percent'], '50.0');
    const text = JSON.stringify(rows);
    for (const word of ['Interesting article', 'feedback loops', 'C:\\\\climate', 'cut emissions', 'Clear plan', 'Vitalisers', 'Great week', 'Edna']) expect(text).not.toContain(word);
  });

  it('reads a quoted comment text over several lines, with doubled quotes and a backslash before its closing quote, and keeps the next rows\' lines', async () => {
    const rows = (await rowsOf(join(RUN3, 'comments.csv'))).map((r) => ({ at: r.at.split(':').at(-1), ok: r.ok }));
    expect(rows).toEqual([{ at: '2', ok: true }, { at: '3', ok: true }, { at: '5', ok: true }, { at: '6', ok: true }]);
  });

  it('counts the rows of the surveys and team members as skipped, reading nothing of them', async () => {
    const rows = await rowsOf(RUN3);
    for (const dataset of ['archetype-survey-responses', 'weekly-sentiment-survey-responses', 'team-members']) {
      expect(rows.filter((r) => r.source === dataset)).toEqual([{ ok: 'skipped', at: expect.stringMatching(/:2$/), source: dataset }]);
    }
  });
});

describe('readDatasets on older header variants', () => {
  it('reads enrolments without demographics, step-activity without week_number and step_number, comments with moderation columns, ISO times', async () => {
    const rows = await rowsOf(RUN1);
    expect(rows.filter((r) => r.ok === false)).toEqual([]);
    expect(records(rows, 'enrolments')).toEqual([
      { type: 'enrolments', run: run1, learnerId: 'l-aaaa1111', role: 'learner', enrolledAt: '2016-09-01T08:00:00.000Z', fullyParticipatedAt: '2016-10-01T10:00:00.000Z', profile: {} },
      { type: 'enrolments', run: run1, learnerId: 'l-ffff6666', role: 'learner', enrolledAt: '2016-09-02T08:00:00.000Z', unenrolledAt: '2016-09-20T08:00:00.000Z', profile: {} },
    ]);
    expect(records(rows, 'step-activity')).toEqual([
      { type: 'step-activity', run: run1, learnerId: 'l-aaaa1111', week: 1, step: 1, firstVisitedAt: '2016-09-05T10:00:00.000Z', lastCompletedAt: '2016-09-05T10:05:00.000Z' },
      { type: 'step-activity', run: run1, learnerId: 'l-ffff6666', week: 1, step: 2, firstVisitedAt: '2016-09-06T10:00:00.000Z' },
    ]);
    expect(records(rows, 'comments')).toEqual([
      { type: 'comments', run: run1, id: '2001', authorId: 'l-ffff6666', week: 1, step: 1, time: '2016-09-06T11:00:00.000Z', likes: 0 },
      { type: 'comments', run: run1, id: '2002', authorId: 'l-aaaa1111', parentId: '2001', week: 1, step: 1, time: '2016-09-06T11:10:00.000Z', likes: 2 },
    ]);
    expect(records(rows, 'question-response')).toEqual([
      { type: 'question-response', run: run1, learnerId: 'l-aaaa1111', week: 1, step: 2, question: 1, questionType: 'MultipleChoiceQuestion', response: '3', submittedAt: '2016-09-05T10:20:00.000Z', correct: true },
    ]);
  });
});

describe('readDatasets on bad input', () => {
  let dir: string;
  let runDir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-fl-datasets-'));
    runDir = join(dir, 'uni', 'course-x', '2 - 2026-03-02 - 2026-03-30');
    await mkdir(runDir, { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names each malformed row by file:line and field, counts it, and keeps the rest; an empty learner_id is a learner FutureLearn erased', async () => {
    const file = join(runDir, 'step-activity.csv');
    await writeFile(file, [
      'learner_id,step,first_visited_at,last_completed_at',
      'l1,1.1,2026-03-02 10:00:00 UTC,',
      'l1,1.2,not a time,',
      'l1,one.two,2026-03-02 10:00:00 UTC,',
      'l1,1.3,2026-03-02 10:00:00 UTC',
      ',1.4,2026-03-02 10:00:00 UTC,',
      'l2,2.1,2026-03-03 10:00:00 UTC,2026-03-03 10:09:00 UTC',
      '',
    ].join('\n'));
    const rows = await rowsOf(runDir);
    expect(rows.map((r) => (r.ok === false ? { at: r.at, ...r.rejection } : { at: r.at, ok: r.ok }))).toEqual([
      { at: `${file}:2`, ok: true },
      { at: `${file}:3`, code: 'bad_value', field: 'first_visited_at', detail: 'is not a timestamp' },
      { at: `${file}:4`, code: 'bad_value', field: 'step', detail: 'is not a week.step position' },
      { at: `${file}:5`, code: 'unreadable', detail: '3 cells where the header has 4' },
      { at: `${file}:6`, ok: 'erased' },
      { at: `${file}:7`, ok: true },
    ]);
  });

  it('rejects a file whose header lacks a required column once, naming it, and reads the other files', async () => {
    await writeFile(join(runDir, 'comments.csv'), 'id,author_id,text,timestamp\n1,l1,hello,2026-03-02 10:00:00 UTC\n');
    await writeFile(join(runDir, 'enrolments.csv'), 'learner_id,role\nl1,learner\n');
    await writeFile(join(runDir, 'step-activity.csv'), 'learner_id,step,first_visited_at,last_completed_at\nl1,1.1,2026-03-02 10:00:00 UTC,\n');
    const rows = await rowsOf(runDir);
    expect(rows.filter((r) => r.ok === false)).toEqual([
      { ok: false, at: `${join(runDir, 'comments.csv')}:1`, source: 'comments', rejection: { code: 'missing_field', field: 'week_number and step_number, or step', detail: 'the header of comments lacks it; the file is not read' } },
      { ok: false, at: `${join(runDir, 'enrolments.csv')}:1`, source: 'enrolments', rejection: { code: 'missing_field', field: 'enrolled_at', detail: 'the header of enrolments lacks it; the file is not read' } },
    ]);
    expect(records(rows, 'step-activity')).toHaveLength(1);
  });

  it('takes the place of a question from quiz_question where the header has no week, step and question numbers', async () => {
    await writeFile(join(runDir, 'question-response.csv'), 'learner_id,quiz_question,question_type,response,submitted_at,correct\nl1,2.4.3,MultipleChoiceQuestion,2,2026-03-10 10:00:00,false\nl1,2.4,MultipleChoiceQuestion,2,2026-03-10 10:00:00,false\n');
    const rows = await rowsOf(runDir);
    expect(records(rows, 'question-response')).toEqual([
      { type: 'question-response', run: { course: 'course-x', run: '2' }, learnerId: 'l1', week: 2, step: 4, question: 3, questionType: 'MultipleChoiceQuestion', response: '2', submittedAt: '2026-03-10T10:00:00.000Z', correct: false },
    ]);
    expect(rows[1]).toMatchObject({ ok: false, rejection: { code: 'bad_value', field: 'quiz_question' } });
  });

  it('rejects an unclosed quote at its line and reads on at the next line', async () => {
    const file = join(runDir, 'comments.csv');
    await writeFile(file, [
      'id,author_id,parent_id,step,week_number,step_number,text,timestamp,moderated,likes',
      '1,l1,,1.1,1,1,"never closed,2026-03-02 10:00:00 UTC,,0',
      '2,l2,,1.1,1,1,fine,2026-03-02 11:00:00 UTC,,0',
    ].join('\n'));
    const rows = await rowsOf(runDir);
    expect(rows).toEqual([
      { ok: false, at: `${file}:2`, source: 'comments', rejection: { code: 'unreadable', detail: 'a quote is not closed' } },
      expect.objectContaining({ ok: true, at: `${file}:3` }),
    ]);
  });

  it('rejects a CSV that names no run, in neither a run folder nor a prefixed file name', async () => {
    const loose = join(dir, 'loose');
    await mkdir(loose);
    await writeFile(join(loose, 'comments.csv'), 'id\n1\n');
    const rows = await rowsOf(loose);
    expect(rows).toEqual([{ ok: false, at: `${join(loose, 'comments.csv')}:1`, source: 'comments', rejection: expect.objectContaining({ code: 'missing_field', field: 'run' }) }]);
  });
});
