/**
 * Runs killed mid-way (kill -9, a crash, a lost machine) stay `running` in `import_runs`
 * forever unless someone notices. Every live run is known: in its own process by id, and
 * on PostgreSQL to every instance by a session advisory lock (RUN_LOCK_CLASS, run id)
 * that its process holds until the run ends. The sweep, at service start and at the
 * start of every run, marks `interrupted` each `running` row that is live nowhere: on
 * PostgreSQL those whose lock it can take; on PGlite, where the folder lock
 * (db/data-dir-lock.ts) makes this process the only one, those not live in it.
 */
import type { Database, SqlSession } from '../db/connection.js';

/** First key of the two-key advisory locks of live runs; the second is the run id. */
const RUN_LOCK_CLASS = 0x78677275;

// Advisory lock keys are int4: run ids past 2^31 wrap, sharing a lock with a far older run.
const lockKey = (runId: number): number => runId % 2 ** 31;

const REASON = 'interrupted: the process running the import stopped before it ended';

/** The runs of one process on one database, and on PostgreSQL the session holding their locks. */
class LiveRuns {
  readonly ids = new Set<number>();
  private session?: { ready: Promise<SqlSession>; end: () => void; ended: Promise<unknown> };
  // Lock, unlock, open and close one after another on the one session.
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly database: Database) {}

  /** Marks `runId` live: at once here, and across instances once its lock is held. */
  hold(runId: number): Promise<void> {
    this.ids.add(runId);
    if (this.database.kind === 'pglite') return Promise.resolve();
    return this.serial(async () => (await this.open()).query('SELECT pg_advisory_lock($1, $2)', [RUN_LOCK_CLASS, lockKey(runId)]));
  }

  /** Marks `runId` ended; the session closes when no run is live. */
  release(runId: number): Promise<void> {
    this.ids.delete(runId);
    if (this.database.kind === 'pglite') return Promise.resolve();
    return this.serial(async () => {
      // A broken session has lost its locks already: nothing to unlock.
      const session = await this.session?.ready.catch(() => undefined);
      await session?.query('SELECT pg_advisory_unlock($1, $2)', [RUN_LOCK_CLASS, lockKey(runId)]).catch(() => undefined);
      if (this.ids.size === 0 && this.session) {
        const { end, ended } = this.session;
        this.session = undefined;
        end();
        await ended;
      }
    });
  }

  private serial(step: () => Promise<unknown>): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next.then(() => undefined);
  }

  /**
   * One pooled connection for all the locks of this process, borrowed through a
   * transaction that only takes advisory locks: it holds no snapshot between them, so it
   * keeps nothing from vacuum, and it ends when the last run does.
   */
  private open(): Promise<SqlSession> {
    if (this.session) return this.session.ready;
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    let give!: (session: SqlSession) => void;
    const ready = new Promise<SqlSession>((resolve) => (give = resolve));
    const ended = this.database.transaction(async (session) => {
      // This session sits idle between runs' locks for as long as a run lasts: exempt it
      // from the pool's idle-in-transaction timeout, which would drop every lock it holds.
      await session.query('SET LOCAL idle_in_transaction_session_timeout = 0');
      give(session);
      await done;
    });
    // A session that cannot open fails the run that asked for it, and the next run tries anew.
    const opened = { ready: Promise.race([ready, ended.then(() => ready)]), end, ended: ended.catch(() => undefined) };
    ended.catch(() => {
      if (this.session === opened) this.session = undefined;
    });
    this.session = opened;
    return opened.ready;
  }
}

// Per database object, so that two services in one process (tests) keep their runs apart.
const registry = new WeakMap<Database, LiveRuns>();

function liveRunsOf(database: Database): LiveRuns {
  let live = registry.get(database);
  if (!live) registry.set(database, (live = new LiveRuns(database)));
  return live;
}

/**
 * Marks `interrupted` every `running` import run that no live process is running; returns how many.
 * @example await sweepInterruptedRuns(database);
 */
export async function sweepInterruptedRuns(database: Database): Promise<number> {
  const live = [...liveRunsOf(database).ids];
  const mark = `UPDATE import_runs SET status = 'interrupted', ended_at = now(), error = $2 WHERE status = 'running'`;
  if (database.kind === 'pglite') return (await database.query(`${mark} AND NOT (id = ANY($1::bigint[]))`, [live, REASON])).affected;
  const { rows } = await database.query<{ id: number }>(`SELECT id FROM import_runs WHERE status = 'running' AND NOT (id = ANY($1::bigint[]))`, [live]);
  let marked = 0;
  for (const { id } of rows) {
    // Held only while this row is marked; refused while the run's process holds it.
    marked += await database.transaction(async (session) => {
      const { rows: [lock] } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [RUN_LOCK_CLASS, lockKey(id)]);
      return lock?.ok ? (await session.query(`${mark} AND id = $1`, [id, REASON])).affected : 0;
    });
  }
  return marked;
}

/**
 * Creates a run that is live before any instance can see it: its id is drawn from the
 * sequence and held (on PostgreSQL, its lock taken) before `insert` writes the row. Written
 * first and held after, a sweep elsewhere in between would mark a starting run
 * interrupted. End it with `endLiveRun` once its final status is written.
 * @example const runId = await startLiveRun(database, (id) => insertRow(id));
 */
export async function startLiveRun(database: Database, insert: (id: number) => Promise<unknown>): Promise<number> {
  const { rows } = await database.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('import_runs', 'id'))::float8 AS id`);
  const id = Number(rows[0]!.id);
  const live = liveRunsOf(database);
  await live.hold(id);
  try {
    await insert(id);
  } catch (err) {
    await live.release(id);
    throw err;
  }
  return id;
}

/** Marks run `runId` ended: from now on a sweep may take it for interrupted unless its status says otherwise. */
export function endLiveRun(database: Database, runId: number): Promise<void> {
  return liveRunsOf(database).release(runId);
}
