/**
 * The catalogue's records as JSON Schemas: the one description that validates admin
 * input (every bad field reported at once) and documents it in `/openapi.json`.
 */
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ECO_INTEREST_AREAS } from '../db/schema.js';
import { storableIssues } from '../xapi/storable.js';

// ajv and ajv-formats are CommonJS; under NodeNext their default import is module.exports.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

const languageMap = {
  type: 'object',
  description: 'text by BCP 47 language tag, e.g. {"en": "...", "es": "..."}',
  propertyNames: { pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' },
  additionalProperties: { type: 'string', minLength: 1, maxLength: 20000 },
  maxProperties: 50,
} as const;

const identifier = { type: 'string', minLength: 1, maxLength: 300, pattern: '^[^\\s/?#]+$' } as const;
const httpUrl = { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 } as const;

/** A course as the admin API takes and returns it. */
export const COURSE_SCHEMA = {
  $id: 'Course',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'platform', 'platformCourseId', 'titles'],
  properties: {
    id: { ...identifier, description: 'local id: the OAI identifier is oai:<OAI_REPOSITORY_ID>:<id>' },
    platform: { type: 'string', enum: ['edx', 'coursera', 'futurelearn', 'khan', 'other'] },
    platformCourseId: { type: 'string', minLength: 1, maxLength: 300 },
    titles: { ...languageMap, minProperties: 1 },
    descriptions: languageMap,
    languages: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' }, uniqueItems: true, maxItems: 50 },
    url: httpUrl,
    organisation: { type: 'string', minLength: 1, maxLength: 500 },
    startDate: { type: 'string', format: 'date' },
    endDate: { type: 'string', format: 'date' },
    units: { type: 'integer', minimum: 0, maximum: 10000 },
    studyLoadHours: { type: 'integer', minimum: 1, maximum: 100000, description: 'ECO studyLoad: a positive number of hours' },
    typicalLearningTime: { type: 'string', pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$', description: 'ISO 8601 duration' },
    interestArea: { type: 'string', enum: [...ECO_INTEREST_AREAS] },
    imageUrl: httpUrl,
    teachers: { type: 'array', items: identifier, uniqueItems: true, maxItems: 100, description: 'teacher ids, in the order shown' },
    sets: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9\\-_.!~*\'()]+(:[A-Za-z0-9\\-_.!~*\'()]+)*$' }, uniqueItems: true, maxItems: 100 },
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
    name: { type: 'string', minLength: 1, maxLength: 500 },
    imageUrl: httpUrl,
    descriptions: languageMap,
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
    name: { type: 'string', minLength: 1, maxLength: 500 },
    description: { type: 'string', maxLength: 20000 },
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
    platformUserId: { type: 'string', minLength: 1, maxLength: 300 },
    ecoUserId: { type: 'string', minLength: 1, maxLength: 300 },
  },
} as const;

/**
 * Input that cannot be stored, with every bad field; the HTTP layers answer it with a
 * 400 that lists them.
 */
export class ValidationError extends Error {
  override readonly name: string = 'ValidationError';
  constructor(readonly problems: FieldProblem[]) {
    super(`${problems.length} field(s) are not valid`);
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

function problem(e: ErrorObject): FieldProblem {
  const field = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.keyword === 'additionalProperties' ? `${e.instancePath}/${String(e.params.additionalProperty)}` : e.instancePath || '/';
  const message = e.keyword === 'required' ? 'is required' : e.keyword === 'additionalProperties' ? 'is not a field of this record' : (e.message ?? 'is not valid');
  return { field, message };
}

/** The JSON pointer (RFC 6901) of `key` inside the value at `base`. */
const pointerChild = (base: string, key: string | number): string => `${base}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * A validator that lists every bad field; `partial` accepts any subset of the fields
 * (PATCH). Text the database cannot hold (U+0000, lone surrogates) and nesting too deep
 * to check are listed first and alone, and the record is not checked further.
 */
export function validator(schema: object, partial = false): (value: unknown) => FieldProblem[] {
  const validate = compiled(schema, partial);
  return (value) => {
    const unstorable = storableIssues(value, { join: pointerChild });
    if (unstorable.length > 0) return unstorable.map((i) => ({ field: i.path || '/', message: i.message }));
    if (validate(value)) return [];
    // ajv may report one field twice (e.g. a format and a pattern); list it once per message.
    const byKey = new Map((validate.errors ?? []).map(problem).map((p) => [`${p.field}\u0000${p.message}`, p]));
    return [...byKey.values()];
  };
}
