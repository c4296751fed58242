/**
 * Safe errors from every way a `Database` runs SQL: never the driver's error, which
 * carries the values (./errors.ts).
 */
import type { Database, SqlSession } from './connection.js';
import { guarded } from './errors.js';

/** `session` raising safe database errors. */
export function guardSession(session: SqlSession): SqlSession {
  return {
    query: (text, params) => guarded(() => session.query(text, params)),
    copyIn: (target, data) => guarded(() => session.copyIn(target, data)),
  };
}

/** The drizzle session's members that run SQL: patched so that they raise safe errors. */
interface DrizzleSession {
  prepareQuery(...args: unknown[]): { execute(...args: unknown[]): Promise<unknown>; all(...args: unknown[]): Promise<unknown> };
  transaction(...args: unknown[]): Promise<unknown>;
}

/**
 * `database` raising safe database errors from every method and every drizzle query.
 * Drizzle's query builders all prepare their SQL through the one session of `db`, and
 * wrap the driver's error with the parameters in its message: that is where to catch.
 */
export function guardDatabase(database: Database): Database {
  const session = (database.db as unknown as { session: DrizzleSession }).session;
  const prepare = session.prepareQuery.bind(session);
  session.prepareQuery = (...args) => {
    const prepared = prepare(...args);
    const { execute, all } = prepared;
    prepared.execute = (...a) => guarded(() => execute.apply(prepared, a));
    prepared.all = (...a) => guarded(() => all.apply(prepared, a));
    return prepared;
  };
  const transaction = session.transaction.bind(session);
  session.transaction = (...args) => guarded(() => transaction(...args));
  return {
    ...database,
    ...guardSession(database),
    transaction: (fn) => guarded(() => database.transaction(fn)),
    withAdvisoryLock: (key, fn, opts) => guarded(() => database.withAdvisoryLock(key, fn, opts)),
  };
}
