// Statement issues, and the wording of ajv's errors as issues.
import type { ErrorObject } from 'ajv';
import { FORMAT_MESSAGES, type FormatName } from './formats.js';
import { childPath, pointerToPath, valueAt } from './paths.js';

/** One reason a statement is invalid: the field (`actor.mbox`, '' for all of it) and what it must be. */
export interface StatementIssue {
  path: string;
  message: string;
}

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function typeMessage(expected: unknown, actual: unknown): string {
  if (actual === null) return 'must not be null'; // 2.2.s4.b1.b1
  const types = Array.isArray(expected) ? expected.map(String) : String(expected).split(',');
  return `must be ${types.map(article).join(' or ')}`;
}

/** The wording of one ajv error for the statement `root`, at the field it is about. */
export function issueFromAjv(error: ErrorObject, root: unknown): StatementIssue {
  const path = pointerToPath(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: childPath(path, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      // 2.2.s4.b1.b7: a key not allowed by the spec (names are case sensitive, b5).
      return {
        path: childPath(path, String(params.additionalProperty)),
        message: 'is not a property xAPI allows here',
      };
    case 'type':
      return { path, message: typeMessage(params.type, valueAt(error.instancePath, root)) };
    case 'format': {
      const format = String(params.format);
      const message = Object.hasOwn(FORMAT_MESSAGES, format)
        ? FORMAT_MESSAGES[format as FormatName]
        : `must match format ${format}`;
      return { path, message };
    }
    case 'enum':
      return { path, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'minimum':
    case 'maximum':
      return { path, message: `must be ${String(params.comparison)} ${String(params.limit)}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** Issues as one line: `actor.mbox: must be a mailto: IRI; verb.id: must be an IRI`. */
export function formatIssues(issues: readonly StatementIssue[]): string {
  return issues.map((i) => `${i.path === '' ? '(statement)' : i.path}: ${i.message}`).join('; ');
}
