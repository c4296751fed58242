/**
 * The records of a Coursera export as the translator sees them: one variant per table
 * used, and one per clickstream page type, keyed by `type` (the table name, or
 * `clickstream:<page type>`). Free text (titles, post bodies, comments) and profile
 * columns are never read into a record: no name, email or text can reach a statement.
 */
import type { Rejection } from '../../xapi/run-summary.js';
import type { SessionTableRecord } from './sessions.js';

/** What every record has: the hashed Coursera user id, the course where the row names it, and when (ISO 8601, UTC). */
interface Base {
  userId: string;
  /** Absent in tables without a `course_id` column and in the clickstream: the export's course is used. */
  courseId?: string;
  time: string;
}

/** `course_progress`: an item started (1) or completed (2). */
export interface CourseProgressRecord extends Base {
  type: 'course_progress';
  itemId: string;
  state: 1 | 2;
}

/** `course_item_grades`: a learner's grade on an item, 0 to 1. */
export interface CourseItemGradeRecord extends Base {
  type: 'course_item_grades';
  itemId: string;
  overall: number;
  passingState?: number;
}

/** `course_grades`: a learner's grade in the course, 0 to 1. */
export interface CourseGradeRecord extends Base {
  type: 'course_grades';
  overall: number;
  passingState?: number;
}

/** `discussion_questions`: a thread opened, in a week's forum or on a discussion prompt item. */
export interface DiscussionQuestionRecord extends Base {
  type: 'discussion_questions';
  questionId: string;
  itemId?: string;
  moduleId?: string;
}

/** `discussion_answers`: a reply in a thread, to the question or to another answer. */
export interface DiscussionAnswerRecord extends Base {
  type: 'discussion_answers';
  answerId: string;
  questionId: string;
  parentAnswerId?: string;
}

/** `peer_comments`: a comment on a peer submission. */
export interface PeerCommentRecord extends Base {
  type: 'peer_comments';
  commentId: string;
  submissionId: string;
}

/** `course_memberships`: a learner's role in the course from a moment on. */
export interface CourseMembershipRecord extends Base {
  type: 'course_memberships';
  role: string;
}

/**
 * The URL segments of Coursera item pages (`/learn/<slug>/<segment>/<item id>/...`),
 * as the item type categories name them.
 */
export const ITEM_PAGE_SEGMENTS = [
  'lecture', 'supplement', 'quiz', 'exam', 'peer', 'discussionPrompt', 'programming', 'gradedProgramming', 'ungradedProgramming',
  'ungradedWidget', 'gradedWidget', 'ungradedLti', 'gradedLti', 'ungradedLab', 'gradedLab', 'staffGraded',
] as const;

/** A segment of an item page URL. */
export type ItemPageSegment = (typeof ITEM_PAGE_SEGMENTS)[number];

/** What every clickstream page view has. */
interface ClickstreamBase extends Base {
  sessionId?: string;
  /** The URL path after `/learn/<slug>/`, decoded, without query: part of the row's stable key. */
  path: string;
}

/** A page view of an item. */
export interface ClickstreamItemView extends ClickstreamBase {
  type: `clickstream:${ItemPageSegment}`;
  segment: ItemPageSegment;
  itemId: string;
}

/** A page view of the course's forums: a forum visit. */
export interface ClickstreamForumView extends ClickstreamBase {
  type: 'clickstream:discussions';
}

/** A page view of any other page of the course (home, week overview, grades, ...). */
export interface ClickstreamPageView extends ClickstreamBase {
  type: 'clickstream:page';
}

/** A clickstream page view. */
export type ClickstreamRecord = ClickstreamItemView | ClickstreamForumView | ClickstreamPageView;

/** Every record a Coursera export gives the translator. */
export type CourseraRecord =
  | CourseProgressRecord
  | CourseItemGradeRecord
  | CourseGradeRecord
  | DiscussionQuestionRecord
  | DiscussionAnswerRecord
  | PeerCommentRecord
  | CourseMembershipRecord
  | ClickstreamRecord;

/**
 * One row of an export as read, with `source`, the type it is counted under in a run
 * summary: a record; a rejection; or a row that is read but never becomes a statement
 * (structure and unused tables, clickstream rows that are not course page views), or is kept
 * beside them (the session tables).
 */
export type CourseraRow = { at: string; source: string } & (
  | { ok: true; record: CourseraRecord }
  // `userId` where the bad row still names its learner: an erased learner's is dropped, not kept.
  | { ok: false; rejection: Rejection; userId?: string }
  | { ok: 'skipped' }
  // A row kept beside the statements (sessions.ts), never one itself.
  | { ok: 'side'; record: SessionTableRecord }
);
