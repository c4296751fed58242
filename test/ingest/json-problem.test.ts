import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseEdxLine } from '../../src/ingest/edx/tracking-log.js';
import { readNdjson } from '../../src/ingest/xapi/ndjson.js';
import { notJson } from '../../src/ingest/json-problem.js';
import { rejectionReason } from '../../src/xapi/run-summary.js';

// V8 quotes the failed text in its message: these lines hold what must not leak.
const LINE = '{"username": "alice.learner", "ip": "203.0.113.7", "event": {"answer": secret-answer}';

describe('rejections of lines that are not JSON', () => {
  it('name the problem and the position, never the text of the line', () => {
    expect(notJson(new SyntaxError('Unexpected end of JSON input'))).toBe('not JSON (ends too early)');
    expect(notJson(new SyntaxError('Unterminated string in JSON at position 20'))).toBe('not JSON (at character 20)');
    let parseError: unknown;
    try {
      JSON.parse(LINE);
    } catch (err) {
      parseError = err;
    }
    expect(notJson(parseError)).toMatch(/^not JSON/);
    expect(notJson(parseError)).not.toMatch(/alice|203\.0\.113|secret-answer/);
  });

  it('keep learner data out of the reasons of edX and NDJSON imports', async () => {
    const edx = parseEdxLine('tracking.log:3', LINE);
    expect(edx.ok).toBe(false);
    const edxReason = edx.ok ? '' : rejectionReason(edx.rejection);
    expect(edxReason).toMatch(/^cannot be read: not JSON/);
    expect(edxReason).not.toMatch(/alice|203\.0\.113|secret-answer/);

    const stream = Readable.from([`${LINE}\n`]);
    const records = [];
    for await (const r of readNdjson(stream, 'statements.ndjson')) records.push(r);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record!.ok).toBe(false);
    const reason = record!.ok ? '' : rejectionReason(record!.rejection);
    expect(reason).toMatch(/^cannot be read: not JSON/);
    expect(reason).not.toMatch(/alice|203\.0\.113|secret-answer/);
  });
});
