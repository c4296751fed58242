import { describe, expect, it } from 'vitest';
import {
  formatMultipart,
  mediaTypeEssence,
  multipartBoundary,
  parseMultipart,
} from '../../../src/lrs/server/attachment-multipart.js';
import { CodedError } from '../../../src/errors.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).code).toBe('invalid');
    return (err as CodedError).message;
  }
  throw new Error('expected CodedError invalid');
};

describe('multipart/mixed bodies (RFC 2046, Communication 1.5.2)', () => {
  it('reads the example of Communication 1.5.2: quoted boundary, preamble, headers without a space', () => {
    const boundary = multipartBoundary(`multipart/mixed; boundary="abcABC0123'()+_,-./:=?"`);
    expect(boundary).toBe(`abcABC0123'()+_,-./:=?`);
    const body = crlf([
      '',
      `--${boundary}`,
      'Content-Type:application/json',
      '',
      '{"actor":{}}',
      `--${boundary}`,
      'Content-Type:text/plain',
      'Content-Transfer-Encoding:binary',
      'X-Experience-API-Hash:495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a',
      '',
      'here is a simple attachment',
      `--${boundary}--`,
    ]);
    const parts = parseMultipart(body, boundary);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.headers.get('content-type')).toBe('application/json');
    expect(parts[0]!.body.toString()).toBe('{"actor":{}}');
    expect(parts[1]!.headers.get('x-experience-api-hash')).toBe('495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a');
    expect(parts[1]!.body.toString()).toBe('here is a simple attachment');
  });

  it('keeps binary content byte for byte, including CR, LF, dashes and every byte value', () => {
    const binary = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), 13, 10, 45, 45, 120, 13, 10, 13, 10]);
    const body = Buffer.concat([crlf(['--b', 'Content-Type: application/octet-stream', '', '']), binary, crlf(['', '--b--', ''])]);
    expect(parseMultipart(body, 'b')[0]!.body.equals(binary)).toBe(true);
  });

  it('accepts transport padding after a boundary, parts without headers, folded headers and an epilogue', () => {
    const body = crlf(['--b  \t', '', 'no headers', '--b', 'X-Long: one', '  two', '', 'folded', '--b-- ', 'epilogue --b']);
    const parts = parseMultipart(body, 'b');
    expect(parts.map((p) => p.body.toString())).toEqual(['no headers', 'folded']);
    expect(parts[0]!.headers.size).toBe(0);
    expect(parts[1]!.headers.get('x-long')).toBe('one two');
  });

  it('reads a part with headers and empty content', () => {
    const parts = parseMultipart(crlf(['--b', 'Content-Type: text/plain', '', '--b--']), 'b');
    expect(parts[0]!.headers.get('content-type')).toBe('text/plain');
    expect(parts[0]!.body.length).toBe(0);
  });

  it('reads the boundary parameter quoted or not, whatever the case of its name', () => {
    expect(multipartBoundary('multipart/mixed; BOUNDARY=simple')).toBe('simple');
    expect(multipartBoundary('multipart/mixed;charset=utf-8;boundary="with space"')).toBe('with space');
    expect(mediaTypeEssence('Text/Plain; charset=ascii')).toBe('text/plain');
  });

  it('refuses a missing, empty, overlong or malformed boundary', () => {
    expect(refused(() => multipartBoundary('multipart/mixed'))).toContain('no boundary');
    expect(refused(() => multipartBoundary('multipart/mixed; boundary=""'))).toContain('not a valid');
    expect(refused(() => multipartBoundary(`multipart/mixed; boundary=${'x'.repeat(71)}`))).toContain('not a valid');
    expect(refused(() => multipartBoundary('multipart/mixed; boundary="ends with space "'))).toContain('not a valid');
    expect(refused(() => multipartBoundary('multipart/mixed; boundary="a<b"'))).toContain('not a valid');
  });

  it('refuses a body without the boundary, without a part, or without the closing boundary', () => {
    expect(refused(() => parseMultipart(crlf(['--other', '', 'x', '--other--']), 'b'))).toContain('does not contain the boundary');
    expect(refused(() => parseMultipart(crlf(['--b--']), 'b'))).toContain('no part');
    expect(refused(() => parseMultipart(crlf(['--b', '', 'x']), 'b'))).toContain('closing boundary');
  });

  it('refuses line ends other than CRLF, and malformed or repeated headers', () => {
    expect(refused(() => parseMultipart(Buffer.from('--b\nContent-Type: text/plain\n\nx\n--b--'), 'b'))).toContain('CRLF');
    expect(refused(() => parseMultipart(crlf(['--b', 'Content-Type: text/plain', 'x', '--b--']), 'b'))).toContain('no empty line');
    expect(refused(() => parseMultipart(crlf(['--b', 'no colon here', '', 'x', '--b--']), 'b'))).toContain('malformed header');
    expect(refused(() => parseMultipart(crlf(['--b', 'A: 1', 'a: 2', '', 'x', '--b--']), 'b'))).toContain('repeats the header a');
  });

  it('writes parts that it reads back unchanged', () => {
    const binary = Buffer.from([0, 13, 10, 255, 45, 45]);
    const body = formatMultipart(
      [
        { headers: { 'Content-Type': 'application/json' }, body: '{"é":1}' },
        { headers: { 'Content-Type': 'image/png', 'X-Experience-API-Hash': 'ab' }, body: binary },
      ],
      'xyz',
    );
    const parts = parseMultipart(body, 'xyz');
    expect(parts[0]!.body.toString('utf8')).toBe('{"é":1}');
    expect(parts[1]!.headers.get('x-experience-api-hash')).toBe('ab');
    expect(parts[1]!.body.equals(binary)).toBe(true);
  });
});
