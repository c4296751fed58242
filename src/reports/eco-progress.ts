/**
 * A learner's progress per course, as the ECO API gives it, computed from the learner's
 * statements read through `StatementQuery`: distinct activities touched, first and last
 * touch, the latest course grade, when the course was passed or completed, and the time
 * spent, counted in sessions split at 30-minute gaps (whole days included, unlike the
 * old API). Pure over the statements it is given.
 */
import { allStatements, type StatementQuery } from '../lrs/statement-query.js';
import type { Agent, Statement } from '../xapi/types.js';
import { VERB } from '../xapi/vocabulary.js';
import { sessionMs } from './sessions.js';

/** One course of a learner, in ECO's shape. */
export interface EcoCourseProgress {
  id: string;
  viewCount: number;
  progressPercentage: number;
  firstViewDate: string;
  lastViewDate: string;
  completedDate: string;
  spentTime: number;
}

/** The catalogue course (its ECO id) a statement is in, and whether the course is its object. */
export type CourseOfStatement = (statement: Statement) => { course: string; courseLevel: boolean } | undefined;

/**
 * The course of a statement by the activity ids that name catalogue courses: the object
 * itself (a course-level statement: registered, passed, earned a grade) or a parent.
 */
export function courseByActivity(courses: ReadonlyMap<string, string>): CourseOfStatement {
  return (s) => {
    const objectId = (s.object as { id?: string }).id;
    const own = objectId === undefined ? undefined : courses.get(objectId);
    if (own !== undefined) return { course: own, courseLevel: true };
    for (const parent of s.context?.contextActivities?.parent ?? []) {
      const course = courses.get(parent.id);
      if (course !== undefined) return { course, courseLevel: false };
    }
    return undefined;
  };
}

const PASSING = new Set<string>([VERB.passed.id, VERB.completed.id]);
const GRADED = new Set<string>([VERB.passed.id, VERB.failed.id, VERB.earned.id, VERB.scored.id]);

/** `YYYY-MM-DDTHH:MM:SS` in UTC, as the ECO API writes dates; '' for none. */
function ecoDate(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString().slice(0, 19);
}

interface Accumulator {
  touched: Set<string>;
  times: number[];
  grade?: { at: number; scaled: number };
  completed?: number;
}

/** The progress of the statements given, by course. */
export function progressOf(statements: Iterable<Statement>, courseOf: CourseOfStatement): EcoCourseProgress[] {
  const byCourse = new Map<string, Accumulator>();
  for (const s of statements) {
    const found = courseOf(s);
    if (found === undefined || s.timestamp === undefined) continue;
    const { course, courseLevel } = found;
    const at = Date.parse(s.timestamp);
    const acc = byCourse.get(course) ?? { touched: new Set<string>(), times: [] };
    byCourse.set(course, acc);
    acc.times.push(at);
    const objectId = (s.object as { id?: string }).id;
    if (objectId !== undefined && !courseLevel) acc.touched.add(objectId);
    const scaled = s.result?.score?.scaled;
    if (courseLevel && GRADED.has(s.verb.id) && scaled !== undefined && (acc.grade === undefined || at >= acc.grade.at)) acc.grade = { at, scaled };
    if (courseLevel && PASSING.has(s.verb.id) && (acc.completed === undefined || at < acc.completed)) acc.completed = at;
  }
  return [...byCourse.entries()]
    .map(([id, acc]) => {
      const times = acc.times.sort((a, b) => a - b);
      return {
        id,
        viewCount: acc.touched.size,
        progressPercentage: acc.grade === undefined ? (acc.completed === undefined ? 0 : 100) : Math.round(Math.min(Math.max(acc.grade.scaled, 0), 1) * 100),
        firstViewDate: ecoDate(times[0]),
        lastViewDate: ecoDate(times.at(-1)),
        completedDate: ecoDate(acc.completed),
        spentTime: sessionMs(times),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Every statement whose actor is one of `actors` (a learner's accounts), read from `query`. */
export async function learnerStatements(query: StatementQuery, actors: Agent[]): Promise<Statement[]> {
  const statements: Statement[] = [];
  for (const agent of actors) for await (const s of allStatements(query, { agent, limit: 500 })) statements.push(s);
  return statements;
}
