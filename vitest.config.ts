import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // vitest 4 would also collect compiled dist/**/*.test.js
    include: ['test/**/*.test.ts'],
    // one migrated PGlite template for the run, loaded by each file (support/databases.ts)
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // database suites each clone a PGlite template or create a PostgreSQL schema; two
    // cores do not gain from more parallel files than this
    maxWorkers: 2,
  },
});
