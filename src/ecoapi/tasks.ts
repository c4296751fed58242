/** The task types of ECO's `tasks` endpoint (eco.md), by the activity type of a course's blocks. */
import { ACTIVITY_TYPE } from '../xapi/vocabulary.js';

const ECO_MODULE = 'http://adlnet.gov/expapi/activities/module';

/** Activity type of a block in statements → the type ECO expects; blocks of other types are no tasks. */
const TASK_TYPES: Record<string, string> = {
  [ACTIVITY_TYPE.module.id]: ECO_MODULE,
  [ACTIVITY_TYPE.lesson.id]: ECO_MODULE,
  [ACTIVITY_TYPE.resource.id]: ECO_MODULE,
  [ACTIVITY_TYPE.video.id]: 'http://activitystrea.ms/schema/1.0/video',
  [ACTIVITY_TYPE.cmiInteraction.id]: 'http://adlnet.gov/expapi/activities/question',
  [ACTIVITY_TYPE.question.id]: 'http://adlnet.gov/expapi/activities/question',
  [ACTIVITY_TYPE.assessment.id]: 'http://www.ecolearning.eu/expapi/activitytype/peerassessment',
  [ACTIVITY_TYPE.discussion.id]: 'http://id.tincanapi.com/activitytype/discussion',
};

/** The ECO task type of an activity type, or undefined when such blocks are no tasks. */
export function taskType(activityType: string | undefined): string | undefined {
  return activityType === undefined ? undefined : TASK_TYPES[activityType];
}

/** edX block category → the type ECO expects; categories not here are no tasks. */
const CATEGORY_TYPES: Record<string, string> = {
  chapter: ECO_MODULE,
  sequential: ECO_MODULE,
  vertical: ECO_MODULE,
  html: ECO_MODULE,
  video: 'http://activitystrea.ms/schema/1.0/video',
  problem: 'http://adlnet.gov/expapi/activities/question',
  openassessment: 'http://www.ecolearning.eu/expapi/activitytype/peerassessment',
  discussion: 'http://id.tincanapi.com/activitytype/discussion',
};

/** The ECO task type of an edX block category, or undefined when such blocks are no tasks. */
export function categoryTaskType(category: string): string | undefined {
  return CATEGORY_TYPES[category];
}
