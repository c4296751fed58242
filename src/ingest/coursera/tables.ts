/**
 * The CSV tables of a Coursera research export (`RESEARCH_WITH_SCHEMAS`): the structure
 * tables read into a `CourseraStructure`, then the activity tables streamed as typed
 * records at `file:line`, and the session tables as rows kept beside them (sessions.ts).
 * Every other table (`users`, `course_branches`, ...) is
 * only counted, row by row, as ignored: its cells never leave this file. Only ids, times,
 * numbers and roles are read: no name, email or text can reach a statement.
 */
import type { CourseraRecord, CourseraRow } from './records.js';
import type { ExportFile } from './export-files.js';
import { readCsvRows } from '../csv-rows.js';
import { FieldError, type Fields } from '../../xapi/fields.js';
import { USER_COLUMN } from './row-fields.js';
import { EMPTY_STRUCTURE, StructureBuilder, type CourseraStructure } from './structure.js';
import { readTableRows } from './table-reader.js';
import { SESSION_TABLES } from './sessions.js';

/** How one activity table becomes records: the columns it must have, and a row's record. */
interface ActivityTable {
  required: string[];
  read: (f: Fields) => CourseraRecord;
}

const course = (f: Fields) => {
  const courseId = f.opt('course_id');
  return courseId === undefined ? {} : { courseId };
};
const passing = (f: Fields, column: string) => {
  const passingState = f.int(column);
  return passingState === undefined ? {} : { passingState };
};

/** The activity tables, keyed by the exact table name. */
export const ACTIVITY_TABLES = {
  course_progress: {
    required: ['course_item_id', USER_COLUMN, 'course_progress_state_type_id', 'course_progress_ts'],
    read: (f) => {
      const state = f.int('course_progress_state_type_id');
      if (state !== 1 && state !== 2) throw new FieldError({ code: 'bad_value', field: 'course_progress_state_type_id', detail: 'is neither 1 (started) nor 2 (completed)' });
      return { type: 'course_progress', ...course(f), itemId: f.req('course_item_id'), userId: f.req(USER_COLUMN), state, time: f.reqTime('course_progress_ts') };
    },
  },
  course_item_grades: {
    required: ['course_item_id', USER_COLUMN, 'course_item_grade_overall', 'course_item_grade_ts'],
    read: (f) => ({
      type: 'course_item_grades', ...course(f), itemId: f.req('course_item_id'), userId: f.req(USER_COLUMN),
      overall: f.fraction('course_item_grade_overall'), ...passing(f, 'course_item_passing_state_id'), time: f.reqTime('course_item_grade_ts'),
    }),
  },
  course_grades: {
    required: [USER_COLUMN, 'course_grade_overall', 'course_grade_ts'],
    read: (f) => ({
      type: 'course_grades', ...course(f), userId: f.req(USER_COLUMN), overall: f.fraction('course_grade_overall'),
      ...passing(f, 'course_passing_state_id'), time: f.reqTime('course_grade_ts'),
    }),
  },
  discussion_questions: {
    required: ['discussion_question_id', USER_COLUMN, 'discussion_question_created_ts'],
    read: (f) => {
      const itemId = f.opt('course_item_id');
      const moduleId = f.opt('course_module_id');
      return {
        type: 'discussion_questions', ...course(f), questionId: f.req('discussion_question_id'), userId: f.req(USER_COLUMN),
        ...(itemId === undefined ? {} : { itemId }), ...(moduleId === undefined ? {} : { moduleId }), time: f.reqTime('discussion_question_created_ts'),
      };
    },
  },
  discussion_answers: {
    required: ['discussion_answer_id', USER_COLUMN, 'discussion_question_id', 'discussion_answer_created_ts'],
    read: (f) => {
      const parentAnswerId = f.opt('discussion_answer_parent_discussion_answer_id');
      return {
        type: 'discussion_answers', ...course(f), answerId: f.req('discussion_answer_id'), questionId: f.req('discussion_question_id'),
        userId: f.req(USER_COLUMN), ...(parentAnswerId === undefined ? {} : { parentAnswerId }), time: f.reqTime('discussion_answer_created_ts'),
      };
    },
  },
  peer_comments: {
    required: ['peer_comment_id', 'peer_submission_id', USER_COLUMN, 'peer_comment_created_ts'],
    read: (f) => ({
      type: 'peer_comments', ...course(f), commentId: f.req('peer_comment_id'), submissionId: f.req('peer_submission_id'),
      userId: f.req(USER_COLUMN), time: f.reqTime('peer_comment_created_ts'),
    }),
  },
  course_memberships: {
    required: [USER_COLUMN, 'course_membership_role', 'course_membership_ts'],
    read: (f) => ({ type: 'course_memberships', ...course(f), userId: f.req(USER_COLUMN), role: f.req('course_membership_role'), time: f.reqTime('course_membership_ts') }),
  },
} satisfies Record<string, ActivityTable>;

/** The structure tables and what each gives the structure. */
const STRUCTURE_TABLES: Record<string, { required: string[]; read: (f: Fields, b: StructureBuilder, at: string) => void }> = {
  course_modules: {
    required: ['course_module_id', 'course_module_order'],
    read: (f, b, at) => {
      b.course(f.opt('course_id'));
      b.module({ id: f.req('course_module_id'), order: f.reqNum('course_module_order'), at });
    },
  },
  course_lessons: {
    required: ['course_lesson_id', 'course_module_id', 'course_lesson_order'],
    read: (f, b, at) => {
      b.course(f.opt('course_id'));
      b.lesson({ id: f.req('course_lesson_id'), moduleId: f.req('course_module_id'), order: f.reqNum('course_lesson_order'), at });
    },
  },
  course_items: {
    required: ['course_item_id', 'course_lesson_id', 'course_item_order'],
    read: (f, b, at) => {
      b.course(f.opt('course_id'));
      const typeId = f.opt('course_item_type_id');
      const name = f.opt('course_item_name');
      b.item({ id: f.req('course_item_id'), lessonId: f.req('course_lesson_id'), order: f.reqNum('course_item_order'), at, ...(typeId && { typeId }), ...(name && { name }) });
    },
  },
  course_item_types: {
    required: ['course_item_type_id', 'course_item_type_category'],
    read: (f, b) => b.itemType(f.req('course_item_type_id'), f.req('course_item_type_category')),
  },
};

/** Whether a table is one of the structure tables. */
export function isStructureTable(table: string): boolean {
  return Object.hasOwn(STRUCTURE_TABLES, table);
}

/**
 * Reads the structure tables among `files`. Their rows never become statements: they
 * come back as skipped rows (and rejections) for the run's counts.
 * @example const { structure, rows } = await readCourseraStructure(files.tables);
 */
export async function readCourseraStructure(files: readonly ExportFile[]): Promise<{ structure: CourseraStructure; rows: CourseraRow[] }> {
  const builder = new StructureBuilder();
  const rows: CourseraRow[] = [];
  let any = false;
  for (const file of files) {
    const spec = STRUCTURE_TABLES[file.table];
    if (spec === undefined) continue;
    any = true;
    for await (const row of readTableRows(file, spec.required)) {
      if (!row.ok) {
        rows.push({ ok: false, at: row.at, source: file.table, rejection: row.rejection });
        continue;
      }
      try {
        spec.read(row.fields, builder, row.at);
        rows.push({ ok: 'skipped', at: row.at, source: file.table });
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        rows.push({ ok: false, at: row.at, source: file.table, rejection: err.rejection });
      }
    }
  }
  if (!any) return { structure: EMPTY_STRUCTURE, rows };
  const { structure, rejections } = builder.build();
  // An item that cannot be placed was counted as read; it is a rejection instead.
  const misplaced = new Set(rejections.map((r) => r.at));
  const kept = rows.filter((r) => !(r.ok === 'skipped' && r.source === 'course_items' && misplaced.has(r.at)));
  return { structure, rows: [...kept, ...rejections.map((r) => ({ ok: false as const, ...r }))] };
}

/**
 * Streams the activity tables among `files` as records, and every other table (not a
 * structure table) as skipped rows, counted by table.
 * @example for await (const row of readCourseraTables(files.tables)) ...
 */
export async function* readCourseraTables(files: readonly ExportFile[]): AsyncGenerator<CourseraRow> {
  for (const file of files) {
    if (isStructureTable(file.table)) continue;
    const side = Object.hasOwn(SESSION_TABLES, file.table) ? SESSION_TABLES[file.table as keyof typeof SESSION_TABLES] : undefined;
    const spec: ActivityTable | undefined = Object.hasOwn(ACTIVITY_TABLES, file.table) ? ACTIVITY_TABLES[file.table as keyof typeof ACTIVITY_TABLES] : undefined;
    if (spec === undefined && side === undefined) {
      yield* countUnused(file);
      continue;
    }
    for await (const row of readTableRows(file, (spec ?? side)!.required)) {
      if (!row.ok) {
        yield { ok: false, at: row.at, source: file.table, rejection: row.rejection };
        continue;
      }
      try {
        if (side !== undefined) yield { ok: 'side', at: row.at, source: file.table, record: side.read(row.fields) };
        else yield { ok: true, at: row.at, source: file.table, record: spec!.read(row.fields) };
      } catch (err) {
        if (!(err instanceof FieldError)) throw err;
        const userId = row.fields.opt(USER_COLUMN);
        yield { ok: false, at: row.at, source: file.table, rejection: err.rejection, ...(userId === undefined ? {} : { userId }) };
      }
    }
  }
}

/** The data rows of a table that is not used, as skipped rows; a table that cannot be parsed is one rejection. */
async function* countUnused(file: ExportFile): AsyncGenerator<CourseraRow> {
  let header = true;
  for await (const row of readCsvRows(file)) {
    const at = `${file.at}:${row.line ?? '?'}`;
    if (row.ok && header) header = false;
    else if (row.ok) yield { ok: 'skipped', at, source: file.table };
    // Cells of unused tables (profiles among them) are not quoted back in the reason.
    else yield { ok: false, at, source: file.table, rejection: { code: 'unreadable', detail: row.detail } };
  }
}
