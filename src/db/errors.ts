/**
 * Database errors without learner data. The drivers put the values of a failed query
 * everywhere: drizzle's message lists every parameter, PostgreSQL's `detail` says
 * "Key (id)=(...)" or "Failing row contains (...)", PGlite attaches `params`, and some
 * primary messages quote the bad value ("invalid input syntax for type uuid: ...").
 * Every error raised through `Database` is turned into one of two classes here, whose
 * messages are built only from SQLSTATE, condition, table, constraint and column names.
 * The driver's error is not kept, not even as `cause`: loggers serialize causes.
 */
import { DrizzleQueryError } from 'drizzle-orm';
import { CodedError } from '../errors.js';

/** Seconds a client is asked to wait while the database is unavailable: a restart or failover takes a few. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The database cannot be reached now (refused, reset, frozen, shutting down): `unavailable`, retry later. */
export class DatabaseUnavailableError extends CodedError {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    /** What happened, in a few words, e.g. "connection refused". */
    readonly reason: string,
    /** The SQLSTATE when the server said it, e.g. 57P01. */
    readonly sqlState?: string,
  ) {
    super('unavailable', `the database is unavailable: ${reason}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`, { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  }
}

/** Where a refused query failed: object names only, never values. */
export interface QueryErrorPlace {
  table?: string;
  constraint?: string;
  column?: string;
}

/** The database refused a query (constraint, data, syntax, ...); names the condition, never the values. */
export class DatabaseQueryError extends Error {
  override readonly name = 'DatabaseQueryError';
  readonly code = 'database_query';
  readonly table: string | undefined;
  readonly constraint: string | undefined;
  readonly column: string | undefined;
  constructor(
    /** SQLSTATE, e.g. 23505; undefined when the driver failed without one. */
    readonly sqlState: string | undefined,
    place: QueryErrorPlace = {},
  ) {
    const where = [
      place.table && `table "${place.table}"`,
      place.column && `column "${place.column}"`,
      place.constraint && `constraint "${place.constraint}"`,
    ].filter(Boolean);
    super(`the database refused the query: ${conditionOf(sqlState)}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}${where.length ? ` on ${where.join(', ')}` : ''}`);
    this.table = place.table;
    this.constraint = place.constraint;
    this.column = place.column;
  }
}

/** Conditions by SQLSTATE (PostgreSQL, Appendix A), then by class: the words of a message. */
const CONDITIONS: Record<string, string> = {
  '22001': 'string_data_right_truncation', '22003': 'numeric_value_out_of_range', '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow', '22012': 'division_by_zero', '22021': 'character_not_in_repertoire',
  '22023': 'invalid_parameter_value', '22P02': 'invalid_text_representation', '22P05': 'untranslatable_character',
  '23502': 'not_null_violation', '23503': 'foreign_key_violation', '23505': 'unique_violation',
  '23514': 'check_violation', '23P01': 'exclusion_violation', '25P02': 'in_failed_sql_transaction',
  '25P03': 'idle_in_transaction_session_timeout', '40001': 'serialization_failure', '40P01': 'deadlock_detected',
  '42601': 'syntax_error', '42703': 'undefined_column', '42883': 'undefined_function', '42P01': 'undefined_table',
  '53100': 'disk_full', '53200': 'out_of_memory', '53300': 'too_many_connections', '54000': 'program_limit_exceeded',
  '54001': 'statement_too_complex', '55P03': 'lock_not_available', '57014': 'query_canceled (statement timeout)',
  '57P01': 'admin_shutdown', '57P02': 'crash_shutdown', '57P03': 'cannot_connect_now',
  '08': 'connection_exception', '0A': 'feature_not_supported', '22': 'data_exception',
  '23': 'integrity_constraint_violation', '25': 'invalid_transaction_state', '40': 'transaction_rollback',
  '42': 'syntax_error_or_access_rule_violation', '53': 'insufficient_resources', '54': 'program_limit_exceeded',
  '55': 'object_not_in_prerequisite_state', '57': 'operator_intervention', '58': 'system_error', 'XX': 'internal_error',
};

function conditionOf(sqlState: string | undefined): string {
  if (sqlState === undefined) return 'driver error';
  return CONDITIONS[sqlState] ?? CONDITIONS[sqlState.slice(0, 2)] ?? 'error';
}

/**
 * SQLSTATEs that mean "the database is away, not this query is wrong": connection
 * exceptions, shutdowns, too many connections, and a statement cancelled by the
 * statement timeout (a database too slow to answer).
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
const UNAVAILABLE_CLASSES = new Set(['08']);

/** Socket errors of a connection that failed or broke. */
const SOCKET_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', ECONNABORTED: 'connection aborted',
  EPIPE: 'connection broken', ETIMEDOUT: 'connection timed out', EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable', ENOTFOUND: 'host not found', EAI_AGAIN: 'host lookup failed',
};

/** Messages of node-postgres, pg-pool and PGlite when the connection, not the query, failed. */
const DRIVER_REASONS: [RegExp, string][] = [
  [/^Query read timeout$/, 'no answer within the statement timeout'],
  [/^timeout exceeded when trying to connect$/, 'no connection within the connect timeout'],
  [/^Connection terminated due to connection timeout$/, 'no connection within the connect timeout'],
  [/^Connection terminated/, 'connection ended'],
  [/not queryable$/, 'connection ended'],
  [/^Cannot use a pool after calling end on the pool$/, 'database closed'],
  [/^PGlite is clos(ed|ing)$/, 'database closed'],
];

/** SQLSTATE classes of data the database cannot store: split a batch to find the rows. */
const DATA_CLASSES = new Set(['22', '23', '54']);

type DriverError = Error & {
  code?: unknown;
  severity?: unknown;
  table?: unknown;
  constraint?: unknown;
  column?: unknown;
};

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The safe error for `err`: driver errors (node-postgres, PGlite, drizzle) become a
 * DatabaseUnavailableError or DatabaseQueryError; anything else (the caller's own
 * errors thrown inside a transaction) comes back unchanged.
 */
export function toDatabaseError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof DatabaseUnavailableError || err instanceof DatabaseQueryError) return err;
  // drizzle wraps the driver's error in one whose message lists every parameter.
  const wrapped = err instanceof DrizzleQueryError;
  const inner: unknown = wrapped ? err.cause : err;
  if (inner instanceof DatabaseUnavailableError || inner instanceof DatabaseQueryError) return inner;
  const e = (inner instanceof Error ? inner : err) as DriverError;
  const code = textOf(e.code);
  if (code !== undefined && 'severity' in e && /^[0-9A-Z]{5}$/.test(code)) {
    if (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_CLASSES.has(code.slice(0, 2))) return new DatabaseUnavailableError(conditionOf(code), code);
    return new DatabaseQueryError(code, { table: textOf(e.table), constraint: textOf(e.constraint), column: textOf(e.column) });
  }
  const socket = code === undefined ? undefined : SOCKET_REASONS[code];
  if (socket !== undefined) return new DatabaseUnavailableError(socket);
  const driver = DRIVER_REASONS.find(([pattern]) => pattern.test(e.message));
  if (driver !== undefined) return new DatabaseUnavailableError(driver[1]);
  // Whatever failed beneath drizzle, only the fact remains.
  return wrapped ? new DatabaseQueryError(undefined) : err;
}

/** Runs `fn`, raising safe database errors in place of the driver's. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDatabaseError(err);
  }
}

/** True when the database refused the values of a query (SQLSTATE classes 22, 23, 54), not its connection. */
export function isDataError(err: unknown): boolean {
  const safe = toDatabaseError(err);
  return safe instanceof DatabaseQueryError && safe.sqlState !== undefined && DATA_CLASSES.has(safe.sqlState.slice(0, 2));
}

/** True when the database is away (the connection, not the query, failed) and the same work may succeed later. */
export function isUnavailable(err: unknown): boolean {
  return toDatabaseError(err) instanceof DatabaseUnavailableError;
}
