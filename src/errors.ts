/**
 * The few coded errors that stores and domain code raise. Each carries a code, a message
 * safe to show (never learner data, never a secret) and, for `invalid`, the offending
 * field. Only `src/http/` maps a code to a status and a problem body, in one table, so
 * every path answers the same fault the same way; the CLI prints the message alone.
 */

/** What went wrong, as the caller can act on it. */
export const ERROR_CODES = [
  /** The input breaks a rule: a field, a parameter, a record. */
  'invalid',
  /** The thing asked for does not exist (or is not visible to the caller). */
  'not-found',
  /** The input contradicts what is stored (same id, other content; document exists). */
  'conflict',
  /** A stated precondition (ETag, If-Match) does not hold, or none was stated where one is required. */
  'precondition-failed',
  /** No valid credentials. */
  'unauthorized',
  /** Valid credentials without the right to do this. */
  'forbidden',
  /** The input is larger than a limit. */
  'too-large',
  /** The input comes in a form (media type, version, encoding) not served. */
  'unsupported',
  /** A dependency (database, LRS, platform) cannot be reached now; a retry may succeed. */
  'unavailable',
  /** The work cannot start with the settings or inputs given (a platform not configured). */
  'setup',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an error may say beyond its code and message. */
export interface ErrorFacts {
  /** The offending field or parameter, as the client named it. */
  field?: string;
  /** Seconds after which a retry may succeed (`unavailable`). */
  retryAfterSeconds?: number;
  /** More members of the answer, e.g. `errors` listing every bad field of a document. */
  members?: Record<string, unknown>;
  /** The lower-level error, kept for the log (never shown to a client). */
  cause?: unknown;
}

/** An error with a code; its message is safe to show to whoever caused it. */
export class CodedError extends Error {
  override readonly name: string = 'CodedError';
  readonly field?: string;
  readonly retryAfterSeconds?: number;
  readonly members: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    facts: ErrorFacts = {},
  ) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    if (facts.field !== undefined) this.field = facts.field;
    if (facts.retryAfterSeconds !== undefined) this.retryAfterSeconds = facts.retryAfterSeconds;
    this.members = facts.members ?? {};
  }
}

/** Whether `err` is a coded error, of `code` when one is given. */
export function isCoded(err: unknown, code?: ErrorCode): err is CodedError {
  return err instanceof CodedError && (code === undefined || err.code === code);
}
