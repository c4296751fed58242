/**
 * EDX_FREE_TEXT: learner-typed text (typed answers, search queries) kept, hashed or
 * dropped; choice ids and course content untouched. The options come from
 * `edxTranslateOptions`, which the live endpoint and every import share.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { edxItem, edxTranslateOptions } from '../../../src/pipelines/edx.js';
import { parseEdxLine } from '../../../src/ingest/edx/tracking-log.js';
import type { Statement } from '../../../src/xapi/types.js';
import { freeTextDigest } from '../../../src/xapi/ids.js';
import { EXT } from '../../../src/xapi/vocabulary.js';
import { LMS, SECRET } from '../../support/edx-events.js';
import { fixtureEvents, type RawEvent } from './fixtures.js';

const problems = await fixtureEvents('problems');
const forum = await fixtureEvents('forum');
const typed = problems.get('problem_check.submission-only')!;
const browser = problems.get('problem_check.browser-quoted')!;
const choice = problems.get('problem_check')!;
const search = forum.get('edx.forum.searched')!;

/** The one statement of `raw` translated under EDX_FREE_TEXT=`mode` (unset: the default). */
function statement(raw: RawEvent, mode?: string): Statement {
  const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, ...(mode === undefined ? {} : { EDX_FREE_TEXT: mode }) });
  const item = edxItem(parseEdxLine('f:1', JSON.stringify(raw)), edxTranslateOptions(config, SECRET));
  if (!('statements' in item) || item.statements === undefined) throw new Error('no statement');
  return item.statements[0] as Statement;
}

const parts = (s: Statement) => s.result?.extensions?.[EXT.parts] as Record<string, Record<string, unknown>>;
const digest = (text: string) => freeTextDigest(SECRET, text);

describe('EDX_FREE_TEXT', () => {
  it('keeps typed answers and search queries by default', () => {
    expect(statement(typed).result?.response).toBe('do while[,]4');
    expect(statement(typed, 'keep').result?.response).toBe('do while[,]4');
    expect(statement(search).result?.response).toBe('while loop');
  });

  it('hashes typed text with the pseudonym secret, so equal answers stay equal', () => {
    const s = statement(typed, 'hash');
    expect(s.result?.response).toBe(`${digest('do while')}[,]${digest('4')}`);
    expect(parts(s)['e1f2_2_1']).toMatchObject({ response: digest('do while'), correct: true, question: 'Name the loop that tests its condition last.' });
    expect(statement(typed, 'hash').result?.response).toBe(s.result?.response);
    expect(JSON.stringify(s)).not.toContain('do while');
    expect(statement(browser, 'hash').result?.response).toBe(`choice_1[,]choice_0,choice_2[,]${digest('a loop that never ends')}`);
    expect(statement(search, 'hash').result?.response).toBe(digest('while loop'));
  });

  it('drops typed text from the statement, keeping each part in its place', () => {
    const s = statement(typed, 'drop');
    expect(s.result?.response).toBeUndefined();
    expect(parts(s)['e1f2_3_1']).toEqual({ correct: false, question: 'How many times does `for i in range(3)` run?', responseType: 'numericalresponse', inputType: 'formulaequationinput' });
    expect(JSON.stringify(s)).not.toContain('do while');
    expect(statement(browser, 'drop').result?.response).toBe('choice_1[,]choice_0,choice_2[,]');
    expect(statement(search, 'drop').result?.response).toBeUndefined();
  });

  it('never touches choice ids or the text of the choices, which are course content', () => {
    for (const mode of ['keep', 'hash', 'drop']) {
      const s = statement(choice, mode);
      expect(s.result?.response).toBe('choice_2[,]choice_0,choice_3');
      expect(parts(s)['q1_2_1']).toMatchObject({ response: 'choice_2', choiceText: 'do-while' });
    }
  });

  it('keeps the digest of an answer apart from the pseudonym of an equal user id', () => {
    const config = loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS });
    expect(digest('42')).not.toContain(edxTranslateOptions(config, SECRET).actorName('42'));
  });

  it('refuses an unknown mode at start-up, naming the variable', () => {
    expect(() => loadConfig({ PSEUDONYM_SECRET: SECRET, EDX_LMS_URL: LMS, EDX_FREE_TEXT: 'scramble' })).toThrow(/EDX_FREE_TEXT/);
  });
});
