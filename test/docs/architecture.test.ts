/**
 * The rule docs/architecture.md states: counted by top-level part of src/ (a folder, or a
 * file at the top), no two parts import each other, there is no import cycle, and no
 * source file is over 400 lines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The top-level part of a path under src/: its folder, or the file's stem. */
function partOf(path: string): string {
  const [first, ...rest] = relative(SRC, path).split(sep);
  return rest.length > 0 ? first! : first!.replace(/\.(ts|js)$/, '');
}

function partGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(dirname(file), m[1] ?? m[2]!);
      if (!target.startsWith(SRC + sep)) continue;
      const [a, b] = [partOf(file), partOf(target)];
      if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
  }
  return graph;
}

/** Every cycle's first path found from each part, as "a -> b -> a". */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  for (const start of graph.keys()) {
    const stack: string[][] = [[start]];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const path = stack.pop()!;
      for (const next of graph.get(path.at(-1)!) ?? []) {
        if (next === start) found.push([...path, next].join(' -> '));
        else if (!seen.has(next)) {
          seen.add(next);
          stack.push([...path, next]);
        }
      }
    }
  }
  return found;
}

describe('the layers of src/', () => {
  it('have no two parts importing each other and no cycle', () => {
    expect(cycles(partGraph())).toEqual([]);
  });

  it('finds a cycle where there is one', () => {
    const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]);
    expect(cycles(graph)).toContain('a -> b -> c -> a');
  });

  it('keep every source file under 400 lines', () => {
    const large = sourceFiles(SRC)
      .map((file) => ({ file: relative(SRC, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 400);
    expect(large).toEqual([]);
  });
});
