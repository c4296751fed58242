// Two ajv keywords that replace tin-can's `oneOf` unions and key patterns (see schema.ts).
import type { ErrorObject, FuncKeywordDefinition, SchemaValidateFunction, ValidateFunction } from 'ajv';
import { IRI, LANGUAGE_TAG } from './formats.js';
import { SCHEMA_KEY, type KeyKind, type ObjectTypeSwitch } from './schema.js';

type Lookup = (ref: string) => ValidateFunction;
type KeywordError = Partial<ErrorObject> & { instancePath: string; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

// Absent `objectType` means Activity for an object (2.4.4.s2) and Agent for an actor
// (2.4.2.1). Errors of the chosen schema come back with full paths, and nothing of the
// other branches.
/** `xapiObjectType`: validates an object against the one schema its `objectType` names. */
export function objectTypeKeyword(lookup: Lookup): FuncKeywordDefinition {
  const validate: SchemaValidateFunction = (schema: ObjectTypeSwitch, data: Record<string, unknown>, _, cxt) => {
    const tag = 'objectType' in data ? data.objectType : schema.fallback;
    const ref = typeof tag === 'string' && Object.hasOwn(schema.refs, tag) ? schema.refs[tag] : undefined;
    const at = cxt?.instancePath ?? '';
    if (ref === undefined) {
      const allowed = Object.keys(schema.refs);
      const error: KeywordError = {
        instancePath: `${at}/objectType`,
        keyword: 'enum',
        params: { allowedValues: allowed },
        message: `must be one of: ${allowed.join(', ')}`,
      };
      validate.errors = [error];
      return false;
    }
    const check = lookup(ref);
    if (check(data, cxt)) return true;
    validate.errors = [...(check.errors ?? [])]; // ajv appends to the array it is given
    return false;
  };
  return { keyword: 'xapiObjectType', type: 'object', schemaType: 'object', errors: true, validate };
}

const KEY_CHECKS: Record<KeyKind, { pattern: RegExp; message: string }> = {
  langtag: { pattern: LANGUAGE_TAG, message: 'key must be an RFC 5646 language tag' },
  iri: { pattern: IRI, message: 'key must be an IRI' },
};

/** `xapiKeys`: every key of a language map is a language tag (4.2), of extensions an IRI (4.1). */
export function keysKeyword(): FuncKeywordDefinition {
  const validate: SchemaValidateFunction = (kind: KeyKind, data: unknown, _, cxt) => {
    if (!isRecord(data)) return true;
    const { pattern, message } = KEY_CHECKS[kind];
    const at = cxt?.instancePath ?? '';
    const errors: KeywordError[] = Object.keys(data)
      .filter((key) => !pattern.test(key))
      .map((key) => ({
        instancePath: `${at}/${escapePointer(key)}`, keyword: 'xapiKeys', params: { kind }, message,
      }));
    validate.errors = errors;
    return errors.length === 0;
  };
  return { keyword: 'xapiKeys', type: 'object', schemaType: 'string', errors: true, validate };
}

/** A lookup of compiled definitions by `#id` that fails loudly on a ref the schema lacks. */
export function definitionLookup(getSchema: (key: string) => ValidateFunction | undefined): Lookup {
  const cache = new Map<string, ValidateFunction>();
  return (ref) => {
    let fn = cache.get(ref);
    if (fn === undefined) {
      fn = getSchema(`${SCHEMA_KEY}${ref}`);
      if (fn === undefined) throw new Error(`statement schema has no definition ${ref}`);
      cache.set(ref, fn);
    }
    return fn;
  };
}
