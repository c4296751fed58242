/**
 * The records of FutureLearn datasets as the translator sees them: one variant per
 * dataset read, keyed by `type` (the dataset name). Header variants are normalized
 * before this point. Comment, peer review and survey texts are never read into a record:
 * no text can reach a statement. Times are ISO 8601 in UTC; an absent time is an event
 * that did not happen.
 */
import type { Rejection } from '../../xapi/run-summary.js';

/** A course run: the course slug and the run number, as the admin pages name them. */
export interface RunKey {
  course: string;
  run: string;
}

/** A step by its position: week number and step number within the week, from 1. */
export interface StepPlace {
  week: number;
  step: number;
}

/** What every record has: its course run. */
interface Base {
  run: RunKey;
}

/** A learner's demographics as `enrolments` gives them (any may be absent). */
export interface FutureLearnProfile {
  gender?: string;
  country?: string;
  ageRange?: string;
  highestEducation?: string;
  employmentStatus?: string;
  employmentArea?: string;
  detectedCountry?: string;
}

/** `enrolments`: one learner's (or educator's) enrolment in the run. */
export interface EnrolmentRecord extends Base {
  type: 'enrolments';
  learnerId: string;
  /** `learner`, `educator`, `mentor`, ... (`learner` where the header has no role). */
  role: string;
  enrolledAt?: string;
  unenrolledAt?: string;
  fullyParticipatedAt?: string;
  purchasedStatementAt?: string;
  profile: FutureLearnProfile;
}

/** `step-activity`: a learner's first visit and last completion of a step. */
export interface StepActivityRecord extends Base, StepPlace {
  type: 'step-activity';
  learnerId: string;
  firstVisitedAt?: string;
  lastCompletedAt?: string;
}

/** `comments`: a comment on a step, or a reply to one (`parentId`). */
export interface CommentRecord extends Base, StepPlace {
  type: 'comments';
  id: string;
  authorId: string;
  parentId?: string;
  time: string;
  likes?: number;
}

/** `question-response`: one answer to a quiz question. */
export interface QuestionResponseRecord extends Base, StepPlace {
  type: 'question-response';
  learnerId: string;
  question: number;
  questionType?: string;
  /** The option numbers chosen, as exported (`1` or `1,3`). */
  response?: string;
  clozeResponse?: string;
  submittedAt: string;
  correct?: boolean;
}

/** `peer-review-assignments`: a learner's assignment for peer review. */
export interface PeerReviewAssignmentRecord extends Base, StepPlace {
  type: 'peer-review-assignments';
  id: string;
  authorId: string;
  submittedAt?: string;
}

/** `peer-review-reviews`: a review of an assignment. */
export interface PeerReviewReviewRecord extends Base, StepPlace {
  type: 'peer-review-reviews';
  id: string;
  reviewerId: string;
  assignmentId: string;
  createdAt: string;
}

/** `leaving-survey-responses`: a learner left the run, perhaps saying why. */
export interface LeavingSurveyRecord extends Base {
  type: 'leaving-survey-responses';
  /** The response id, else `<learner_id>|<left_at>` where a file has no `id`. */
  key: string;
  learnerId: string;
  leftAt: string;
  leavingReason?: string;
}

/** `video-stats`: one video's figures; kept in `futurelearn_video_stats`, never a statement. */
export interface VideoStatsRecord extends Base {
  type: 'video-stats';
  /** The step of the video, `week.step`. */
  stepPosition: string;
  title?: string;
  durationSeconds?: number;
  totalViews?: number;
  /** Every column as exported. */
  stats: Record<string, string>;
}

/** Every record FutureLearn datasets give. */
export type FutureLearnRecord =
  | EnrolmentRecord
  | StepActivityRecord
  | CommentRecord
  | QuestionResponseRecord
  | PeerReviewAssignmentRecord
  | PeerReviewReviewRecord
  | LeavingSurveyRecord
  | VideoStatsRecord;

/**
 * One row as read, with `source`, the dataset it is counted under: a record; a
 * rejection; or a row read but never used (the surveys, team members, unknown datasets).
 */
/** A row read: a record, a rejection, a row of an unused dataset (`skipped`), or one of a learner FutureLearn erased (`erased`: its learner_id is empty). */
export type FutureLearnRow = { at: string; source: string } & (
  | { ok: true; record: FutureLearnRecord }
  // `learnerId` where the bad row still names its learner: an erased learner's is dropped, not kept.
  | { ok: false; rejection: Rejection; learnerId?: string }
  | { ok: 'skipped' }
  // The run, and the question (`week.step.question`) of an answer, so that reports can say how many rows they leave out.
  | { ok: 'erased'; run: RunKey; question?: string }
);
