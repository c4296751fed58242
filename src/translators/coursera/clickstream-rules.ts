/**
 * Rules of Coursera clickstream page views, keyed `clickstream:<page type>`: a view of
 * an item page, of the forums (a forum visit), or of another page of the course.
 */
import type { ClickstreamItemView, ClickstreamRecord } from '../../ingest/coursera/records.js';
import { ACTIVITY_TYPE, VERB } from '../../xapi/vocabulary.js';
import { courseraIri } from './iris.js';
import { activity } from '../rule-table.js';
import { itemActivity, type CourseraRule, type CourseraRuleTable } from './rule.js';

// Two views of one page by one learner in one session at the same millisecond are one view.
const viewKey = (r: ClickstreamRecord) => `${r.userId}|${r.sessionId ?? ''}|${r.time}|${r.path}`;

const itemViewed: CourseraRule<ClickstreamItemView> = {
  verb: VERB.viewed,
  object: (r, c) => itemActivity(c, r.itemId, r.segment),
  item: (r) => r.itemId,
  key: viewKey,
};

/** Rules of clickstream page views. */
export const clickstreamRules = {
  'clickstream:lecture': itemViewed,
  'clickstream:supplement': itemViewed,
  'clickstream:quiz': itemViewed,
  'clickstream:exam': itemViewed,
  'clickstream:peer': itemViewed,
  'clickstream:discussionPrompt': itemViewed,
  'clickstream:programming': itemViewed,
  'clickstream:gradedProgramming': itemViewed,
  'clickstream:ungradedProgramming': itemViewed,
  'clickstream:ungradedWidget': itemViewed,
  'clickstream:gradedWidget': itemViewed,
  'clickstream:ungradedLti': itemViewed,
  'clickstream:gradedLti': itemViewed,
  'clickstream:ungradedLab': itemViewed,
  'clickstream:gradedLab': itemViewed,
  'clickstream:staffGraded': itemViewed,
  'clickstream:discussions': {
    verb: VERB.viewed,
    object: (_r, c) => activity(courseraIri.forums(c.courseId), ACTIVITY_TYPE.discussion),
    key: viewKey,
  },
  'clickstream:page': {
    verb: VERB.viewed,
    object: (r, c) => activity(courseraIri.page(c.courseId, r.path), ACTIVITY_TYPE.page),
    key: viewKey,
  },
} satisfies Partial<CourseraRuleTable<ClickstreamRecord>>;
