import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { translateFutureLearn } from '../../src/pipelines/futurelearn.js';
import { SECRET } from '../support/edx-events.js';

describe('FutureLearn rows of learners FutureLearn erased', () => {
  let dir: string;
  let runDir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xgw-fl-erased-'));
    runDir = join(dir, 'uni', 'course-x', '2 - 2026-03-02 - 2026-03-30');
    await mkdir(runDir, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('are counted as erasedByPlatform by dataset, not as rejected records, and make no statement', async () => {
    await writeFile(join(runDir, 'question-response.csv'), [
      'learner_id,quiz_question,question_type,response,submitted_at,correct',
      'l1,2.4.3,MultipleChoiceQuestion,2,2026-03-10 10:00:00 UTC,false',
      ',2.4.3,MultipleChoiceQuestion,1,2026-03-10 10:01:00 UTC,true',
      '  ,2.4.3,MultipleChoiceQuestion,1,2026-03-10 10:02:00 UTC,true',
      '',
    ].join('\n'));
    await writeFile(join(runDir, 'step-activity.csv'), 'learner_id,step,first_visited_at,last_completed_at\n,1.1,2026-03-02 10:00:00 UTC,\n');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const summary = await translateFutureLearn({ paths: [runDir] }, { config: loadConfig({ PSEUDONYM_SECRET: SECRET }), logger: pino({ level: 'silent' }), out });
    expect(summary).toMatchObject({ read: 4, translated: 1, rejected: 0, erasedByPlatform: 3, errors: [] });
    expect(summary.byType['question-response']).toMatchObject({ translated: 1, rejected: 0, erasedByPlatform: 2 });
    expect(summary.byType['step-activity']).toMatchObject({ erasedByPlatform: 1 });
    expect(text.trim().split('\n')).toHaveLength(summary.statements);
  });
});
