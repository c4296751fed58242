/**
 * Runs every fixture of an edX event family. `test/fixtures/edx/<family>/<name>.json` is
 * ONE raw event (a tracking-log line, or event-tracking's native shape for a `.native`
 * variant) and `<name>.expected.json` the whole translation it must give: statements,
 * `ignored` or `rejection`. A missing expected file fails like any difference, and both
 * write the actual translation next to it as `<name>.actual.json` for diffing; a passing
 * test removes a stale one. Every statement must also pass the xAPI validator.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { isRejection, normalizeEdxEvent } from '../../../src/ingest/edx/event.js';
import { translateEdxEvent, type EdxTranslateOptions, type EdxTranslation } from '../../../src/translators/edx.js';
import { EdxIris } from '../../../src/translators/edx/ids.js';
import { pseudonym } from '../../../src/xapi/ids.js';
import type { Rejection } from '../../../src/xapi/run-summary.js';
import { formatIssues, validateStatement } from '../../../src/xapi/validate.js';

/** The options every fixture is translated with. */
export const OPTIONS: EdxTranslateOptions = {
  iris: new EdxIris('https://lms.example.org/'),
  homePage: 'https://lms.example.org',
  actorName: (k) => pseudonym('fixture-secret', k),
};

/** The folder of all edX fixtures, one sub-folder per family. */
export const FIXTURE_ROOT = new URL('../../fixtures/edx/', import.meta.url);

/** A raw fixture event: a JSON object as edX wrote it. */
export type RawEvent = Record<string, unknown>;

/** The raw fixture events of a family, by name (file name without `.json`), sorted. */
export async function fixtureEvents(family: string): Promise<Map<string, RawEvent>> {
  const dir = new URL(`${family}/`, FIXTURE_ROOT);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json') && !f.endsWith('.actual.json'));
  const out = new Map<string, RawEvent>();
  for (const file of files.sort()) out.set(file.slice(0, -'.json'.length), JSON.parse(await readFile(new URL(file, dir), 'utf8')) as RawEvent);
  return out;
}

/** What a raw event becomes: normalized, then translated with `opts`. */
export function translateRaw(raw: unknown, opts: EdxTranslateOptions = OPTIONS): EdxTranslation | { rejection: Rejection } {
  const event = normalizeEdxEvent(raw);
  return isRejection(event) ? { rejection: event } : translateEdxEvent(event, opts);
}

/** One test per fixture of `family`, named `translates <fixture name>`. */
export async function fixtureTests(family: string): Promise<void> {
  const events = await fixtureEvents(family);
  if (events.size === 0) throw new Error(`no fixtures in test/fixtures/edx/${family}/`);
  for (const [name, raw] of events) {
    it(`translates ${name}`, async () => {
      // Through JSON, as the expected file is: drops undefined members.
      const actual = JSON.parse(JSON.stringify(translateRaw(raw))) as { statements?: unknown[] };
      const expectedFile = new URL(`${family}/${name}.expected.json`, FIXTURE_ROOT);
      const actualFile = new URL(`${family}/${name}.actual.json`, FIXTURE_ROOT);
      const expected: unknown = existsSync(expectedFile) ? JSON.parse(await readFile(expectedFile, 'utf8')) : undefined;
      const matches = expected !== undefined && isDeepEqual(actual, expected);
      if (matches) await rm(actualFile, { force: true });
      else await writeFile(actualFile, `${JSON.stringify(actual, null, 2)}\n`);
      for (const [i, statement] of (actual.statements ?? []).entries()) {
        const issues = validateStatement(statement);
        expect(issues, `statement ${i} of ${family}/${name} is not valid xAPI:\n${formatIssues(issues)}`).toEqual([]);
      }
      expect(expected, `${family}/${name}.expected.json is missing; the translation is in ${name}.actual.json`).toBeDefined();
      expect(actual, `${family}/${name}: the translation differs; see ${name}.actual.json`).toEqual(expected);
    });
  }
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}
