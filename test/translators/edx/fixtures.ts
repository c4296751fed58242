/**
 * Runs every fixture of an edX event family: `test/fixtures/edx/<family>/<name>.json` is
 * one raw event, `<name>.expected.json` the whole translation it must give. A missing
 * or different expected file fails, and the actual translation is written next to it
 * as `<name>.actual.json` for diffing.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { isRejection, normalizeEdxEvent } from '../../../src/ingest/edx/event.js';
import { translateEdxEvent, type EdxTranslateOptions } from '../../../src/translators/edx.js';
import { EdxIris } from '../../../src/translators/edx/ids.js';
import { pseudonym } from '../../../src/xapi/ids.js';
import { validateStatement } from '../../../src/xapi/validate.js';

/** The options every fixture is translated with. */
export const FIXTURE_OPTIONS: EdxTranslateOptions = {
  iris: new EdxIris('https://lms.example.org/'),
  homePage: 'https://lms.example.org',
  actorName: (key) => pseudonym('fixture-secret-0123456789', key),
};

const ROOT = new URL('../../fixtures/edx/', import.meta.url);

/** The raw fixture events of a family, by name. */
export async function fixtureEvents(family: string): Promise<Map<string, unknown>> {
  const dir = new URL(`${family}/`, ROOT);
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json') && !f.endsWith('.actual.json'));
  const out = new Map<string, unknown>();
  for (const file of names.sort()) out.set(file.slice(0, -'.json'.length), JSON.parse(await readFile(new URL(file, dir), 'utf8')));
  return out;
}

/** The translation of one raw event with the fixture options. */
export function translateFixture(raw: unknown): unknown {
  const event = normalizeEdxEvent(raw);
  return isRejection(event) ? { rejection: event } : translateEdxEvent(event, FIXTURE_OPTIONS);
}

/** One test per fixture of `family`. */
export async function fixtureTests(family: string): Promise<void> {
  const events = await fixtureEvents(family);
  for (const [name, raw] of events) {
    it(`translates ${name}`, async () => {
      const actual = JSON.parse(JSON.stringify(translateFixture(raw))) as { statements?: unknown[] };
      const expectedFile = new URL(`${family}/${name}.expected.json`, ROOT);
      const actualFile = new URL(`${family}/${name}.actual.json`, ROOT);
      const expected: unknown = existsSync(expectedFile) ? JSON.parse(await readFile(expectedFile, 'utf8')) : undefined;
      let matches = false;
      try {
        expect(actual).toEqual(expected);
        matches = true;
      } finally {
        if (matches) await rm(actualFile, { force: true });
        else await writeFile(actualFile, `${JSON.stringify(actual, null, 2)}\n`);
      }
      for (const statement of actual.statements ?? []) expect(validateStatement(statement)).toEqual([]);
    });
  }
}
