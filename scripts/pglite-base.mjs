// Part of the build: writes the fresh, migrated PGlite cluster that a new embedded
// database is unpacked from instead of running initdb at first start (src/db/pglite-base.ts).
import { relative } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../dist/src/db/connection.js';
import { PGLITE_OPTIONS } from '../dist/src/db/pglite.js';
import { runMigrations } from '../dist/src/db/migrate.js';
import { writePgliteBase } from '../dist/src/db/pglite-base.js';

const pglite = await PGlite.create(PGLITE_OPTIONS);
await runMigrations(await openDatabase({ pglite }));
console.log(`wrote ${relative(process.cwd(), await writePgliteBase(pglite))}`);
