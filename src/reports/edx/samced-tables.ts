/**
 * The SAMCED tables (Simple Analytics Material Creator for edX Data, the ChalmersX
 * toolkit's per-run bundle) under their old names, made from the edX course reports:
 * which report each table is, and how the tables the old tool kept one per problem,
 * survey or page are split out of one report. No report logic is repeated here.
 */
import type { Cell, Column, ReportTable } from '../table.js';

/** The reports the bundle reads, in one pass over the course's statements. */
export const SAMCED_REPORTS = ['forum_activity', 'forum_posts', 'video_activity', 'video_activity_by_video', 'problem_activity', 'problem_detail', 'textbook_activity', 'survey_answers', 'page_activity'] as const;

/** The SAMCED tables that are a report as it is: old name → report. */
const SAME_AS_REPORT: Record<string, (typeof SAMCED_REPORTS)[number]> = {
  discussion_forum_activity: 'forum_activity',
  discussion_forum_activity_ng: 'forum_posts',
  video_activity: 'video_activity',
  video_activity_ng: 'video_activity_by_video',
  problem_activity: 'problem_activity',
  textbook_activity: 'textbook_activity',
};

/** The page kinds of `page_activity`, one `page_activity_<page>` table each. */
const PAGES = ['progress', 'info', 'courseware', 'discussion'] as const;

/**
 * A pre-roll video (the clip edX plays before a course's videos) is known by its id or its
 * display name: edX logs its events as those of any other video.
 */
export const PRE_ROLL = /pre[-_ ]?roll/i;

function tableOf(tables: readonly ReportTable[], name: string): ReportTable {
  const table = tables.find((t) => t.name === name);
  if (table === undefined) throw new Error(`the ${name} report was not run`);
  return table;
}

const indexOf = (table: ReportTable, column: string) => table.columns.findIndex((c) => c.name === column);

/** The table without the columns `drop`. */
function without(table: ReportTable, drop: readonly string[], rows: Cell[][]): { columns: Column[]; rows: Cell[][] } {
  const keep = table.columns.map((c, i) => (drop.includes(c.name) ? -1 : i)).filter((i) => i >= 0);
  return { columns: keep.map((i) => table.columns[i]!), rows: rows.map((r) => keep.map((i) => r[i] ?? null)) };
}

/** The rows of `table` grouped by the value of `column`, in first-seen order. */
function groupBy(table: ReportTable, column: string): Map<string, Cell[][]> {
  const at = indexOf(table, column);
  const groups = new Map<string, Cell[][]>();
  for (const row of table.rows) {
    const key = String(row[at] ?? '');
    const group = groups.get(key) ?? [];
    groups.set(key, group);
    group.push(row);
  }
  return groups;
}

/** `q1` of `…/xblock/block-v1:OrgX+CS101+2026+type@problem+block@q1`, safe as part of a file name. */
export function problemFileId(activityId: string): string {
  return activityId.slice(activityId.lastIndexOf('@') + 1).replace(/[^A-Za-z0-9_-]/g, '_') || 'unnamed';
}

/** `problem_<edx problem id>`: problem_detail split per problem. */
function perProblem(detail: ReportTable): ReportTable[] {
  const nameAt = indexOf(detail, 'problem_name');
  const taken = new Map<string, number>();
  return [...groupBy(detail, 'problem')].map(([problem, rows]) => {
    const name = nameAt < 0 ? null : rows[0]![nameAt];
    // Two ids made the same by the file-name rule get _2, _3, ... rather than one file for both.
    const id = problemFileId(problem);
    const n = (taken.get(id) ?? 0) + 1;
    taken.set(id, n);
    return {
      name: `problem_${id}${n > 1 ? `_${n}` : ''}`,
      description: `per learner, answers to the problem ${problem}${name ? ` ("${name}")` : ''}: attempts, last success, grade, max grade and time`,
      ...without(detail, ['problem', 'problem_name'], rows),
    };
  });
}

/** `pre_survey_answers` and `post_survey_answers`: survey_answers split by survey. */
function perSurvey(answers: ReportTable): ReportTable[] {
  const groups = groupBy(answers, 'survey');
  return (['pre', 'post'] as const).map((survey) => ({
    name: `${survey}_survey_answers`,
    description: `the last answers of each learner to the ${survey}-course survey questions, one column per question part`,
    ...without(answers, ['survey'], groups.get(survey) ?? []),
  }));
}

/** `page_activity_<page>`: one row per learner, one column per day of the span with views. */
function perPage(pages: ReportTable): ReportTable[] {
  const learnerAt = indexOf(pages, 'learner');
  const dayAt = indexOf(pages, 'day');
  const days = [...new Set(pages.rows.map((r) => String(r[dayAt])))].sort();
  const learners = [...new Set(pages.rows.map((r) => String(r[learnerAt])))].sort();
  return PAGES.map((page) => {
    const pageAt = indexOf(pages, page);
    const counts = new Map(pages.rows.map((r) => [`${r[learnerAt]}\u0000${r[dayAt]}`, Number(r[pageAt] ?? 0)]));
    return {
      name: `page_activity_${page}`,
      description: `per learner, ${page} page views on each day with any page view`,
      columns: [pages.columns[learnerAt]!, ...days.map((d) => ({ name: d, description: `${page} page views on ${d} (UTC)` }))],
      rows: learners.map((l) => [l, ...days.map((d) => counts.get(`${l}\u0000${d}`) ?? 0)]),
    };
  });
}

/** `pre_roll_video_activity`: the video_activity_by_video rows of pre-roll videos (by id or display name). */
function preRoll(videos: ReportTable): ReportTable {
  const marks = ['video', 'video_name'].map((c) => indexOf(videos, c)).filter((i) => i >= 0);
  return {
    name: 'pre_roll_video_activity',
    description: `per learner and pre-roll video (a video whose id or display name matches ${PRE_ROLL.source}), a count per video action`,
    columns: videos.columns,
    rows: videos.rows.filter((r) => marks.some((i) => PRE_ROLL.test(String(r[i] ?? '')))),
  };
}

/** The non-standard SAMCED tables from the reports `SAMCED_REPORTS` of a course. */
export function samcedReportTables(reports: readonly ReportTable[]): ReportTable[] {
  return [
    ...Object.entries(SAME_AS_REPORT).map(([name, report]) => ({ ...tableOf(reports, report), name })),
    preRoll(tableOf(reports, 'video_activity_by_video')),
    ...perProblem(tableOf(reports, 'problem_detail')),
    ...perSurvey(tableOf(reports, 'survey_answers')),
    ...perPage(tableOf(reports, 'page_activity')),
  ];
}
