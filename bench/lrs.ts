/**
 * The embedded LRS against Learning Locker's statement service (lrs-peer.ts), in one
 * run, on PostgreSQL (issue 19 §3). Prints ratios:
 * - POST of 500-statement batches, 4 in flight, `postCount` statements: ours / peer, and
 *   PostgreSQL COPY of the same rows / ours (the ceiling);
 * - filtered GETs, 50 per page, at `postCount` stored: the peer's p95 / ours;
 * - at `count` stored against a tenth of it, each settled first (settle): ms per POSTed
 *   statement, and the p95 of each filtered GET (goal: at most 1.5);
 * - page 1000 of a `more` chain / page 1.
 */
import { bulkLoad, copyCeiling, settle } from './lrs-load.js';
import { startLrsProcess } from './lrs-process.js';
import { startPeer } from './lrs-peer.js';
import { filteredP95, percentile, post, StoreClock, timedGet } from './lrs-workload.js';

const BATCH = 500;
const IN_FLIGHT = 4;
const GET_SAMPLES = 100;
/** Statements POSTed over HTTP at each store size to price one statement there. */
const POST_PROBE = 10_000;

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

/** Each filter's p95 in `a` divided by its p95 in `b`. */
function p95Ratios(a: Record<string, { p95: number }>, b: Record<string, { p95: number }>): Record<string, number> {
  return Object.fromEntries(Object.keys(a).map((name) => [name, ratio(a[name]!.p95, b[name]!.p95)]));
}

/** Mean ms of the pages `from`..`to` (1-based) of an unfiltered `more` chain, 50 per page. */
async function pageTimes(origin: string, endpoint: string, lastPage: number): Promise<number[]> {
  const times: number[] = [];
  let url = `${endpoint}statements?limit=50`;
  for (let page = 1; page <= lastPage; page++) {
    const { ms, body } = await timedGet(url);
    times.push(ms);
    if (!body.more) throw new Error(`the more chain ended at page ${page}`);
    url = new URL(body.more, origin).toString();
  }
  return times;
}

/** Runs the side-by-side LRS benchmark up to `count` stored statements. */
export async function benchLrs(count: number, postCount = 40_000): Promise<Record<string, unknown>> {
  const small = Math.max(postCount, Math.floor(count / 10));
  const results: Record<string, unknown> = { count, small, postCount };
  const clock = new StoreClock();
  const peerClock = new StoreClock();
  const lrs = await startLrsProcess();
  const peer = await startPeer();
  try {
    const ours = await post(lrs.endpoint, 0, postCount, BATCH, IN_FLIGHT, clock);
    const theirs = await post(peer.endpoint, 0, postCount, BATCH, IN_FLIGHT, peerClock);
    const copy = await copyCeiling(postCount);
    results.post = {
      oursPerSecond: Math.round(ours),
      peerPerSecond: Math.round(theirs),
      copyPerSecond: Math.round(copy),
      oursOverPeer: ratio(ours, theirs),
      copyOverOurs: ratio(copy, ours),
    };
    console.error(`POST: ${JSON.stringify(results.post)}`);
    await settle(lrs.databaseUrl!);
    const oursGet = await filteredP95(lrs.endpoint, postCount, clock, GET_SAMPLES);
    const peerGet = await filteredP95(peer.endpoint, postCount, peerClock, GET_SAMPLES);
    await peer.stop();
    results.getAtPostCount = { ours: oursGet, peer: peerGet, peerP95OverOurs: p95Ratios(peerGet, oursGet) };
    console.error(`GET at ${postCount}: ${JSON.stringify(results.getAtPostCount)}`);

    const url = lrs.databaseUrl!;
    let stored = postCount;
    const atSize = async (size: number) => {
      if (stored < size) console.error(`loading to ${size}: ${Math.round(await bulkLoad(url, stored, size, clock))} statements/s`);
      await settle(url);
      stored = Math.max(stored, size) + POST_PROBE;
      const perSecond = await post(lrs.endpoint, stored - POST_PROBE, stored, BATCH, IN_FLIGHT, clock);
      const get = await filteredP95(lrs.endpoint, size, clock, GET_SAMPLES);
      console.error(`at ${size}: POST ${Math.round(perSecond)}/s, GET ${JSON.stringify(get)}`);
      return { msPerStatement: 1000 / perSecond, get };
    };
    const atSmall = await atSize(small);
    const atLarge = await atSize(count);
    results.growth = {
      small: atSmall,
      large: atLarge,
      postMsPerStatementLargeOverSmall: ratio(atLarge.msPerStatement, atSmall.msPerStatement),
      getP95LargeOverSmall: p95Ratios(atLarge.get, atSmall.get),
    };
    const pages = await pageTimes(lrs.origin, lrs.endpoint, 1000);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    results.paging = {
      page1Ms: Number(mean(pages.slice(0, 20)).toFixed(2)),
      page1000Ms: Number(mean(pages.slice(-20)).toFixed(2)),
      p95Ms: percentile([...pages].sort((a, b) => a - b), 95),
      page1000OverPage1: ratio(mean(pages.slice(-20)), mean(pages.slice(0, 20))),
    };
    console.error(`paging: ${JSON.stringify(results.paging)}`);
  } finally {
    await peer.stop();
    await lrs.stop();
  }
  return results;
}
