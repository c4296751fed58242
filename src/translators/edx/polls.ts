/**
 * Poll and Survey XBlock answers (`xblock.poll.submitted`, `xblock.survey.submitted`):
 * the learner answered a question in the course. The answers are keys of the choices the
 * course defines (course content, not the learner's own words), so they stay whatever
 * the free-text policy; a survey's several questions are one response, `question=answer`
 * joined by `[,]` as xAPI joins the parts of a response.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import { ACTIVITY_TYPE, VERB } from '../../xapi/vocabulary.js';
import { moduleBlock } from './activities.js';
import { at, str } from './fields.js';
import type { EdxRuleTable } from './rule.js';

/** A survey's answers as `question=answer[,]...`, in the order edX wrote them. */
function surveyResponse(e: EdxEvent): string | undefined {
  const choices = at(e, 'choices');
  if (typeof choices !== 'object' || choices === null) return undefined;
  const parts = Object.entries(choices).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? undefined : parts.join('[,]');
}

/** Poll and survey rules. */
export const pollRules = {
  'xblock.poll.submitted': {
    verb: VERB.answered,
    object: (e, c) => moduleBlock(e, c, ACTIVITY_TYPE.survey),
    result: (e) => {
      const choice = str(e, 'choice');
      return choice === undefined ? undefined : { response: choice };
    },
  },
  'xblock.survey.submitted': {
    verb: VERB.answered,
    object: (e, c) => moduleBlock(e, c, ACTIVITY_TYPE.survey),
    result: (e) => {
      const response = surveyResponse(e);
      return response === undefined ? undefined : { response };
    },
  },
} satisfies EdxRuleTable;
