import { createHmac } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import {
  PLATFORM_NAMESPACES,
  accountActor,
  pseudonym,
  statementId,
  validateStatement,
  type Platform,
} from '../../src/xapi/index.js';
import { freeTextDigest } from '../../src/xapi/ids.js';

const PLATFORMS = Object.keys(PLATFORM_NAMESPACES) as Platform[];

describe('statementId', () => {
  it('gives the same id for the same platform and key, every time', () => {
    expect(statementId('edx', 'course-v1:MITx+6.00x:event-42')).toBe(statementId('edx', 'course-v1:MITx+6.00x:event-42'));
  });

  it('gives different ids for the same key on different platforms', () => {
    const ids = PLATFORMS.map((p) => statementId(p, 'record-1'));
    expect(new Set(ids).size).toBe(PLATFORMS.length);
  });

  it('gives different ids for different keys', () => {
    expect(statementId('khan', 'a')).not.toBe(statementId('khan', 'b'));
  });

  it('gives a version 5 UUID that validates as a statement id', () => {
    const id = statementId('coursera', 'x');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const statement = { id, actor: accountActor('https://www.coursera.org', 'p'), verb: { id: 'http://example.com/v' }, object: { id: 'http://example.com/a' } };
    expect(validateStatement(statement)).toEqual([]);
  });

  it('gives the id the uuid library gives for v5 of the key in the platform namespace, also for non-ASCII keys', () => {
    for (const p of PLATFORMS) {
      // Longer keys than the buffer ids are hashed in, then a short one after them.
      for (const key of ['play_video|2026-03-02T09:00:00.123000Z|42', 'username:Zoë 学生', 'x'.repeat(300), 'é'.repeat(5000), 'y'.repeat(20_000), 'z']) {
        expect(statementId(p, key)).toBe(uuidv5(key, PLATFORM_NAMESPACES[p]));
      }
    }
  });

  it('refuses an empty key, which would give one id to every record', () => {
    expect(() => statementId('edx', '')).toThrow(RangeError);
  });

  it('keeps the namespaces derived from the gateway IRI, so ids never change', () => {
    for (const p of PLATFORMS) {
      expect(PLATFORM_NAMESPACES[p]).toBe(uuidv5(`https://w3id.org/xapi-gateway/namespaces/${p}`, uuidv5.URL));
    }
  });
});

describe('pseudonym', () => {
  it('is the HMAC-SHA256 of the user id, for short, long and non-ASCII secrets and ids', () => {
    for (const secret of ['s3cret', 'k'.repeat(64), 'ключ-'.repeat(30), 'x']) {
      for (const id of ['1001', 'username:Zoë 学生', '', 'u'.repeat(500)]) {
        expect(pseudonym(secret, id)).toBe(createHmac('sha256', secret).update(id, 'utf8').digest('hex'));
      }
    }
  });

  it('keeps free-text digests the keyed HMAC they were, apart from pseudonyms', () => {
    expect(freeTextDigest('s3cret', 'do-while')).toBe(`hmac-sha256:${createHmac('sha256', 's3cret').update('free-text\u0000do-while', 'utf8').digest('hex')}`);
  });

  it('is stable for the same secret and user id', () => {
    expect(pseudonym('s3cret', 'user-1001')).toBe(pseudonym('s3cret', 'user-1001'));
  });

  it('is a hex HMAC-SHA256 that does not contain the user id', () => {
    const name = pseudonym('s3cret', 'user-1001');
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(name).not.toContain('user-1001');
    expect(name).not.toContain('1001');
  });

  it('changes with the secret and with the user id', () => {
    expect(pseudonym('a', 'user-1')).not.toBe(pseudonym('b', 'user-1'));
    expect(pseudonym('a', 'user-1')).not.toBe(pseudonym('a', 'user-2'));
  });

  it('refuses an empty secret, which would make it a guessable hash', () => {
    expect(() => pseudonym('', 'user-1')).toThrow(RangeError);
  });
});

describe('accountActor', () => {
  it('builds an Agent identified by an account', () => {
    expect(accountActor('https://courses.edx.org', 'abc')).toEqual({
      objectType: 'Agent',
      account: { homePage: 'https://courses.edx.org', name: 'abc' },
    });
  });
});
