import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameSecret } from '../../src/http/bearer.js';

const SRC = new URL('../../src', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('comparing secrets', () => {
  it('tells equal secrets from different ones of any length, strings or bytes, without throwing', () => {
    expect(sameSecret('s3cret-token', 's3cret-token')).toBe(true);
    expect(sameSecret(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(sameSecret('s3cret-token', 's3cret-tokeN')).toBe(false);
    expect(sameSecret('s3cret', 's3cret-token')).toBe(false);
    expect(sameSecret('', 'x'.repeat(10_000))).toBe(false);
    expect(sameSecret(Buffer.alloc(16), Buffer.alloc(32))).toBe(false);
  });

  it('is the one place where secrets are compared, and it never compares lengths first', () => {
    const users = sourceFiles(SRC).filter((f) => readFileSync(f, 'utf8').includes('timingSafeEqual')).map((f) => relative(SRC, f));
    expect(users).toEqual(['http/bearer.ts']);
    const body = /export function sameSecret[\s\S]*?\n}/.exec(readFileSync(join(SRC, 'http/bearer.ts'), 'utf8'))![0];
    expect(body).not.toMatch(/\.length/);
  });
});
