/**
 * A problem submission read part by part. A capa problem has one input per part
 * (`<block>_2_1`, `<block>_3_1`, ...); the server's `problem_check` names each in
 * `answers` (what was sent: choice ids or typed text) and, since 2014, in `submission`
 * (the question, the response type, the answer as displayed, whether it was correct).
 * The browser's twin names them as form fields `input_<block>_2_1`. Typed answers are
 * the learner's own words and go through the free-text policy (`EDX_FREE_TEXT`);
 * choice ids and choice texts are course content and stay.
 */
import type { EdxEvent } from '../../ingest/edx/event.js';
import type { InteractionType } from '../../xapi/types.js';
import { at } from './fields.js';
import type { FreeText } from './rule.js';

/** What a capa response type is in xAPI, and whether its answers are typed by the learner. */
interface ResponseKind {
  interaction: InteractionType;
  typed: boolean;
}

const CHOICE: ResponseKind = { interaction: 'choice', typed: false };
const OTHER: ResponseKind = { interaction: 'other', typed: true };

/**
 * capa response types (edX `capa/responsetypes.py`). A true/false problem is a choice:
 * edX sends choice ids, never the `true`/`false` that an xAPI true-false response is.
 * A formula is typed text, not a number, so it is fill-in. Every other type (custom,
 * jsinput, code, image, schematic, ...) is `other`, its answer treated as typed.
 */
const RESPONSE_KINDS: Record<string, ResponseKind> = {
  multiplechoiceresponse: CHOICE,
  choiceresponse: CHOICE,
  optionresponse: CHOICE,
  truefalseresponse: CHOICE,
  stringresponse: { interaction: 'fill-in', typed: true },
  formularesponse: { interaction: 'fill-in', typed: true },
  numericalresponse: { interaction: 'numeric', typed: true },
};

/** One part of a submission as it goes into the `parts` result extension. */
export interface Part {
  /** The answer: choice ids joined by `,`, or the typed text after the free-text policy. */
  response?: string;
  /** The text of the chosen choice(s), for choice parts: course content. */
  choiceText?: string;
  correct?: boolean;
  /** The question text: course content. */
  question?: string;
  responseType?: string;
  inputType?: string;
  variant?: string;
}

/** The parts of a submission by input id, in the order edX sent them, and its interaction type. */
export interface Submission {
  parts: Map<string, Part>;
  /** One type for the problem; `other` when its parts differ; undefined when no part says. */
  interactionType: InteractionType | undefined;
}

const CHOICE_ID = /^choice_\d+$/;

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
/** A value or list of values as text: list items joined by `,`, objects as JSON. */
const joined = (v: unknown): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',');
  return typeof v === 'string' ? v : JSON.stringify(v);
};

/** Without a response type, only choice ids are known not to be typed text. */
function looksTyped(value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return !values.every((v) => typeof v === 'string' && CHOICE_ID.test(v));
}

/** The server's submission: `answers` and `submission` merged by input id. */
export function serverSubmission(e: EdxEvent, freeText: FreeText): Submission {
  const answers = isFields(at(e, 'answers')) ? (at(e, 'answers') as Fields) : {};
  const details = isFields(at(e, 'submission')) ? (at(e, 'submission') as Fields) : {};
  const correctMap = isFields(at(e, 'correct_map')) ? (at(e, 'correct_map') as Fields) : {};
  const parts = new Map<string, Part>();
  for (const input of new Set([...Object.keys(answers), ...Object.keys(details)])) {
    const d = isFields(details[input]) ? details[input] : {};
    const responseType = text(d.response_type);
    const kind = responseType === undefined ? undefined : (RESPONSE_KINDS[responseType] ?? OTHER);
    const given = answers[input] ?? d.answer;
    const typed = kind?.typed ?? looksTyped(given);
    const raw = joined(given);
    const mark = isFields(correctMap[input]) ? text(correctMap[input].correctness) : undefined;
    const part: Part = {
      response: raw === undefined ? undefined : typed ? freeText(raw) : raw,
      choiceText: typed || answers[input] === undefined ? undefined : joined(d.answer),
      correct: typeof d.correct === 'boolean' ? d.correct : mark === undefined ? undefined : mark === 'correct',
      question: text(d.question),
      responseType,
      inputType: text(d.input_type),
      variant: text(d.variant),
    };
    parts.set(input, part);
  }
  return { parts, interactionType: interactionTypeOf(e) };
}

/** The interaction type of a server submission alone, without reading its answers. */
export function interactionTypeOf(e: EdxEvent): InteractionType | undefined {
  const details = at(e, 'submission');
  if (!isFields(details)) return undefined;
  const kinds = Object.values(details).flatMap((d) => {
    const responseType = isFields(d) ? text(d.response_type) : undefined;
    return responseType === undefined ? [] : [(RESPONSE_KINDS[responseType] ?? OTHER).interaction];
  });
  return oneType(kinds);
}

const INPUT_FIELD = /^input_(.+)$/;

/** The browser's submission: its `input_<id>` form fields, types unknown. */
export function browserSubmission(e: EdxEvent, freeText: FreeText): Submission {
  const parts = new Map<string, Part>();
  for (const [field, value] of Object.entries(e.data)) {
    const input = INPUT_FIELD.exec(field)?.[1];
    const raw = joined(value);
    if (input === undefined || raw === undefined) continue;
    parts.set(input, { response: looksTyped(value) ? freeText(raw) : raw });
  }
  return { parts, interactionType: undefined };
}

function oneType(kinds: InteractionType[]): InteractionType | undefined {
  if (kinds.length === 0) return undefined;
  return kinds.every((k) => k === kinds[0]) ? kinds[0] : 'other';
}

/**
 * The xAPI response of a submission: one part per input joined by `[,]` (so a report can
 * give each part its column; a dropped part stays as an empty place), or undefined when
 * no part has one.
 */
export function responseOf(s: Submission): string | undefined {
  const responses = [...s.parts.values()].map((p) => p.response);
  return responses.some((r) => r !== undefined) ? responses.map((r) => r ?? '').join('[,]') : undefined;
}

/** The parts as the `parts` extension: input id to its defined fields. */
export function partsExtension(s: Submission): Record<string, Part> {
  const out: Record<string, Part> = {};
  for (const [input, part] of s.parts) {
    out[input] = Object.fromEntries(Object.entries(part).filter(([, v]) => v !== undefined)) as Part;
  }
  return out;
}
