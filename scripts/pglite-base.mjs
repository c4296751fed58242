// Part of the build: writes the fresh PGlite cluster that a new embedded database is
// unpacked from instead of running initdb at first start (src/db/pglite-base.ts).
import { relative } from 'node:path';
import { PGLITE_OPTIONS } from '../dist/src/db/connection.js';
import { writePgliteBase } from '../dist/src/db/pglite-base.js';

const path = await writePgliteBase(PGLITE_OPTIONS);
console.log(`wrote ${relative(process.cwd(), path)}`);
