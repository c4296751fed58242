/**
 * The README and docs/ link only to files in the repository: every relative link of a
 * Markdown file (links and images, fragments aside) names a file or folder that exists,
 * and none leaves the repository (as `../shared/DESIGN.md` once did).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

/** The targets of `[text](target)` and `![alt](target)` outside code spans and blocks. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

const external = (target: string) => /^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target);

describe('links of the README and docs/', () => {
  it('finds links to check (the parser reads the README)', () => {
    expect(linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8')).filter((t) => !external(t)).length).toBeGreaterThan(10);
  });

  it.each(DOCS)('%s links only to files of the repository', (file) => {
    const broken = linkTargets(readFileSync(join(ROOT, file), 'utf8'))
      .filter((target) => !external(target))
      .map((target) => decodeURI(target.split('#')[0]!))
      .filter((path) => {
        const absolute = resolve(ROOT, dirname(file), path);
        return relative(ROOT, absolute).startsWith('..') || !existsSync(absolute);
      });
    expect(broken).toEqual([]);
  });
});
