import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openToken, parseVaultKey, sealToken, TokenVaultError } from '../../../src/ingest/khan/token-vault.js';

const RAW = randomBytes(32);
const key = parseVaultKey(RAW.toString('hex'));
const TOKEN = 't0ken-and-its-secret:0123456789abcdef';

/** The error a call throws, or undefined. */
function thrown(fn: () => unknown): TokenVaultError | undefined {
  try {
    fn();
  } catch (err) {
    return err as TokenVaultError;
  }
  return undefined;
}

describe('parseVaultKey', () => {
  it('reads 32 bytes as hex, base64 or base64url, giving one and the same key', () => {
    const sealed = sealToken(key, TOKEN);
    expect(openToken(parseVaultKey(RAW.toString('base64')), sealed)).toBe(TOKEN);
    expect(openToken(parseVaultKey(` ${RAW.toString('base64url')}\n`), sealed)).toBe(TOKEN);
    expect(openToken(parseVaultKey(RAW.toString('hex').toUpperCase()), sealed)).toBe(TOKEN);
  });

  it('refuses other lengths and alphabets without echoing the value', () => {
    for (const bad of ['', 'abc', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), `${'z'.repeat(64)}`]) {
      const err = thrown(() => parseVaultKey(bad));
      expect(err).toBeInstanceOf(TokenVaultError);
      expect(err?.code).toBe('bad_vault_key');
      if (bad) expect(err?.message).not.toContain(bad);
    }
  });

  it('holds the key so that printing it shows no bytes', () => {
    const printed = `${JSON.stringify(key)} ${String(key)} ${inspect(key)}`;
    expect(printed).not.toContain(RAW.toString('hex'));
    expect(printed).not.toContain(RAW.toString('base64'));
  });
});

describe('sealToken and openToken', () => {
  it('round-trip a token, with or without associated data', () => {
    expect(openToken(key, sealToken(key, TOKEN))).toBe(TOKEN);
    expect(openToken(key, sealToken(key, TOKEN, 'kaid_coach1'), 'kaid_coach1')).toBe(TOKEN);
    expect(openToken(key, sealToken(key, ''))).toBe('');
  });

  it('give a different sealed text each time (fresh IV) in the v1 form', () => {
    const a = sealToken(key, TOKEN);
    const b = sealToken(key, TOKEN);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
  });

  it('never contain the plaintext', () => {
    const sealed = sealToken(key, TOKEN);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain(Buffer.from(TOKEN).toString('base64url'));
  });

  it('refuse a wrong key', () => {
    const other = parseVaultKey(randomBytes(32).toString('hex'));
    const err = thrown(() => openToken(other, sealToken(key, TOKEN)));
    expect(err).toBeInstanceOf(TokenVaultError);
    expect(err?.code).toBe('token_unreadable');
  });

  it('refuse a tampered tag, IV or ciphertext', () => {
    const [v, iv, tag, body] = sealToken(key, TOKEN).split('.') as [string, string, string, string];
    const flip = (s: string) => {
      const bytes = Buffer.from(s, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64url');
    };
    for (const sealed of [[v, iv, flip(tag), body], [v, flip(iv), tag, body], [v, iv, tag, flip(body)], [v, iv, tag.slice(2), body], ['v2', iv, tag, body]]) {
      expect(thrown(() => openToken(key, sealed.join('.')))?.code).toBe('token_unreadable');
    }
    expect(thrown(() => openToken(key, 'not sealed'))?.code).toBe('token_unreadable');
  });

  it('refuse a token sealed for another owner, or opened without its associated data', () => {
    const sealed = sealToken(key, TOKEN, 'kaid_coach1');
    expect(thrown(() => openToken(key, sealed, 'kaid_coach2'))?.code).toBe('token_unreadable');
    expect(thrown(() => openToken(key, sealed))?.code).toBe('token_unreadable');
    expect(thrown(() => openToken(key, sealToken(key, TOKEN), 'kaid_coach1'))?.code).toBe('token_unreadable');
  });

  it('say nothing of the token or key when refusing', () => {
    const err = thrown(() => openToken(parseVaultKey(randomBytes(32).toString('hex')), sealToken(key, TOKEN, 'kaid_coach1'), 'kaid_coach1'));
    expect(err?.message).not.toContain(TOKEN);
    expect(err?.message).not.toContain(RAW.toString('hex'));
  });
});
