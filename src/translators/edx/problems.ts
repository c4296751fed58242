/**
 * Problem events. The server's `problem_check` is the graded answer; the browser's
 * twin carries only the raw answer, so it becomes `attempted`. `problem_show` and
 * `problem_graded` are the browser's echoes of `showanswer` and of the server's check:
 * translating them would count one action twice.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { Activity, Result } from '../../xapi/types.js';
import { ACTIVITY_TYPE, EXT, VERB } from '../../xapi/vocabulary.js';
import { block, moduleBlock } from './activities.js';
import { at, num, reqNum, str } from './fields.js';
import { score } from './grades.js';
import type { EdxRule, EdxRuleTable, RuleContext } from './rule.js';

/** The problem an event is about: its `problem_id` or `problem`, else `context.module`. */
function problem(e: EdxEvent, c: RuleContext): Activity {
  const id = str(e, 'problem_id') ?? str(e, 'problem');
  const name = e.module?.displayName;
  const found = id === undefined ? moduleBlock(e, c, ACTIVITY_TYPE.cmiInteraction) : block(c, id, 'event.problem_id', ACTIVITY_TYPE.cmiInteraction, { category: 'problem', name });
  return { ...found, definition: { ...found.definition, interactionType: 'other' } };
}

const INPUT_NAME = /^input_(.+)_\d+_\d+(?:_[A-Za-z].*)?$/;

/** The browser's check names the problem only in its input names: `input_<block>_2_1=...`. */
function problemOfInputs(e: EdxEvent, c: RuleContext): Activity {
  const input = Object.keys(e.data).map((k) => INPUT_NAME.exec(k)?.[1]).find((name) => name !== undefined);
  if (input === undefined) return problem(e, c);
  const found = block(c, input, 'event', ACTIVITY_TYPE.cmiInteraction, { category: 'problem' });
  return { ...found, definition: { ...found.definition, interactionType: 'other' } };
}

/**
 * Answers `{input: value | values}` as an xAPI response: one part per input, joined by
 * `[,]` (so a report can give each question part its column), the values of a
 * multiple-choice input joined by `,`.
 */
function response(answers: unknown): string | undefined {
  if (typeof answers !== 'object' || answers === null) return typeof answers === 'string' ? answers : undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return Object.values(answers as Record<string, unknown>).map((v) => (Array.isArray(v) ? v.map(text).join(',') : text(v))).join('[,]');
}

/** The graded result of a server `problem_check`. */
function checked(e: EdxEvent): Result {
  const result: Result = { score: score(reqNum(e, 'grade'), reqNum(e, 'max_grade')) };
  const success = str(e, 'success');
  if (success !== undefined) result.success = success === 'correct';
  const answer = response(at(e, 'answers'));
  if (answer !== undefined) result.response = answer;
  const attempts = num(e, 'attempts');
  if (attempts !== undefined) result.extensions = { [EXT.attempts]: attempts };
  return result;
}

const action = (name: string): EdxRule => ({
  verb: VERB.interacted,
  object: problem,
  result: () => ({ extensions: { [EXT.action]: name } }),
});

/** Problem rules. */
export const problemRules = {
  problem_check: {
    bySource: {
      server: { verb: VERB.answered, object: problem, result: checked },
      browser: {
        verb: VERB.attempted,
        object: problemOfInputs,
        result: (e) => {
          const raw = str(e, 'value');
          return raw === undefined ? undefined : { response: raw };
        },
      },
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
      const result: Result = { score: score(reqNum(e, 'new_score'), reqNum(e, 'new_total')) };
      const success = str(e, 'success');
      if (success !== undefined) result.success = success === 'correct';
      return result;
    },
  },
  problem_reset: action('reset'),
  problem_save: action('save'),
} satisfies EdxRuleTable;

