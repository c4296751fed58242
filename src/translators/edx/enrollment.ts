/** Enrollment events: a learner joins, leaves, or changes mode in a course run. */
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { activity } from './activities.js';
import { str } from './fields.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

const course = (c: RuleContext) => activity(c.iris.course(c.course), ACTIVITY_TYPE.course);

const withMode: Pick<EdxRule, 'object' | 'extensions' | 'learner'> = {
  learner: (e) => str(e, 'user_id'),
  object: (_e, c) => course(c),
  extensions: (e) => {
    const mode = str(e, 'mode');
    return mode === undefined ? {} : { [EXT.enrollmentMode]: mode };
  },
};

/** Enrollment rules. */
export const enrollmentRules = {
  'edx.course.enrollment.activated': { verb: VERB.registered, ...withMode },
  'edx.course.enrollment.deactivated': { verb: VERB.unregistered, ...withMode },
  // A change of mode (audit to verified) is no new registration: reports count `registered`.
  'edx.course.enrollment.mode_changed': { verb: VERB.updated, ...withMode },
} satisfies EdxRuleTable;
