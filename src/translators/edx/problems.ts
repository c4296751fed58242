/**
 * Problem events. The server's `problem_check` is the graded answer (`answered`); the
 * browser's twin, sent as the learner presses Check, carries only the form's raw answer,
 * so it is the attempt (`attempted`): reports count `answered` only, so one submission
 * counts once. `problem_show` and
 * `problem_graded` are the browser's echoes of `showanswer` and of the server's check:
 * translating them would count one action twice.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, InteractionType, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { block, moduleBlock } from './activities.js';
import { browserSubmission, interactionTypeOf, partsExtension, responseOf, serverSubmission, type Submission } from './answers.js';
import { num, str } from './fields.js';
import { scoreAt } from './grades.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** A problem activity; its interaction type only where the event says (else an LRS would keep a guess). */
function asProblem(found: Activity, interactionType?: InteractionType): Activity {
  return interactionType === undefined ? found : { ...found, definition: { ...found.definition, interactionType } };
}

/** The problem an event is about: its `problem_id` or `problem`, else `context.module`. */
function problem(e: EdxEvent, c: RuleContext, interactionType?: InteractionType): Activity {
  const id = str(e, 'problem_id') ?? str(e, 'problem');
  const name = e.module?.displayName;
  const found = id === undefined ? moduleBlock(e, c, ACTIVITY_TYPE.cmiInteraction) : block(c, id, 'event.problem_id', ACTIVITY_TYPE.cmiInteraction, { category: 'problem', name });
  return asProblem(found, interactionType);
}

const INPUT_NAME = /^input_(.+)_\d+_\d+(?:_[A-Za-z].*)?$/;

/** The browser's check names the problem only in its input names: `input_<block>_2_1=...`. */
function problemOfInputs(e: EdxEvent, c: RuleContext): Activity {
  const input = Object.keys(e.data).map((k) => INPUT_NAME.exec(k)?.[1]).find((name) => name !== undefined);
  if (input === undefined) return problem(e, c);
  return block(c, input, 'event', ACTIVITY_TYPE.cmiInteraction, { category: 'problem' });
}

/** Response and per-part extension of a submission, where it has parts. */
function answered(s: Submission): Result {
  const response = responseOf(s);
  const result: Result = response === undefined ? {} : { response };
  if (s.parts.size > 0) result.extensions = { [EXT.parts]: partsExtension(s) };
  return result;
}

/** The graded result of a server `problem_check`. */
function checked(e: EdxEvent, c: RuleContext): Result {
  const result: Result = { ...scoreAt(e, 'grade', 'max_grade') };
  const success = str(e, 'success');
  if (success !== undefined) result.success = success === 'correct';
  const answer = answered(serverSubmission(e, c.freeText));
  if (answer.response !== undefined) result.response = answer.response;
  const attempts = num(e, 'attempts');
  const extensions = { ...answer.extensions, ...(attempts === undefined ? {} : { [EXT.attempts]: attempts }) };
  if (Object.keys(extensions).length > 0) result.extensions = extensions;
  return result;
}

/** A control of the problem the learner clicked; the browser's event names the problem in its inputs only. */
const action = (name: string): EdxRule => ({
  verb: VERB.interacted,
  object: problemOfInputs,
  result: () => ({ extensions: { [EXT.action]: name } }),
});

/** A hint shown after a check: the learner read the feedback on their answer of one part. */
const feedbackShown: EdxRule = {
  verb: VERB.experienced,
  object: problem,
  result: (e) => {
    const correct = e.data.correctness;
    return typeof correct === 'boolean' ? { success: correct } : undefined;
  },
};

/** Problem rules. */
export const problemRules = {
  problem_check: {
    bySource: {
      server: { verb: VERB.answered, object: (e, c) => problem(e, c, interactionTypeOf(e)), result: checked },
      browser: { verb: VERB.attempted, object: problemOfInputs, result: (e, c) => answered(browserSubmission(e, c.freeText)) },
    },
  },
  problem_get: { verb: VERB.viewed, object: problem },
  problem_show: { ignore: 'browser echo of a server event' },
  problem_graded: { ignore: 'browser echo of a server event' },
  showanswer: { verb: VERB.asked, object: problem },
  'edx.problem.hint.demandhint_displayed': {
    verb: VERB.asked,
    object: problem,
    result: (e) => {
      const hint = num(e, 'hint_index');
      return hint === undefined ? undefined : { extensions: { [EXT.hintIndex]: hint } };
    },
  },
  'edx.problem.completed': { verb: VERB.completed, object: problem, result: () => ({ completion: true }) },
  problem_rescore: {
    verb: VERB.scored,
    object: problem,
    result: (e) => {
      const result: Result = { ...scoreAt(e, 'new_score', 'new_total') };
      const success = str(e, 'success');
      if (success !== undefined) result.success = success === 'correct';
      return result;
    },
  },
  'edx.problem.hint.feedback_displayed': feedbackShown,
  // A check the server refused (the problem closed, or to be reset first): an attempt, not an answer.
  problem_check_fail: {
    verb: VERB.attempted,
    object: problem,
    result: (e) => {
      const why = str(e, 'failure');
      return why === undefined ? undefined : { extensions: { [EXT.refusal]: why } };
    },
  },
  // The learner's click is the statement; the server logs the same action a moment later.
  problem_reset: action('reset'),
  problem_save: action('save'),
  reset_problem: { ignore: 'server twin of a browser event' },
  save_problem_success: { ignore: 'server twin of a browser event' },
} satisfies EdxRuleTable;

