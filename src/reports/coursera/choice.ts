/**
 * The learners' choice of the indicators their widget shows, with its history: every
 * change is a new row of `coursera_indicator_choices`, the latest row is the current
 * choice. Choosing closes the choice until the weekly job opens it again (the study let
 * learners re-select once a week); consent can be changed at any time.
 */
import { ValidationError, validator, type FieldProblem } from '../../catalog/schemas.js';
import { CodedError } from '../../errors.js';
import type { Database } from '../../db/connection.js';

/** One row of a learner's choice history. */
export interface IndicatorChoice {
  courseId: string;
  /** The learner's account name in statements (a pseudonym). */
  learner: string;
  consent: boolean;
  goal: string | null;
  indicators: number[];
  open: boolean;
  reason: 'learner' | 'weekly' | 'admin';
  createdAt: string;
}

/** What a learner sends: consent, an optional goal and the indicators to show. */
export const CHOICE_SCHEMA = {
  $id: 'CourseraIndicatorChoice',
  type: 'object',
  additionalProperties: false,
  required: ['consent', 'indicators'],
  properties: {
    consent: { type: 'boolean' },
    goal: { type: 'string', nullable: true, maxLength: 2000 },
    indicators: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 12 }, uniqueItems: true, maxItems: 12 },
  },
} as const;

const validateChoice = validator(CHOICE_SCHEMA);

/** A change of indicators or goal while the choice is closed. */
export class ChoiceClosedError extends CodedError {
  override readonly name = 'ChoiceClosedError';
  constructor() {
    super('conflict', 'the choice of indicators is closed until it opens again next week; only consent can change now');
  }
}

type Row = { course_id: string; learner: string; consent: boolean; goal: string | null; indicators: number[] | string; open: boolean; reason: string; created_at: string | Date };

function fromRow(r: Row): IndicatorChoice {
  return {
    courseId: r.course_id,
    learner: r.learner,
    consent: r.consent,
    goal: r.goal,
    indicators: typeof r.indicators === 'string' ? (JSON.parse(r.indicators) as number[]) : r.indicators,
    open: r.open,
    reason: r.reason as IndicatorChoice['reason'],
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const COLUMNS = 'course_id, learner, consent, goal, indicators, open, reason, created_at';

/** The current choice (latest row), or undefined when the learner never chose. */
export async function currentChoice(database: Database, courseId: string, learner: string): Promise<IndicatorChoice | undefined> {
  const { rows } = await database.query<Row>(
    `SELECT ${COLUMNS} FROM coursera_indicator_choices WHERE course_id = $1 AND learner = $2 ORDER BY id DESC LIMIT 1`,
    [courseId, learner],
  );
  return rows[0] === undefined ? undefined : fromRow(rows[0]);
}

/** Every row of a learner's choices, oldest first. */
export async function choiceHistory(database: Database, courseId: string, learner: string): Promise<IndicatorChoice[]> {
  const { rows } = await database.query<Row>(
    `SELECT ${COLUMNS} FROM coursera_indicator_choices WHERE course_id = $1 AND learner = $2 ORDER BY id`,
    [courseId, learner],
  );
  return rows.map(fromRow);
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Records a learner's choice as a new, closed row. Throws ValidationError for a bad
 * body and ChoiceClosedError when the choice is closed and more than consent changes.
 * @example await chooseIndicators(database, 'C1', learner, { consent: true, goal: 'finish', indicators: [1, 7] });
 */
export async function chooseIndicators(
  database: Database,
  courseId: string,
  learner: string,
  input: unknown,
  reason: 'learner' | 'admin' = 'learner',
): Promise<IndicatorChoice> {
  const problems = validateChoice(input);
  if (problems.length > 0) throw new ValidationError(problems);
  const body = input as { consent: boolean; goal?: string | null; indicators: number[] };
  const goal = body.goal ?? null;
  // One transaction, the learner's rows locked through the latest one: two widgets
  // posting at once cannot both pass the "open" check.
  return database.transaction(async (session) => {
    const { rows } = await session.query<Row>(
      `SELECT ${COLUMNS} FROM coursera_indicator_choices WHERE course_id = $1 AND learner = $2 ORDER BY id DESC LIMIT 1 FOR UPDATE`,
      [courseId, learner],
    );
    const current = rows[0] === undefined ? undefined : fromRow(rows[0]);
    if (current !== undefined && !current.open && !(sameSet(current.indicators, body.indicators) && current.goal === goal)) throw new ChoiceClosedError();
    const inserted = await session.query<Row>(
      `INSERT INTO coursera_indicator_choices (course_id, learner, consent, goal, indicators, open, reason)
       VALUES ($1, $2, $3, $4, $5::jsonb, false, $6) RETURNING ${COLUMNS}`,
      [courseId, learner, body.consent, goal, JSON.stringify(body.indicators), reason],
    );
    return fromRow(inserted.rows[0]!);
  });
}

/** Reopening counts once per this span: a job run twice, or on two instances, opens a choice once. */
const WEEKLY_SPAN = '6 days';

/**
 * Opens the choice again for every (course, learner) whose latest row is closed, by adding
 * a copy with open = true and reason 'weekly'; returns how many were opened. A learner
 * already reopened in the last 6 days is skipped, so the job is idempotent within a week.
 * @example const opened = await openWeeklyChoices(database, new Date());
 */
export async function openWeeklyChoices(database: Database, now: Date): Promise<number> {
  const { affected } = await database.query(
    `INSERT INTO coursera_indicator_choices (course_id, learner, consent, goal, indicators, open, reason, created_at)
     SELECT l.course_id, l.learner, l.consent, l.goal, l.indicators, true, 'weekly', $1::timestamptz
       FROM (SELECT DISTINCT ON (course_id, learner) course_id, learner, consent, goal, indicators, open
               FROM coursera_indicator_choices ORDER BY course_id, learner, id DESC) l
      WHERE NOT l.open
        AND NOT EXISTS (SELECT 1 FROM coursera_indicator_choices w
                         WHERE w.course_id = l.course_id AND w.learner = l.learner AND w.reason = 'weekly'
                           AND w.created_at > $1::timestamptz - interval '${WEEKLY_SPAN}' AND w.created_at <= $1::timestamptz)`,
    [now.toISOString()],
  );
  return affected;
}
