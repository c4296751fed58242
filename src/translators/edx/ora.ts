/**
 * Open response assessment (`openassessmentblock.*`): a learner submits a response,
 * assesses a peer's or their own, or is assessed by staff. The block is the one edX
 * names in `context.module`; the learners' texts stay out of statements.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { moduleBlock } from './activities.js';
import { at, num } from './fields.js';
import { score } from './grades.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

const ASSESSMENT_TYPES: Record<string, string> = { PE: 'peer', SE: 'self', ST: 'staff' };

const oraBlock = (e: EdxEvent, c: RuleContext) => moduleBlock(e, c, ACTIVITY_TYPE.assessment);

/** The points given over the points possible, summed over the rubric's criteria. */
function assessment(e: EdxEvent): Result | undefined {
  const parts = at(e, 'parts');
  const result: Result = {};
  if (Array.isArray(parts) && parts.length > 0) {
    let earned = 0;
    let possible = 0;
    for (const part of parts as { option?: { points?: unknown }; criterion?: { points_possible?: unknown } }[]) {
      earned += Number(part.option?.points ?? 0) || 0;
      possible += Number(part.criterion?.points_possible ?? 0) || 0;
    }
    result.score = score(earned, possible);
  }
  const kind = ASSESSMENT_TYPES[String(at(e, 'score_type'))];
  if (kind !== undefined) result.extensions = { [EXT.assessmentType]: kind };
  return result.score === undefined && result.extensions === undefined ? undefined : result;
}

const assessed: EdxRule = { verb: VERB.reviewed, object: oraBlock, result: assessment };

/** Open response assessment rules. */
export const oraRules = {
  'openassessmentblock.create_submission': {
    verb: VERB.submitted,
    object: oraBlock,
    result: (e) => {
      const attempt = num(e, 'attempt_number');
      return { completion: true, ...(attempt === undefined ? {} : { extensions: { [EXT.attempts]: attempt } }) };
    },
  },
  'openassessmentblock.save_submission': { verb: VERB.interacted, object: oraBlock, result: () => ({ extensions: { [EXT.action]: 'save_submission' } }) },
  'openassessmentblock.get_peer_submission': { verb: VERB.viewed, object: oraBlock },
  'openassessmentblock.peer_assess': assessed,
  'openassessmentblock.self_assess': assessed,
  'openassessmentblock.staff_assess': assessed,
  'openassessment.student_training_assess_example': { verb: VERB.attempted, object: oraBlock },
  'openassessmentblock.submit_feedback_on_assessments': { verb: VERB.commented, object: oraBlock },
} satisfies EdxRuleTable;
