/**
 * The IRIs of Coursera courses and their parts, and what kind of Activity each item type
 * category is. Every Coursera statement names its activities through these, so that the
 * tables, the clickstream and the indicators agree on one id per thing.
 */
import { ACTIVITY_TYPE, type ActivityType } from '../../xapi/vocabulary.js';

/** The actor's account `homePage` and the root of every activity IRI. */
export const COURSERA_HOME = 'https://www.coursera.org';

/** The `context.platform` of every Coursera statement. */
export const COURSERA_PLATFORM = 'Coursera';

// Rooted in the course id of the exports (never the slug, which a course can change),
// so that a re-import names the same activities.
/** Activity IRIs of one course. */
export const courseraIri = {
  course: (courseId: string) => `${COURSERA_HOME}/courses/${enc(courseId)}`,
  module: (courseId: string, moduleId: string) => `${courseraIri.course(courseId)}/modules/${enc(moduleId)}`,
  lesson: (courseId: string, lessonId: string) => `${courseraIri.course(courseId)}/lessons/${enc(lessonId)}`,
  item: (courseId: string, itemId: string) => `${courseraIri.course(courseId)}/items/${enc(itemId)}`,
  /** The course's forums as one place: a visit to any forum page is a visit here. */
  forums: (courseId: string) => `${courseraIri.course(courseId)}/forums`,
  /** A page of the course outside its items (home, week overview, grades, ...), by its path after the slug. */
  page: (courseId: string, path: string) => `${courseraIri.course(courseId)}/pages/${path.split('/').map(enc).join('/')}`,
  question: (courseId: string, questionId: string) => `${courseraIri.course(courseId)}/discussions/questions/${enc(questionId)}`,
  answer: (courseId: string, answerId: string) => `${courseraIri.course(courseId)}/discussions/answers/${enc(answerId)}`,
  peerSubmission: (courseId: string, submissionId: string) => `${courseraIri.course(courseId)}/peer-submissions/${enc(submissionId)}`,
};

function enc(part: string): string {
  return encodeURIComponent(part);
}

/**
 * Coursera's `course_item_type_category` values and the Activity type of each; an
 * unknown category is a `resource`.
 */
export const ITEM_CATEGORY_TYPES: Record<string, ActivityType> = {
  lecture: ACTIVITY_TYPE.video,
  supplement: ACTIVITY_TYPE.resource,
  quiz: ACTIVITY_TYPE.assessment,
  exam: ACTIVITY_TYPE.assessment,
  peer: ACTIVITY_TYPE.assessment,
  closedPeer: ACTIVITY_TYPE.assessment,
  phasedPeer: ACTIVITY_TYPE.assessment,
  gradedPeer: ACTIVITY_TYPE.assessment,
  programming: ACTIVITY_TYPE.assessment,
  gradedProgramming: ACTIVITY_TYPE.assessment,
  ungradedProgramming: ACTIVITY_TYPE.assessment,
  gradedLti: ACTIVITY_TYPE.assessment,
  ungradedLti: ACTIVITY_TYPE.resource,
  ungradedWidget: ACTIVITY_TYPE.resource,
  gradedWidget: ACTIVITY_TYPE.assessment,
  staffGraded: ACTIVITY_TYPE.assessment,
  discussionPrompt: ACTIVITY_TYPE.discussion,
};

/** The Activity type of an item of this category. */
export function itemActivityType(category: string | undefined): ActivityType {
  return (category === undefined ? undefined : ITEM_CATEGORY_TYPES[category]) ?? ACTIVITY_TYPE.resource;
}

/**
 * The item groups of indicators 8 to 11 (discussion prompts, peer assignments,
 * supplements, lectures), by category. Data, so that a new Coursera category is one line.
 */
export const INDICATOR_ITEM_GROUPS = {
  discussion: ['discussionPrompt'],
  peer: ['peer', 'closedPeer', 'phasedPeer', 'gradedPeer'],
  supplement: ['supplement'],
  lecture: ['lecture'],
} as const satisfies Record<string, readonly string[]>;
