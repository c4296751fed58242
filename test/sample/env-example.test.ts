import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDotenv } from '../../src/cli/dotenv.js';
import { SETTINGS } from '../../src/config/index.js';

const TEXT = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
/** The settings the file lists, `# NAME=default`, by name. */
const LISTED = new Map([...TEXT.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
/** The parts, in the order an operator turns them on. */
const PARTS = ['Server', 'Database', 'LRS and outbox', 'edX', 'Coursera', 'FutureLearn', 'Khan Academy', 'ECO and OAI-PMH', 'Admin API', 'Logs'];

describe('.env.example', () => {
  it('lists every setting of src/config/ with its default, and nothing else', () => {
    const expected = new Map(SETTINGS.map((s) => [s.variable, s.fallback ?? '']));
    expect([...LISTED.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, fallback] of expected) expect(LISTED.get(name), name).toBe(fallback);
  });

  it('lists each setting once, after its description, under the heading of its part', () => {
    expect([...TEXT.matchAll(/^# ---- (.+)$/gm)].map((m) => m[1])).toEqual(PARTS);
    for (const setting of SETTINGS) {
      expect(TEXT.match(new RegExp(`^# ${setting.variable}=`, 'gm')), setting.variable).toHaveLength(1);
      expect(TEXT, setting.variable).toContain(`# ${setting.description}\n# ${setting.variable}=`);
    }
  });

  it('is a valid .env as it stands', () => {
    expect(() => checkDotenv(TEXT)).not.toThrow();
  });
});

describe("the README's settings", () => {
  it('are grouped by the parts of .env.example, each setting in its part', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Settings'), readme.indexOf('\n## ', readme.indexOf('## Settings') + 1));
    const parts = [...section.matchAll(/^### (.+) settings$/gm)].map((m) => m[1]);
    expect(parts).toEqual(PARTS);
    const partOf = (text: string, variable: string) => [...text.slice(0, text.indexOf(`| \`${variable}\``)).matchAll(/^(?:### (?=.* settings$)|# ---- )(.+?)(?: settings)?$/gm)].at(-1)?.[1];
    for (const setting of SETTINGS) expect(partOf(section, setting.variable), setting.variable).toBe(partOf(TEXT.replace(new RegExp(`^# ${setting.variable}=`, 'm'), `| \`${setting.variable}\``), setting.variable));
  });
});
