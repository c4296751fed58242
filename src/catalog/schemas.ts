/**
 * The catalogue's records as JSON Schemas: the one description that validates admin
 * input (every bad field reported at once) and documents it in `/openapi.json`.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ECO_INTEREST_AREAS } from './schema.js';
import { CodedError } from '../errors.js';
import { storableIssues } from '../xapi/storable.js';

// ajv and ajv-formats are CommonJS; under NodeNext their default import is module.exports.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

// Text that XML 1.0 cannot carry (C0 controls, U+FFFE, U+FFFF) makes an OAI page not
// well-formed; a line break in a one-line field (a name, an organisation) breaks the
// vCard line ECO reads it from. Other controls (DEL, C1) and line separators are never
// meant. Multi-line fields take tab and line breaks. Their messages: PATTERN_MESSAGES.
const SINGLE_LINE = '^[^\\p{Cc}\\u2028\\u2029\\uFFFE\\uFFFF]*$';
const MULTI_LINE = '^(?:[\\t\\n\\r]|[^\\p{Cc}\\u2028\\u2029\\uFFFE\\uFFFF])*$';
const LANGUAGE_TAG = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$';
const HTTP_URL = '^https?://';
// The local part of an OAI identifier (oai-identifier.xsd), without `/ ? #`, which the
// id's admin URL path cannot hold.
const OAI_LOCAL_ID = "^[A-Za-z0-9\\-_.!~*'();:@&=+$,%]+$";
const ONE_LINE_ID = '^[^\\s\\p{Cc}/?#\\uFFFE\\uFFFF]+$';
const SET_SPEC = "^[A-Za-z0-9\\-_.!~*'()]+(:[A-Za-z0-9\\-_.!~*'()]+)*$";

/** What a failed `pattern` means, in words; the pattern itself means nothing to an operator. */
const PATTERN_MESSAGES: Record<string, string> = {
  [SINGLE_LINE]: 'must be one line of text: no line break, tab or other control character',
  [MULTI_LINE]: 'must be text: no control character but tab and line breaks',
  [LANGUAGE_TAG]: 'must be a BCP 47 language tag, e.g. en or pt-BR',
  [HTTP_URL]: 'must be an http:// or https:// URL',
  [OAI_LOCAL_ID]: "must form an OAI identifier: letters, digits and - _ . ! ~ * ' ( ) ; : @ & = + $ , % only",
  [ONE_LINE_ID]: 'must be one word without spaces, control characters, /, ? or #',
  [SET_SPEC]: "must be a setSpec: letters, digits and - _ . ! ~ * ' ( ), parts joined by :",
};

/** What a failed `format` means. */
const FORMAT_MESSAGES: Record<string, string> = {
  uri: PATTERN_MESSAGES[HTTP_URL]!,
  date: 'must be a calendar date YYYY-MM-DD (no time, so no offset; served as that day in UTC)',
};

const oneLine = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: SINGLE_LINE }) as const;

const languageMap = (maxLength: number, pattern: string) => ({
  type: 'object',
  description: 'text by BCP 47 language tag, e.g. {"en": "...", "es": "..."}',
  propertyNames: { maxLength: 35, pattern: LANGUAGE_TAG },
  additionalProperties: { type: 'string', minLength: 1, maxLength, pattern },
  maxProperties: 50,
}) as const;

const identifier = { type: 'string', minLength: 1, maxLength: 300, pattern: ONE_LINE_ID } as const;
const httpUrl = { type: 'string', format: 'uri', pattern: HTTP_URL, maxLength: 2000 } as const;

/** A course as the admin API takes and returns it. */
export const COURSE_SCHEMA = {
  $id: 'Course',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'platform', 'platformCourseId', 'titles'],
  properties: {
    id: { ...identifier, pattern: OAI_LOCAL_ID, description: 'local id: the OAI identifier is oai:<OAI_REPOSITORY_ID>:<id>' },
    platform: { type: 'string', enum: ['edx', 'coursera', 'futurelearn', 'khan', 'other'] },
    platformCourseId: oneLine(300),
    titles: { ...languageMap(1000, SINGLE_LINE), minProperties: 1 },
    descriptions: languageMap(20000, MULTI_LINE),
    languages: { type: 'array', items: { type: 'string', maxLength: 35, pattern: LANGUAGE_TAG }, uniqueItems: true, maxItems: 50 },
    url: httpUrl,
    organisation: oneLine(500),
    startDate: { type: 'string', format: 'date' },
    endDate: { type: 'string', format: 'date' },
    units: { type: 'integer', minimum: 0, maximum: 10000 },
    studyLoadHours: { type: 'integer', minimum: 1, maximum: 100000, description: 'ECO studyLoad: a positive number of hours' },
    typicalLearningTime: { type: 'string', maxLength: 100, pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$', description: 'ISO 8601 duration' },
    interestArea: { type: 'string', enum: [...ECO_INTEREST_AREAS] },
    imageUrl: httpUrl,
    teachers: { type: 'array', items: identifier, uniqueItems: true, maxItems: 100, description: 'teacher ids, in the order shown' },
    sets: { type: 'array', items: { type: 'string', maxLength: 300, pattern: SET_SPEC }, uniqueItems: true, maxItems: 100 },
    published: { type: 'boolean' },
  },
} as const;

/** A teacher. */
export const TEACHER_SCHEMA = {
  $id: 'Teacher',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    id: identifier,
    name: oneLine(500),
    imageUrl: httpUrl,
    descriptions: languageMap(20000, MULTI_LINE),
  },
} as const;

/** An OAI set; `a:b` is a subset of `a`, which must exist. */
export const SET_SCHEMA = {
  $id: 'Set',
  type: 'object',
  additionalProperties: false,
  required: ['spec', 'name'],
  properties: {
    spec: COURSE_SCHEMA.properties.sets.items,
    name: oneLine(500),
    description: { type: 'string', maxLength: 20000, pattern: MULTI_LINE },
  },
} as const;

/** An identity link. */
export const LINK_SCHEMA = {
  $id: 'IdentityLink',
  type: 'object',
  additionalProperties: false,
  required: ['platform', 'platformUserId', 'ecoUserId'],
  properties: {
    platform: COURSE_SCHEMA.properties.platform,
    platformUserId: oneLine(300),
    ecoUserId: oneLine(300),
  },
} as const;

/** Input that cannot be stored (`invalid`), listing every bad field in `errors`. */
export class ValidationError extends CodedError {
  override readonly name: string = 'ValidationError';
  constructor(readonly problems: FieldProblem[]) {
    super('invalid', `${problems.length} field(s) are not valid`, { members: { errors: problems } });
  }
}

/** One bad field of an input: where (JSON pointer, e.g. `/titles/en`) and what is wrong. */
export interface FieldProblem {
  field: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['date', 'uri']);

function compiled(schema: object, partial: boolean): ValidateFunction {
  return ajv.compile(partial ? { ...schema, $id: `${(schema as { $id: string }).$id}Patch`, required: [] } : schema);
}

/** An ajv error in the README's words: what the value must be, never the value. */
function message(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of this record';
    case 'enum':
      return `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'pattern':
      return PATTERN_MESSAGES[String(e.params.pattern)] ?? e.message ?? 'is not valid';
    case 'format':
      return FORMAT_MESSAGES[String(e.params.format)] ?? e.message ?? 'is not valid';
    default:
      return e.message ?? 'is not valid';
  }
}

function problem(e: ErrorObject): FieldProblem {
  const field = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath || '/';
  return { field, message: message(e) };
}

/** The JSON pointer (RFC 6901) of `key` inside the value at `base`. */
const pointerChild = (base: string, key: string | number): string => `${base}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * A validator that lists every bad field; `partial` accepts any subset of the fields
 * (PATCH). Text the database cannot hold (U+0000, lone surrogates) and nesting too deep
 * to check are listed first and alone, and the record is not checked further.
 */
export function validator(schema: object, partial = false): (value: unknown) => FieldProblem[] {
  // Compiled at the first record, not at module load: start-up does not wait for it.
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= compiled(schema, partial);
    const unstorable = storableIssues(value, { join: pointerChild });
    if (unstorable.length > 0) return unstorable.map((i) => ({ field: i.path || '/', message: i.message }));
    if (validate(value)) return [];
    // ajv may report one field twice (e.g. a format and a pattern); list it once per message.
    const byKey = new Map((validate.errors ?? []).map(problem).map((p) => [`${p.field}\u0000${p.message}`, p]));
    return [...byKey.values()];
  };
}
