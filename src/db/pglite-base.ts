/**
 * The initialised PGlite cluster the build ships, to start a new embedded database from:
 * initdb in WASM takes seconds and grows the heap to ~0.8 GB, which it never gives back,
 * while unpacking the same files takes a fraction of both. It is migrated at build time
 * (migrations insert nothing: no secret or id is shared by installs). The dump is named for the
 * PGlite version that made it; under another version, or without a build (tsx from a
 * checkout), a new cluster is created by initdb as before.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PACKAGE_ROOT } from '../package-root.js';

/** The installed PGlite's version, from its package.json (which its exports do not list). */
function pgliteVersion(): string {
  let folder = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder);
  return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where the build writes the dump of a fresh cluster for this PGlite version. */
export function pgliteBasePath(): string {
  return join(PACKAGE_ROOT, 'dist', `pglite-base-${pgliteVersion()}.tar.gz`);
}

/** The file of the shipped fresh cluster, or undefined when this build has none for this PGlite. */
export function pgliteBaseFile(): string | undefined {
  const path = pgliteBasePath();
  return existsSync(path) ? path : undefined;
}

/** Writes the dump of `pglite` where `pgliteBaseFile` finds it, and closes it. */
export async function writePgliteBase(pglite: PGlite): Promise<string> {
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  const path = pgliteBasePath();
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  return path;
}
