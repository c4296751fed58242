// The JSON text of a statement, written once. Validation scans it (storable.ts) and the
// outbox's COPY and `translate`'s NDJSON write it; serializing is the costliest step of
// an edX import after parsing, so they share one.

const TEXTS = new WeakMap<object, string>();

/**
 * JSON.stringify of `statement`, remembered for as long as the statement lives.
 * WARNING: a statement must not change once its text was taken; build a new one instead,
 * as replaceUnstorableIn does.
 * @example const text = statementText(statement); // the same string on the next call
 */
export function statementText(statement: object): string {
  let text = TEXTS.get(statement);
  if (text === undefined) {
    text = JSON.stringify(statement);
    TEXTS.set(statement, text);
  }
  return text;
}
