/**
 * The SAMCED tables the old toolkit kept one per page, survey or problem, split out of
 * the edX reports: one column per day for the pages, the pre-roll videos by id or name.
 */
import { describe, expect, it } from 'vitest';
import { EDX_REPORTS } from '../../src/reports/edx/reports.js';
import { problemFileId, SAMCED_REPORTS, samcedReportTables } from '../../src/reports/edx/samced-tables.js';
import type { Cell, ReportTable } from '../../src/reports/table.js';

/** The reports the bundle reads, empty but for the rows given. */
function reports(rows: Partial<Record<(typeof SAMCED_REPORTS)[number], Cell[][]>>, columns: Partial<Record<string, string[]>> = {}): ReportTable[] {
  return SAMCED_REPORTS.map((name) => ({
    name,
    description: EDX_REPORTS[name]!.description,
    columns: columns[name]?.map((c) => ({ name: c, description: c })) ?? EDX_REPORTS[name]!.columns,
    rows: rows[name] ?? [],
  }));
}

const byName = (tables: ReportTable[], name: string) => tables.find((t) => t.name === name)!;

describe('samcedReportTables', () => {
  it('turns page_activity into one table per page, one row per learner and one column per day', () => {
    const tables = samcedReportTables(reports({
      page_activity: [
        ['p1', '2026-03-02', 1, 0, 4, 0],
        ['p2', '2026-03-01', 0, 2, 1, 0],
        ['p1', '2026-03-03', 2, 0, 0, 1],
      ],
    }));
    const progress = byName(tables, 'page_activity_progress');
    expect(progress.columns.map((c) => c.name)).toEqual(['learner', '2026-03-01', '2026-03-02', '2026-03-03']);
    expect(progress.rows).toEqual([['p1', 0, 1, 2], ['p2', 0, 0, 0]]);
    expect(byName(tables, 'page_activity_courseware').rows).toEqual([['p1', 0, 4, 0], ['p2', 1, 0, 0]]);
    expect(byName(tables, 'page_activity_info').columns[2]).toEqual({ name: '2026-03-02', description: 'info page views on 2026-03-02 (UTC)' });
  });

  it('keeps the videos whose id or display name marks a pre-roll in pre_roll_video_activity', () => {
    const zeros = [0, 0, 0, 0, 0, 0];
    const tables = samcedReportTables(reports({
      video_activity_by_video: [
        ['p1', 'https://lms/xblock/block-v1:X+Y+Z+type@video+block@intro', 'Pre-roll: welcome', 1, ...zeros],
        ['p1', 'https://lms/xblock/block-v1:X+Y+Z+type@video+block@lecture1', 'Lecture 1', 1, ...zeros],
        ['p2', 'https://lms/xblock/block-v1:X+Y+Z+type@video+block@preroll_2026', null, 2, ...zeros],
      ],
      // With a course structure, the video's display name follows its id.
    }, { video_activity_by_video: ['learner', 'video', 'video_name', 'initialized', 'played', 'paused', 'seeked', 'completed', 'terminated', 'interacted'] }));
    expect(byName(tables, 'pre_roll_video_activity').rows.map((r) => [r[0], r[3]])).toEqual([['p1', 1], ['p2', 2]]);
    expect(byName(tables, 'video_activity_ng').rows).toHaveLength(3);
  });

  it('splits survey answers by survey and problem_detail by problem, without the column split on', () => {
    const tables = samcedReportTables(reports({
      survey_answers: [['p1', 'pre', '2026-03-01T10:00:00Z'], ['p1', 'post', '2026-04-01T10:00:00Z'], ['p2', 'pre', '2026-03-02T10:00:00Z']],
      problem_detail: [
        ['p1', 'https://lms/xblock/block-v1:X+Y+Z+type@problem+block@q1', 1, true, 2, 2, 't1'],
        ['p1', 'https://lms/xblock/block-v1:X+Y+Z+type@problem+block@q2', 3, false, 0, 2, 't2'],
        ['p2', 'https://lms/xblock/block-v1:X+Y+Z+type@problem+block@q1', 2, false, 1, 2, 't3'],
      ],
    }, { survey_answers: ['learner', 'survey', 'time'] }));
    expect(byName(tables, 'pre_survey_answers').rows).toEqual([['p1', '2026-03-01T10:00:00Z'], ['p2', '2026-03-02T10:00:00Z']]);
    expect(byName(tables, 'post_survey_answers').columns.map((c) => c.name)).toEqual(['learner', 'time']);
    expect(byName(tables, 'problem_q1').rows).toEqual([['p1', 1, true, 2, 2, 't1'], ['p2', 2, false, 1, 2, 't3']]);
    expect(byName(tables, 'problem_q2').columns.map((c) => c.name)).toEqual(['learner', 'attempts', 'success', 'grade', 'max_grade', 'time']);
  });

  it('names a problem table by the block id, safe in a file name, and never two alike', () => {
    expect(problemFileId('https://lms/xblock/block-v1:X+Y+Z+type@problem+block@a1b2c3')).toBe('a1b2c3');
    expect(problemFileId('i4x://X/Y/problem/q 1/../x')).toBe('i4x___X_Y_problem_q_1____x');
    const tables = samcedReportTables(reports({
      problem_detail: [['p1', 'https://lms/xblock/block-v1:X+Y+Z+type@problem+block@q.1', 1, true, 2, 2, 't1'], ['p1', 'https://lms/xblock/block-v1:X+Y+Z+type@problem+block@q_1', 1, true, 2, 2, 't2']],
    }));
    expect(tables.filter((t) => t.name.startsWith('problem_q')).map((t) => [t.name, t.rows[0]![5]])).toEqual([['problem_q_1', 't1'], ['problem_q_1_2', 't2']]);
  });
});
