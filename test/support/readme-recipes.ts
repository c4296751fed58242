/**
 * The README's recipes as steps a test can follow: each recipe is a `sh` block after a
 * `<!-- recipe: name -->` comment, holding settings (`export A=1`), commands
 * (`npx xapi-gateway ...`), the start of the server (`npm start`), requests (`curl ...`)
 * and, after a command or request, what it shows (`# → text`). The test runs them as an
 * operator would paste them, so the README cannot promise what the service does not do.
 */
import { readFile } from 'node:fs/promises';

export type RecipeStep =
  | { kind: 'env'; name: string; value: string }
  | { kind: 'cli'; args: string[]; line: string }
  | { kind: 'start'; line: string }
  | { kind: 'curl'; method: string; url: string; headers: Record<string, string>; body?: string; line: string }
  | { kind: 'expect'; text: string };

export interface Recipe {
  name: string;
  steps: RecipeStep[];
}

/** Shell words of `line`: quotes, `$VAR` and `${VAR}` from `env`; a word starting with `#` ends the line. */
export function shellWords(line: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const expand = (text: string) => text.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_m, name: string) => env[name] ?? '');
  for (let i = 0; i < line.length; ) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const end = line.indexOf('"', i + 1);
      word = (word ?? '') + expand(line.slice(i + 1, end));
      i = end + 1;
    } else {
      const bare = /^[^\s'"]+/.exec(line.slice(i))![0];
      word = (word ?? '') + expand(bare);
      i += bare.length;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The request of a `curl` command line (the options the README uses). */
async function curlStep(words: string[], line: string): Promise<RecipeStep> {
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let body: string | undefined;
  let url: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-X') method = words[++i];
    else if (w === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      headers[name!.trim()] = value.join(':').trim();
    } else if (w === '-u') headers.Authorization = `Basic ${Buffer.from(words[++i]!).toString('base64')}`;
    else if (w === '-d' || w === '--data' || w === '--data-binary') {
      const data = words[++i]!;
      body = data.startsWith('@') ? await readFile(data.slice(1), 'utf8') : data;
    } else if (w.startsWith('-')) continue; // -s, -S, -f: output manners
    else url = w;
  }
  if (url === undefined) throw new Error(`no URL in: ${line}`);
  return { kind: 'curl', method: method ?? (body === undefined ? 'GET' : 'POST'), url, headers, ...(body !== undefined && { body }), line };
}

/** The recipes of `markdown`, in order, with `$VAR`s expanded from the settings exported before them. */
export async function readmeRecipes(markdown: string): Promise<Recipe[]> {
  const recipes: Recipe[] = [];
  // One shell for all: a setting exported by one recipe holds in the next.
  const env: Record<string, string> = {};
  for (const match of markdown.matchAll(/<!-- recipe: ([\w-]+) -->\s*```sh\n([\s\S]*?)```/g)) {
    const steps: RecipeStep[] = [];
    const lines = match[2]!.replace(/\\\n\s*/g, ' ').split('\n');
    for (const raw of lines) {
      const line = raw.trim();
      const expected = /^# → (.+)$/.exec(line);
      if (expected) {
        steps.push({ kind: 'expect', text: expected[1]! });
        continue;
      }
      const words = shellWords(line, env).filter((w) => w !== '&');
      if (words.length === 0) continue;
      if (words[0] === 'export') {
        for (const pair of words.slice(1)) {
          const [name, ...value] = pair.split('=');
          env[name!] = value.join('=');
          steps.push({ kind: 'env', name: name!, value: value.join('=') });
        }
      } else if (words[0] === 'npx' && words[1] === 'xapi-gateway') steps.push({ kind: 'cli', args: words.slice(2), line });
      else if (words[0] === 'npm' && words[1] === 'start') steps.push({ kind: 'start', line });
      else if (words[0] === 'curl') steps.push(await curlStep(words, line));
      else throw new Error(`recipe ${match[1]}: a line the test cannot follow: ${line}`);
    }
    recipes.push({ name: match[1]!, steps });
  }
  return recipes;
}
