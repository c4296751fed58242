/**
 * A generated Coursera export for the benchmarks: the structure tables of a course (six
 * weekly modules of three lessons of five items), `course_progress` and
 * `course_item_grades` of L learners, and a clickstream file of N page views, shaped as
 * Coursera writes them (CSV with `\` escapes; clickstream without header).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

export const BENCH_COURSE_ID = 'bench-course-0001';
const SLUG = 'bench-course';
const CATEGORIES = ['lecture', 'supplement', 'quiz', 'lecture', 'discussionPrompt'] as const;
const TYPE_IDS: Record<string, number> = { lecture: 1, supplement: 3, quiz: 6, discussionPrompt: 9 };
const START = Date.UTC(2026, 8, 7);
const DAY = 86_400_000;

/** The items of the generated course: module, lesson, position, category. */
export function benchItems(): { id: string; module: number; lesson: string; order: number; category: string }[] {
  const items = [];
  for (let m = 0; m < 6; m++) {
    for (let l = 0; l < 3; l++) {
      for (let i = 0; i < 5; i++) items.push({ id: `item-${m}-${l}-${i}`, module: m, lesson: `lesson-${m}-${l}`, order: i, category: CATEGORIES[i]! });
    }
  }
  return items;
}

const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const csv = (rows: (string | number)[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';

/** Writes the structure, progress and grade tables of `learners` learners into `dir/tables`; returns their row count. */
export async function writeBenchTables(dir: string, learners: number): Promise<number> {
  const tables = join(dir, 'tables');
  await mkdir(tables, { recursive: true });
  const items = benchItems();
  await writeFile(join(tables, 'course_modules.csv'), csv([
    ['course_id', 'course_module_id', 'course_module_order', 'course_module_name', 'course_module_desc'],
    ...[0, 1, 2, 3, 4, 5].map((m) => [BENCH_COURSE_ID, `module-${m}`, m, `Week ${m + 1}`, '']),
  ]));
  await writeFile(join(tables, 'course_lessons.csv'), csv([
    ['course_id', 'course_lesson_id', 'course_module_id', 'course_lesson_order', 'course_lesson_name'],
    ...[...new Set(items.map((i) => i.lesson))].map((id) => [BENCH_COURSE_ID, id, `module-${id.split('-')[1]}`, Number(id.split('-')[2]), id]),
  ]));
  await writeFile(join(tables, 'course_items.csv'), csv([
    ['course_id', 'course_item_id', 'course_lesson_id', 'course_item_order', 'course_item_type_id', 'course_item_name', 'course_item_optional'],
    ...items.map((i) => [BENCH_COURSE_ID, i.id, i.lesson, i.order, TYPE_IDS[i.category]!, `Item ${i.id}`, 'f']),
  ]));
  await writeFile(join(tables, 'course_item_types.csv'), csv([
    ['course_item_type_id', 'course_item_type_desc', 'course_item_type_category', 'course_item_type_graded'],
    ...Object.entries(TYPE_IDS).map(([category, id]) => [id, category, category, category === 'quiz' ? 't' : 'f']),
  ]));
  const progress = createWriteStream(join(tables, 'course_progress.csv'));
  const grades = createWriteStream(join(tables, 'course_item_grades.csv'));
  progress.write('course_id,course_item_id,erasmus_user_id,course_progress_state_type_id,course_progress_ts\n');
  grades.write('course_id,course_item_id,erasmus_user_id,course_item_grade_overall,course_item_passing_state_id,course_item_grade_verified,course_item_grade_ts\n');
  let rows = 0;
  for (let u = 0; u < learners; u++) {
    // Each learner reaches a different depth of the course: 10 to 40 items.
    const reached = 10 + (u % 31);
    let out = '';
    let graded = '';
    for (const [n, item] of items.slice(0, reached).entries()) {
      const started = START + item.module * 7 * DAY + (u % 5) * DAY + n * 600_000;
      out += `${BENCH_COURSE_ID},${item.id},learner-${u},1,${ts(started)}\n`;
      out += `${BENCH_COURSE_ID},${item.id},learner-${u},2,${ts(started + ((u + n) % 3) * 3_600_000 + 300_000)}\n`;
      rows += 2;
      if (item.category === 'quiz') {
        graded += `${BENCH_COURSE_ID},${item.id},learner-${u},${((u + n) % 11) / 10},${(u + n) % 11 >= 8 ? 2 : 1},0,${ts(started + 900_000)}\n`;
        rows++;
      }
    }
    if (!progress.write(out)) await once(progress, 'drain');
    if (!grades.write(graded)) await once(grades, 'drain');
  }
  progress.end();
  grades.end();
  await Promise.all([once(progress, 'close'), once(grades, 'close')]);
  return rows;
}

/** Writes `rows` clickstream page views of `learners` learners into `dir/clickstream/access-2026-09-14.csv`. */
export async function writeBenchClickstream(dir: string, rows: number, learners: number): Promise<string> {
  const folder = join(dir, 'clickstream');
  await mkdir(folder, { recursive: true });
  const file = join(folder, 'access-2026-09-14.csv');
  const out = createWriteStream(file);
  const items = benchItems();
  for (let r = 0; r < rows; r++) {
    const u = r % learners;
    const item = items[(r * 7) % items.length]!;
    const at = START + 7 * DAY + Math.floor(r / learners) * 120_000 + (u % 600) * 1000;
    // One page view in ten is a forum page, one in ten the course home.
    const url =
      r % 10 === 0 ? `https://www.coursera.org/learn/${SLUG}/discussions/weeks/${item.module + 1}`
      : r % 10 === 1 ? `https://www.coursera.org/learn/${SLUG}/home/week/${item.module + 1}`
      : `https://www.coursera.org/learn/${SLUG}/${item.category}/${item.id}/item-name`;
    const line = `learner-${u},session-${u}-${Math.floor(r / (learners * 20))},${at},ip-hash,"Mozilla/5.0 (X11; Linux x86_64)",${url},,en,branch-1,NL,NH,Europe/Amsterdam,Linux,Firefox,pageview,"{\\"page\\":\\"${item.category}\\"}"\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return file;
}
