/**
 * `npm run bench [-- <name> <options>]` (bench/run.ts): the benchmarks run as node runs
 * the shipped build, from a bundle of their sources (scripts/build.ts), never through tsx.
 * tsx's transform keeps function names by wrapping each function it creates (esbuild's
 * keepNames): in the edX translation that cost about a sixth of the CPU time (3.84 s
 * against 3.19 s for 100,000 events), so a figure measured through it is not the shipped
 * code's.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './build.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Test support the benchmarks share imports vitest; it stays a package.
const runner = await bundle(join(ROOT, 'bench', 'run.ts'), join(ROOT, 'node_modules', '.cache', 'xapi-gateway-bench'), ['vitest']);
const run = spawnSync(process.execPath, [runner, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
process.exit(run.status ?? 1);
