/**
 * The folder of the installed package (package.json, migrations/), found from this file so
 * that any working directory works: one folder up from src/ under tsx, two from dist/src/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT =
  ['..', '../..'].map((path) => fileURLToPath(new URL(path, import.meta.url))).find((folder) => existsSync(join(folder, 'package.json'))) ??
  fileURLToPath(new URL('..', import.meta.url));
