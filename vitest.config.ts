import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const TESTS = 'test/**/*.test.ts';

/**
 * Test files that start processes or the whole service in-process: each gets a fresh
 * module graph (vitest's isolation). The others, the in-process command line's among
 * them, share their worker's modules, file after file: loading the modules again for each
 * file cost the suite half its time (measured: 768 s -> 386-398 s for the whole suite on
 * two workers; with the command line's files shared too, 427 -> 356 s). Every test still
 * gets a fresh database of its own (support/databases.ts).
 */
const ISOLATED = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `test/${file}`)
  .filter((file) => /\b(spawnCli|spawn|execFile|execFileSync|startService)\(/.test(readFileSync(file, 'utf8')));

export default defineConfig({
  test: {
    // one migrated PGlite template for the run, loaded by each file (support/databases.ts)
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // database suites each clone a PGlite template or create a PostgreSQL schema; two
    // cores do not gain from more parallel files than this
    maxWorkers: 2,
    projects: [
      // vitest 4 would also collect compiled dist/**/*.test.js: only the sources' tests.
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      { extends: true, test: { name: 'shared', include: [TESTS], exclude: ISOLATED, isolate: false } },
    ],
  },
});
