/**
 * How each FutureLearn dataset becomes records: the columns its header must have and a
 * row's record, keyed by the exact dataset name. Columns are read by name, so every
 * header variant of reference/platforms.md is one spec: `step-activity` and the others
 * without `week_number,step_number` take the place from `step` ("week.step"), `comments`
 * with `first_reported_at,first_reported_reason,moderation_state` simply has more columns.
 * Texts (comments, reviews, survey answers) are never read.
 */
import type { RunKey } from './records.js';
import { FieldError, type Fields } from '../../xapi/fields.js';
import type { FutureLearnProfile, FutureLearnRecord, StepPlace } from './records.js';

/** A column the header must have, or alternatives of columns (any one set will do). */
export type Requirement = string | string[][];

/** How one dataset becomes records. */
export interface DatasetSpec {
  required: Requirement[];
  read: (f: Fields, run: RunKey) => FutureLearnRecord;
}

const PLACE: Requirement = [['week_number', 'step_number'], ['step']];

/** A positive whole number out of `text` (`3` of "1.3"), else a rejection naming `field`. */
function position(text: string | undefined, field: string, whole: string): number {
  const n = text === undefined || !/^\d+$/.test(text) ? NaN : Number(text);
  if (!(n >= 1)) throw new FieldError({ code: 'bad_value', field, detail: 'is not a week.step position' });
  return n;
}

/** The step of a row: `week_number` and `step_number` where the header has them, else `step` ("week.step"). */
export function stepPlace(f: Fields): StepPlace {
  if (f.has('week_number') && f.has('step_number')) {
    const week = f.req('week_number');
    const step = f.req('step_number');
    return { week: position(week, 'week_number', week), step: position(step, 'step_number', step) };
  }
  const text = f.req('step');
  const [week, step, ...rest] = text.split('.');
  if (rest.length > 0) throw new FieldError({ code: 'bad_value', field: 'step', detail: 'is not a week.step position' });
  return { week: position(week, 'step', text), step: position(step, 'step', text) };
}

/** A quiz question's place: week, step and question number, or `quiz_question` ("week.step.question"). */
export function questionPlace(f: Fields): StepPlace & { question: number } {
  if (f.has('week_number') && f.has('step_number') && f.has('question_number')) {
    const q = f.req('question_number');
    return { ...stepPlace(f), question: position(q, 'question_number', q) };
  }
  const text = f.req('quiz_question');
  const parts = text.split('.');
  if (parts.length !== 3) throw new FieldError({ code: 'bad_value', field: 'quiz_question', detail: 'is not a week.step.question position' });
  return { week: position(parts[0], 'quiz_question', text), step: position(parts[1], 'quiz_question', text), question: position(parts[2], 'quiz_question', text) };
}

/** Keeps the defined values only, so records carry no `undefined` keys. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function profile(f: Fields): FutureLearnProfile {
  return defined({
    gender: f.opt('gender'),
    country: f.opt('country'),
    ageRange: f.opt('age_range'),
    highestEducation: f.opt('highest_education_level'),
    employmentStatus: f.opt('employment_status'),
    employmentArea: f.opt('employment_area'),
    detectedCountry: f.opt('detected_country'),
  });
}

/** The datasets read into records, keyed by the exact dataset name. */
export const DATASET_SPECS: Record<FutureLearnRecord['type'], DatasetSpec> = {
  enrolments: {
    required: ['learner_id', 'enrolled_at'],
    read: (f, run) => ({
      type: 'enrolments', run, learnerId: f.req('learner_id'),
      // The oldest exports list no role: learners only.
      role: (f.opt('role') ?? 'learner').toLowerCase(),
      ...defined({ enrolledAt: f.time('enrolled_at'), unenrolledAt: f.time('unenrolled_at'), fullyParticipatedAt: f.time('fully_participated_at'), purchasedStatementAt: f.time('purchased_statement_at') }),
      profile: profile(f),
    }),
  },
  'step-activity': {
    required: ['learner_id', PLACE],
    read: (f, run) => ({
      type: 'step-activity', run, learnerId: f.req('learner_id'), ...stepPlace(f),
      ...defined({ firstVisitedAt: f.time('first_visited_at'), lastCompletedAt: f.time('last_completed_at') }),
    }),
  },
  comments: {
    required: ['id', 'author_id', 'timestamp', PLACE],
    read: (f, run) => ({
      type: 'comments', run, id: f.req('id'), authorId: f.req('author_id'), ...stepPlace(f), time: f.reqTime('timestamp'),
      ...defined({ parentId: f.opt('parent_id'), likes: f.count('likes') }),
    }),
  },
  'question-response': {
    required: ['learner_id', 'submitted_at', [['week_number', 'step_number', 'question_number'], ['quiz_question']]],
    read: (f, run) => ({
      type: 'question-response', run, learnerId: f.req('learner_id'), ...questionPlace(f), submittedAt: f.reqTime('submitted_at'),
      ...defined({ questionType: f.opt('question_type'), response: f.opt('response'), clozeResponse: f.opt('cloze_response'), correct: f.bool('correct') }),
    }),
  },
  'peer-review-assignments': {
    required: ['id', 'author_id', PLACE],
    read: (f, run) => ({
      type: 'peer-review-assignments', run, id: f.req('id'), authorId: f.req('author_id'), ...stepPlace(f), ...defined({ submittedAt: f.time('submitted_at') }),
    }),
  },
  'peer-review-reviews': {
    required: ['id', 'reviewer_id', 'assignment_id', 'created_at', PLACE],
    read: (f, run) => ({
      type: 'peer-review-reviews', run, id: f.req('id'), reviewerId: f.req('reviewer_id'), assignmentId: f.req('assignment_id'), ...stepPlace(f), createdAt: f.reqTime('created_at'),
    }),
  },
  'leaving-survey-responses': {
    required: ['learner_id', 'left_at'],
    read: (f, run) => {
      const learnerId = f.req('learner_id');
      const leftAt = f.reqTime('left_at');
      return { type: 'leaving-survey-responses', run, key: f.opt('id') ?? `${learnerId}|${leftAt}`, learnerId, leftAt, ...defined({ leavingReason: f.opt('leaving_reason') }) };
    },
  },
  'video-stats': {
    required: ['step_position'],
    read: (f, run) => {
      const duration = f.num('video_duration');
      return {
        type: 'video-stats', run, stepPosition: f.req('step_position'), stats: f.all(),
        ...defined({ title: f.opt('title'), durationSeconds: duration === undefined ? undefined : Math.round(duration), totalViews: f.count('total_views') }),
      };
    },
  },
};

/** The columns of `required` that `header` lacks, each named for a rejection; empty when it has them all. */
export function missingColumns(required: readonly Requirement[], header: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const need of required) {
    if (typeof need === 'string') {
      if (!header.has(need)) missing.push(need);
    } else if (!need.some((set) => set.every((c) => header.has(c)))) {
      missing.push(need.map((set) => set.join(' and ')).join(', or '));
    }
  }
  return missing;
}
