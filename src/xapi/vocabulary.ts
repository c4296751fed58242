// The verbs, activity types and extensions every translator shares. Plain data: a
// translator names `VERB.played`, never an IRI string, so that one platform's "played"
// is every platform's. Sources: the ADL vocabulary (http://adlnet.gov/expapi/...), the
// xAPI Video Profile 1.0 (https://w3id.org/xapi/video), the Tin Can registry
// (http://id.tincanapi.com/...), Activity Streams 1.0 (http://activitystrea.ms/...) and
// the acrossx profile. Keys are camelCase; IRIs are never changed once statements use them.
import type { Activity, LanguageMap, Verb } from './types.js';

/** A kind of Activity: its IRI (`definition.type`) and display name. */
export interface ActivityType {
  id: string;
  name: LanguageMap;
}

/** Verbs by name; the video profile reuses ADL's initialized, completed, interacted, terminated. */
export const VERB = {
  answered: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
  asked: { id: 'http://adlnet.gov/expapi/verbs/asked', display: { 'en-US': 'asked' } },
  attempted: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } },
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended' } },
  commented: { id: 'http://adlnet.gov/expapi/verbs/commented', display: { 'en-US': 'commented' } },
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  exited: { id: 'http://adlnet.gov/expapi/verbs/exited', display: { 'en-US': 'exited' } },
  experienced: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'en-US': 'experienced' } },
  failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-US': 'failed' } },
  initialized: { id: 'http://adlnet.gov/expapi/verbs/initialized', display: { 'en-US': 'initialized' } },
  interacted: { id: 'http://adlnet.gov/expapi/verbs/interacted', display: { 'en-US': 'interacted' } },
  launched: { id: 'http://adlnet.gov/expapi/verbs/launched', display: { 'en-US': 'launched' } },
  mastered: { id: 'http://adlnet.gov/expapi/verbs/mastered', display: { 'en-US': 'mastered' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
  preferred: { id: 'http://adlnet.gov/expapi/verbs/preferred', display: { 'en-US': 'preferred' } },
  progressed: { id: 'http://adlnet.gov/expapi/verbs/progressed', display: { 'en-US': 'progressed' } },
  registered: { id: 'http://adlnet.gov/expapi/verbs/registered', display: { 'en-US': 'registered' } },
  responded: { id: 'http://adlnet.gov/expapi/verbs/responded', display: { 'en-US': 'responded' } },
  resumed: { id: 'http://adlnet.gov/expapi/verbs/resumed', display: { 'en-US': 'resumed' } },
  scored: { id: 'http://adlnet.gov/expapi/verbs/scored', display: { 'en-US': 'scored' } },
  shared: { id: 'http://adlnet.gov/expapi/verbs/shared', display: { 'en-US': 'shared' } },
  suspended: { id: 'http://adlnet.gov/expapi/verbs/suspended', display: { 'en-US': 'suspended' } },
  terminated: { id: 'http://adlnet.gov/expapi/verbs/terminated', display: { 'en-US': 'terminated' } },
  /** Reserved by the spec (2.3.2): its object MUST be a StatementRef. */
  voided: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
  played: { id: 'https://w3id.org/xapi/video/verbs/played', display: { 'en-US': 'played' } },
  paused: { id: 'https://w3id.org/xapi/video/verbs/paused', display: { 'en-US': 'paused' } },
  seeked: { id: 'https://w3id.org/xapi/video/verbs/seeked', display: { 'en-US': 'seeked' } },
  bookmarked: { id: 'http://id.tincanapi.com/verb/bookmarked', display: { 'en-US': 'bookmarked' } },
  /** Removing a bookmark: no registry verb undoes `bookmarked`, so the gateway names one. */
  unbookmarked: { id: 'https://w3id.org/xapi-gateway/verbs/unbookmarked', display: { 'en-US': 'unbookmarked' } },
  downloaded: { id: 'http://id.tincanapi.com/verb/downloaded', display: { 'en-US': 'downloaded' } },
  earned: { id: 'http://id.tincanapi.com/verb/earned', display: { 'en-US': 'earned' } },
  liked: { id: 'http://id.tincanapi.com/verb/liked', display: { 'en-US': 'liked' } },
  rated: { id: 'http://id.tincanapi.com/verb/rated', display: { 'en-US': 'rated' } },
  replied: { id: 'http://id.tincanapi.com/verb/replied', display: { 'en-US': 'replied' } },
  reviewed: { id: 'http://id.tincanapi.com/verb/reviewed', display: { 'en-US': 'reviewed' } },
  skipped: { id: 'http://id.tincanapi.com/verb/skipped', display: { 'en-US': 'skipped' } },
  /** Leaving a course: the counterpart of `registered`, as Open edX uses it. */
  unregistered: { id: 'http://id.tincanapi.com/verb/unregistered', display: { 'en-US': 'unregistered' } },
  viewed: { id: 'http://id.tincanapi.com/verb/viewed', display: { 'en-US': 'viewed' } },
  votedUp: { id: 'http://id.tincanapi.com/verb/voted-up', display: { 'en-US': 'up voted' } },
  votedDown: { id: 'http://id.tincanapi.com/verb/voted-down', display: { 'en-US': 'down voted' } },
  submitted: { id: 'http://activitystrea.ms/schema/1.0/submit', display: { 'en-US': 'submitted' } },
  created: { id: 'http://activitystrea.ms/schema/1.0/create', display: { 'en-US': 'created' } },
  updated: { id: 'http://activitystrea.ms/schema/1.0/update', display: { 'en-US': 'updated' } },
  deleted: { id: 'http://activitystrea.ms/schema/1.0/delete', display: { 'en-US': 'deleted' } },
  /** Practising a skill to a first level (Khan Academy's "practiced"), as registered by Activity Streams. */
  practiced: { id: 'http://activitystrea.ms/schema/1.0/practice', display: { 'en-US': 'practiced' } },
  /** Leaving a course and saying why (FutureLearn's leaving survey). */
  left: { id: 'http://activitystrea.ms/schema/1.0/leave', display: { 'en-US': 'left' } },
  posted: { id: 'https://w3id.org/xapi/acrossx/verbs/posted', display: { 'en-US': 'posted' } },
  searched: { id: 'https://w3id.org/xapi/acrossx/verbs/searched', display: { 'en-US': 'searched' } },
  /** Flagging content for moderators. */
  reported: { id: 'https://w3id.org/xapi/acrossx/verbs/reported', display: { 'en-US': 'reported' } },
  followed: { id: 'http://activitystrea.ms/schema/1.0/follow', display: { 'en-US': 'followed' } },
  /** Activity Streams 1.0's own reversal of `follow`. */
  unfollowed: { id: 'http://activitystrea.ms/schema/1.0/stop-following', display: { 'en-US': 'stopped following' } },
  // Reversals no registry names get the gateway's verbs (GATEWAY_VERB_BASE): a reversal
  // never takes the verb of the action it undoes, or counts of that verb would include it.
  /** Withdrawing one's vote on a post. */
  unvoted: { id: 'https://w3id.org/xapi-gateway/verbs/unvoted', display: { 'en-US': 'withdrew vote' } },
  /** Withdrawing a report (flag) one made. */
  unreported: { id: 'https://w3id.org/xapi-gateway/verbs/unreported', display: { 'en-US': 'withdrew report' } },
  /** Marking a forum answer as endorsed (edX: `mark`), and taking the mark back. */
  endorsed: { id: 'https://w3id.org/xapi-gateway/verbs/endorsed', display: { 'en-US': 'endorsed' } },
  unendorsed: { id: 'https://w3id.org/xapi-gateway/verbs/unendorsed', display: { 'en-US': 'withdrew endorsement' } },
  /** Closing a discussion thread to new posts, and opening it again. */
  locked: { id: 'https://w3id.org/xapi-gateway/verbs/locked', display: { 'en-US': 'locked' } },
  unlocked: { id: 'https://w3id.org/xapi-gateway/verbs/unlocked', display: { 'en-US': 'unlocked' } },
  navigated: { id: 'https://w3id.org/xapi/dod-isd/verbs/navigated', display: { 'en-US': 'navigated' } },
} as const satisfies Record<string, Verb>;

/** Activity types by name, for `definition.type`. */
export const ACTIVITY_TYPE = {
  course: { id: 'http://adlnet.gov/expapi/activities/course', name: { 'en-US': 'course' } },
  module: { id: 'http://adlnet.gov/expapi/activities/module', name: { 'en-US': 'module' } },
  lesson: { id: 'http://adlnet.gov/expapi/activities/lesson', name: { 'en-US': 'lesson' } },
  assessment: { id: 'http://adlnet.gov/expapi/activities/assessment', name: { 'en-US': 'assessment' } },
  /** The type of interaction Activities, those with an interactionType (2.4.4.1.s13.b2). */
  cmiInteraction: { id: 'http://adlnet.gov/expapi/activities/cmi.interaction', name: { 'en-US': 'interaction' } },
  interaction: { id: 'http://adlnet.gov/expapi/activities/interaction', name: { 'en-US': 'interaction' } },
  question: { id: 'http://adlnet.gov/expapi/activities/question', name: { 'en-US': 'question' } },
  objective: { id: 'http://adlnet.gov/expapi/activities/objective', name: { 'en-US': 'objective' } },
  performance: { id: 'http://adlnet.gov/expapi/activities/performance', name: { 'en-US': 'performance' } },
  simulation: { id: 'http://adlnet.gov/expapi/activities/simulation', name: { 'en-US': 'simulation' } },
  meeting: { id: 'http://adlnet.gov/expapi/activities/meeting', name: { 'en-US': 'meeting' } },
  media: { id: 'http://adlnet.gov/expapi/activities/media', name: { 'en-US': 'media' } },
  file: { id: 'http://adlnet.gov/expapi/activities/file', name: { 'en-US': 'file' } },
  link: { id: 'http://adlnet.gov/expapi/activities/link', name: { 'en-US': 'link' } },
  /** An xAPI profile, used in contextActivities.category. */
  profile: { id: 'http://adlnet.gov/expapi/activities/profile', name: { 'en-US': 'profile' } },
  video: { id: 'https://w3id.org/xapi/video/activity-type/video', name: { 'en-US': 'video' } },
  page: { id: 'http://activitystrea.ms/schema/1.0/page', name: { 'en-US': 'page' } },
  comment: { id: 'http://activitystrea.ms/schema/1.0/comment', name: { 'en-US': 'comment' } },
  certificate: { id: 'http://id.tincanapi.com/activitytype/certificate', name: { 'en-US': 'certificate' } },
  badge: { id: 'http://activitystrea.ms/schema/1.0/badge', name: { 'en-US': 'badge' } },
  discussion: { id: 'http://id.tincanapi.com/activitytype/discussion', name: { 'en-US': 'discussion' } },
  forumReply: { id: 'http://id.tincanapi.com/activitytype/forum-reply', name: { 'en-US': 'forum reply' } },
  book: { id: 'http://id.tincanapi.com/activitytype/book', name: { 'en-US': 'book' } },
  chapter: { id: 'http://id.tincanapi.com/activitytype/chapter', name: { 'en-US': 'chapter' } },
  document: { id: 'http://id.tincanapi.com/activitytype/document', name: { 'en-US': 'document' } },
  resource: { id: 'http://id.tincanapi.com/activitytype/resource', name: { 'en-US': 'resource' } },
  survey: { id: 'http://id.tincanapi.com/activitytype/survey', name: { 'en-US': 'survey' } },
  lms: { id: 'http://id.tincanapi.com/activitytype/lms', name: { 'en-US': 'LMS' } },
  /** A practice exercise (Khan Academy): no registry type fits, so the gateway names one. */
  exercise: { id: 'https://w3id.org/xapi-gateway/activity-types/exercise', name: { 'en-US': 'exercise' } },
} as const satisfies Record<string, ActivityType>;

/** Profiles a statement declares in contextActivities.category. */
export const PROFILE = {
  /** The xAPI Video Profile requires this category on its statements. */
  video: { id: 'https://w3id.org/xapi/video', definition: { type: 'http://adlnet.gov/expapi/activities/profile' } },
} as const satisfies Record<string, Activity>;

/** Base IRI of the gateway's own verbs (`VERB.unvoted`, ...). */
export const GATEWAY_VERB_BASE = 'https://w3id.org/xapi-gateway/verbs/';

/** Base IRI of the gateway's own extensions; each key below is this plus a name. */
export const GATEWAY_EXTENSION_BASE = 'https://w3id.org/xapi-gateway/extensions/';

/** Extension IRIs: the xAPI Video Profile's (`video*`), then the gateway's own. */
export const EXT = {
  videoTime: 'https://w3id.org/xapi/video/extensions/time',
  videoTimeFrom: 'https://w3id.org/xapi/video/extensions/time-from',
  videoTimeTo: 'https://w3id.org/xapi/video/extensions/time-to',
  videoProgress: 'https://w3id.org/xapi/video/extensions/progress',
  videoLength: 'https://w3id.org/xapi/video/extensions/length',
  videoSessionId: 'https://w3id.org/xapi/video/extensions/session-id',
  videoSpeed: 'https://w3id.org/xapi/video/extensions/speed',
  videoVolume: 'https://w3id.org/xapi/video/extensions/volume',
  videoFullScreen: 'https://w3id.org/xapi/video/extensions/full-screen',
  videoCcEnabled: 'https://w3id.org/xapi/video/extensions/cc-enabled',
  videoCcSubtitleLang: 'https://w3id.org/xapi/video/extensions/cc-subtitle-lang',
  videoCompletionThreshold: 'https://w3id.org/xapi/video/extensions/completion-threshold',
  videoPlayedSegments: 'https://w3id.org/xapi/video/extensions/played-segments',
  /** Progress in percent, 0 to 100 (cmi5). */
  progress: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  /** Position of a module (week, chapter) within its course, from 1. */
  moduleIndex: 'https://w3id.org/xapi-gateway/extensions/module-index',
  /** Position of a lesson within its module, from 1. */
  lessonIndex: 'https://w3id.org/xapi-gateway/extensions/lesson-index',
  /** Position of an item within its lesson, from 1. */
  itemIndex: 'https://w3id.org/xapi-gateway/extensions/item-index',
  /** The platform's own kind of item (e.g. Coursera's "lecture", "quiz"). */
  itemType: 'https://w3id.org/xapi-gateway/extensions/item-type',
  /** The platform's session id, where it has one. */
  sessionId: 'https://w3id.org/xapi-gateway/extensions/session-id',
  /** The source record type the statement was translated from (edX event type, etc.). */
  sourceType: 'https://w3id.org/xapi-gateway/extensions/source-type',
  /** Which attempt at a problem or exam this was, from 1. */
  attempts: 'https://w3id.org/xapi-gateway/extensions/attempts',
  /** The platform's id of one attempt at an exam (edX `attempt_id`). */
  attemptId: 'https://w3id.org/xapi-gateway/extensions/attempt-id',
  /** The kind of a special exam (edX: timed, practice, proctored, onboarding). */
  examKind: 'https://w3id.org/xapi-gateway/extensions/exam-kind',
  /** The time an exam allows, in minutes (edX `exam_default_time_limit_mins`). */
  timeLimitMinutes: 'https://w3id.org/xapi-gateway/extensions/time-limit-minutes',
  /** The enrollment mode (edX: audit, verified, honor, ...). */
  enrollmentMode: 'https://w3id.org/xapi-gateway/extensions/enrollment-mode',
  /** The kind of a course page (edX: info, courseware, progress, discussion, wiki, ...). */
  pageKind: 'https://w3id.org/xapi-gateway/extensions/page-kind',
  /** The position moved from and to, within a sequence, a book or a list. */
  positionFrom: 'https://w3id.org/xapi-gateway/extensions/position-from',
  positionTo: 'https://w3id.org/xapi-gateway/extensions/position-to',
  /** Which hint was shown, from 0. */
  hintIndex: 'https://w3id.org/xapi-gateway/extensions/hint-index',
  /** A page number of a book or document. */
  page: 'https://w3id.org/xapi-gateway/extensions/page',
  /** How many results a search found. */
  resultCount: 'https://w3id.org/xapi-gateway/extensions/result-count',
  /**
   * The parts of a multi-part answer (edX problem inputs), input id → `{response,
   * choiceText, correct, question, responseType, inputType, variant}` where known.
   */
  parts: 'https://w3id.org/xapi-gateway/extensions/parts',
  /** The item an action moved (edX drag and drop: `item_id`). */
  item: 'https://w3id.org/xapi-gateway/extensions/item',
  /** Whether the learner did it by hand (true) or the platform did (false). */
  manually: 'https://w3id.org/xapi-gateway/extensions/manually',
  /** The letter grade of a course grade. */
  letterGrade: 'https://w3id.org/xapi-gateway/extensions/letter-grade',
  /** The kind of an assessment (edX open response: peer, self, staff). */
  assessmentType: 'https://w3id.org/xapi-gateway/extensions/assessment-type',
  /** How many learners liked a comment when the data was exported. */
  likes: 'https://w3id.org/xapi-gateway/extensions/likes',
  /** The reason a learner gave for leaving a course. */
  leavingReason: 'https://w3id.org/xapi-gateway/extensions/leaving-reason',
  /** The platform's kind of question (FutureLearn: MultipleChoiceQuestion, ...). */
  questionType: 'https://w3id.org/xapi-gateway/extensions/question-type',
  /** Why the platform refused a learner's attempt (edX `problem_check_fail`: `closed`, `unreset`). */
  refusal: 'https://w3id.org/xapi-gateway/extensions/refusal',
  /** The platform's action name where one verb covers several (e.g. edX textbook zoom). */
  action: 'https://w3id.org/xapi-gateway/extensions/action',
  /** The platform's level of a skill (Khan Academy: practiced, mastery1, struggling, ...), and the one before a change. */
  level: 'https://w3id.org/xapi-gateway/extensions/level',
  levelFrom: 'https://w3id.org/xapi-gateway/extensions/level-from',
  /** Answers right in a row now, and the most ever, on one exercise. */
  streak: 'https://w3id.org/xapi-gateway/extensions/streak',
  longestStreak: 'https://w3id.org/xapi-gateway/extensions/longest-streak',
  /** The platform's badge category (Khan Academy: 0 meteorite to 5 challenge patches). */
  badgeCategory: 'https://w3id.org/xapi-gateway/extensions/badge-category',
  /** How many badges a learner holds per badge category, category → count. */
  badgeCounts: 'https://w3id.org/xapi-gateway/extensions/badge-counts',
  /** What a badge was earned on, as the platform names it (Khan Academy's `target_context_name`). */
  targetContext: 'https://w3id.org/xapi-gateway/extensions/target-context',
} as const satisfies Record<string, string>;
