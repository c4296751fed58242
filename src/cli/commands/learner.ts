/**
 * `learner find|export|erase`: one learner's data rights (docs/learner-rights.md). The
 * learner is named by platform and platform user id on the command line; what is printed
 * names them by pseudonym only, never by that id.
 */
import { createWriteStream } from 'node:fs';
import { isLearnerPlatform, LEARNER_PLATFORMS, resolveLearner } from '../../learners/learner.js';
import { eraseLearner, type ErasureReport } from '../../learners/erase.js';
import { exportLearner } from '../../learners/export.js';
import { findLearner, type LearnerFindings } from '../../learners/find.js';
import { printJson, withContext, type CliIo } from '../context.js';
import { UsageError } from '../failure.js';

/** The flags that name the learner. */
interface LearnerFlags {
  platform: string;
  user: string;
  json?: boolean;
}

/** Refuses a wrong platform or an empty id before anything is opened. */
function checkLearner(opts: LearnerFlags): void {
  if (!isLearnerPlatform(opts.platform)) throw new UsageError('--platform', `expected one of ${LEARNER_PLATFORMS.join(', ')}`);
  if (opts.user.trim() === '') throw new UsageError('--user', 'the platform user id is empty');
}

/** `name rows (by)` lines of the places that hold something. */
function placeLines(places: LearnerFindings['places']): string[] {
  return places.filter((p) => p.rows > 0).map((p) => {
    const by = p.by === undefined ? '' : ` (${Object.entries(p.by).map(([k, n]) => `${k} ${n}`).join(', ')})`;
    return `  ${p.name}: ${p.rows}${by}`;
  });
}

function findingsText(f: LearnerFindings): string {
  const head = `${f.platform} learner ${f.pseudonym}${f.linked ? ' (linked to an ECO user)' : ''}: ${f.total} row(s)`;
  const erased = f.erased === undefined ? [] : [`  erased before: ${f.erased.at} by ${f.erased.by}`];
  return [head, ...placeLines(f.places), ...erased].join('\n');
}

function erasureText(r: ErasureReport): string {
  const lines = Object.entries(r.erased).filter(([, n]) => n > 0).map(([name, n]) => `  ${name}: ${n}`);
  const there = r.external.map((e) => `  erased in the ${e.where} through its actor deletion (${e.api}): ${e.actors} actor(s)`);
  const kept = r.notErased.map((k) => `  not erased: ${k.statements} statement(s) in the ${k.where}: ${k.reason}`);
  return [`erased ${r.platform} learner ${r.pseudonym}: ${r.total} row(s); later imports, pulls and live events of theirs are dropped`, ...lines, ...there, ...kept].join('\n');
}

export function find(io: CliIo, opts: LearnerFlags): Promise<void> {
  checkLearner(opts);
  return withContext(io, async ({ config, database }) => {
    const found = await findLearner({ config, database }, opts.platform, opts.user);
    if (opts.json) return printJson(io, found);
    io.stdout.write(`${findingsText(found)}\n`);
  });
}

export function exportArchive(io: CliIo, opts: LearnerFlags & { out: string }): Promise<void> {
  checkLearner(opts);
  return withContext(io, async ({ config, database }) => {
    const learner = await resolveLearner({ config, database }, opts.platform, opts.user);
    await exportLearner({ database }, learner, createWriteStream(opts.out));
    io.stdout.write(`wrote ${opts.out}\n`);
  });
}

export function erase(io: CliIo, opts: LearnerFlags & { yes?: boolean }): Promise<void> {
  checkLearner(opts);
  return withContext(io, async ({ config, database }) => {
    if (!opts.yes) {
      const found = await findLearner({ config, database }, opts.platform, opts.user);
      if (opts.json) printJson(io, found);
      else io.stdout.write(`would erase ${findingsText(found)}\n`);
      throw new UsageError('--yes', 'nothing was erased: run again with --yes to erase it all');
    }
    const report = await eraseLearner({ config, database, erasedBy: 'cli' }, opts.platform, opts.user);
    if (opts.json) return printJson(io, report);
    io.stdout.write(`${erasureText(report)}\n`);
  });
}
