/**
 * `npm run build`: the command line bundled by esbuild into dist/src (cli.js and the chunks
 * its lazy imports load), and the migrated PGlite cluster a new embedded database is
 * unpacked from (src/db/pglite-base.ts; migrations insert nothing, so no secret or id is
 * shared by installs). node loads one bundle in a third of the time it took for ~500
 * modules, most of a restart's saving (docs/deploy.md, "Start-up and memory").
 * `bundleCli` also builds the command line the tests start as a process (test/support/global-setup.ts),
 * and `bundle` the benchmarks (scripts/bench.ts).
 */
import { chmod, rm } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { build } from 'esbuild';
import { openDatabase } from '../src/db/connection.js';
import { runMigrations } from '../src/db/migrate.js';
import { writePgliteBase } from '../src/db/pglite-base.js';
import { PGLITE_OPTIONS } from '../src/db/pglite.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles src/cli.ts into `outdir` (which must lie inside the project, for the packages left
 * outside the bundle to resolve) and returns the path of its cli.js. PGlite stays a package:
 * it reads its WASM and data files beside its own modules.
 */
export async function bundleCli(outdir: string): Promise<string> {
  const cli = await bundle(join(ROOT, 'src', 'cli.ts'), outdir);
  await chmod(cli, 0o755);
  return cli;
}

/**
 * Bundles the module `entry` into `outdir` as the command line is bundled, `external`
 * packages aside, and returns the path of its output.
 */
export async function bundle(entry: string, outdir: string, external: string[] = []): Promise<string> {
  await build({
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@electric-sql/pglite', 'pg-native', ...external],
    // CommonJS packages in the bundle (express, ajv, pg) call require for node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return join(outdir, `${basename(entry, extname(entry))}.js`);
}

async function main(): Promise<void> {
  const dist = join(ROOT, 'dist');
  await rm(dist, { recursive: true, force: true });
  const cli = await bundleCli(join(dist, 'src'));
  console.log(`wrote ${relative(ROOT, cli)}`);
  const pglite = await PGlite.create(PGLITE_OPTIONS);
  await runMigrations(await openDatabase({ pglite }));
  console.log(`wrote ${relative(ROOT, await writePgliteBase(pglite))}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
