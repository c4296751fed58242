import { defineConfig } from 'vitest/config';

/**
 * Every test file shares its worker's modules, file after file (vitest's isolation off):
 * loading the modules again for each file cost the suite half its time (measured: 768 s ->
 * 386-398 s on two workers; the files that start processes or the service shared too,
 * 172 -> 152 s). What a file leaves behind cannot reach the next one: every test gets a
 * database of its own, which fails as a closed one once dropped (support/databases.ts),
 * and the tests that fake timers restore them after each test.
 */
export default defineConfig({
  test: {
    // vitest 4 would also collect compiled dist/**/*.test.js: only the sources' tests.
    include: ['test/**/*.test.ts'],
    isolate: false,
    // one migrated PGlite template for the run, loaded by each file (support/databases.ts)
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // database suites each clone a PGlite template or create a PostgreSQL schema; two
    // cores do not gain from more parallel files than this
    maxWorkers: 2,
  },
});
