// Validation of xAPI 1.0.3 statements: what the database can store (storable.ts), the
// JSON schema (schema.ts) through ajv, then the MUST rules a schema cannot say (rules.ts). Every translated statement goes through
// here before it reaches the outbox (DESIGN.md, invariant 2), so it is compiled once, at
// first use (not at module load: start-up does not wait for it), and a valid statement
// costs one pass of compiled code.
import AjvModule from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { FORMATS } from './formats.js';
import { issueFromAjv, type StatementIssue } from './issues.js';
import { definitionLookup, keysKeyword, objectTypeKeyword } from './keywords.js';
import { checkRules, type RuleIssue } from './rules.js';
import { SCHEMA_KEY, statementSchema, statementSchema20 } from './schema.js';
import { storableIssues, timestampRangeIssues } from './storable.js';
import type { Statement, XapiVersion } from './types.js';

export { formatIssues, type StatementIssue } from './issues.js';

/** The issues of one statement of a batch, by its index in the batch. */
export interface BatchIssues {
  index: number;
  issues: StatementIssue[];
}

// ajv-draft-04 is CommonJS; under NodeNext its default import is module.exports.
const Ajv = AjvModule.default;

function compile(schema: Record<string, unknown>): ValidateFunction {
  const ajv = new Ajv({
    allErrors: true, // all issues of a statement at once; a valid one costs the same
    strict: false, // tin-can uses draft-04 ids such as "#account!core"
    unicodeRegExp: false, // tin-can's IRI patterns hold lone surrogates
    validateFormats: true,
  });
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  const lookup = definitionLookup((key) => ajv.getSchema(key));
  ajv.addKeyword(objectTypeKeyword(lookup));
  ajv.addKeyword(keysKeyword());
  ajv.addSchema(schema, SCHEMA_KEY);
  // Compile the union targets now, so that no statement pays for it later.
  for (const ref of ['#agent', '#group', '#activity', '#statementref', '#substatement']) lookup(ref);
  return lookup('#statement');
}

// One ajv per version: each resolves the same `#ids` against its own schema.
const SCHEMAS: Record<XapiVersion, Record<string, unknown>> = { '1.0.3': statementSchema, '2.0.0': statementSchema20 };
const compiled = new Map<XapiVersion, ValidateFunction>();

function schemaOf(version: XapiVersion): ValidateFunction {
  let validate = compiled.get(version);
  if (validate === undefined) compiled.set(version, (validate = compile(SCHEMAS[version])));
  return validate;
}

/**
 * The issues of a statement against xAPI 1.0.3 (or `version` 2.0.0); an empty array means valid.
 * @example
 * validateStatement({ actor: { mbox: 'a@b.org' }, verb: { id: 'x' }, object: { id: 'http://b.org/a' } });
 * // [{ path: 'actor.mbox', message: 'must be a mailto: IRI' },
 * //  { path: 'verb.id', message: 'must be an IRI with a scheme' }]
 */
export function validateStatement(value: unknown, version: XapiVersion = '1.0.3'): StatementIssue[] {
  // First, and alone: a value the database cannot hold is refused before its meaning is
  // checked, and a value nested too deep never reaches the recursive checks below.
  const unstorable = storableIssues(value);
  if (unstorable.length > 0) return unstorable;
  const validateSchema = schemaOf(version);
  const ruleIssues: RuleIssue[] = [...checkRules(value, version), ...timestampRangeIssues(value)];
  if (validateSchema(value) && ruleIssues.length === 0) return [];
  // A rule speaks more precisely than the schema about the same field: keep the rule's.
  const rulePaths = new Set(ruleIssues.map((i) => i.path));
  const replaced = ruleIssues.flatMap((i) => (i.replaces === undefined ? [] : [i.replaces]));
  const schemaIssues = (validateSchema.errors ?? [])
    .map((e) => issueFromAjv(e, value))
    .filter((i) => !rulePaths.has(i.path) && !replaced.some((field) => isWithin(i.path, field)));
  const seen = new Set<string>();
  const issues: StatementIssue[] = [];
  for (const { path, message } of [...schemaIssues, ...ruleIssues]) {
    const key = `${path}\u0000${message}`;
    if (!seen.has(key)) issues.push({ path, message });
    seen.add(key);
  }
  return issues;
}

const isWithin = (path: string, field: string): boolean =>
  path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/**
 * True when `value` is a valid xAPI 1.0.3 statement.
 * @example
 * if (isValidStatement(parsed)) enqueue(parsed); // parsed: Statement
 */
export function isValidStatement(value: unknown): value is Statement {
  return validateStatement(value).length === 0;
}

/**
 * The issues of each invalid statement of a batch, by index; an empty array means all valid.
 * @example
 * validateStatements([good, bad]); // [{ index: 1, issues: [...] }]
 */
export function validateStatements(values: readonly unknown[]): BatchIssues[] {
  const result: BatchIssues[] = [];
  values.forEach((value, index) => {
    const issues = validateStatement(value);
    if (issues.length > 0) result.push({ index, issues });
  });
  return result;
}
