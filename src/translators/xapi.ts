/**
 * The "translator" of ready-made statements (`import xapi`): a statement without an id
 * gets a deterministic one from its content, so importing the same file twice adds
 * nothing (DESIGN.md invariant 1). Pure: no I/O.
 */
import { statementId } from '../xapi/ids.js';
import type { Rejection } from '../xapi/run-summary.js';

/** A statement with its id, or why the value cannot be one. */
export type XapiTranslation = { statement: { id: string; [key: string]: unknown } } | { rejection: Rejection };

/** Gives `value` an id when it lacks one; refuses what is not a JSON object. */
export function translateXapiStatement(value: unknown): XapiTranslation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { rejection: { code: 'bad_value', field: '(statement)', detail: 'a statement must be a JSON object' } };
  }
  const statement = value as Record<string, unknown>;
  if (statement.id === undefined) return { statement: { ...statement, id: statementId('xapi', JSON.stringify(statement)) } };
  if (typeof statement.id !== 'string') return { rejection: { code: 'bad_value', field: 'id', detail: 'must be a UUID string' } };
  return { statement: statement as { id: string } };
}
