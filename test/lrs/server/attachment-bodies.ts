/**
 * Attachments for tests: attachment declarations, multipart/mixed request bodies written
 * by hand (independently of the LRS's own writer), and reading multipart responses.
 */
import { createHash } from 'node:crypto';
import type request from 'supertest';

/** The boundary of the bodies written here. */
export const BOUNDARY = 'test-boundary-0123';

/** Lower-case hex SHA-256 of `content`. */
export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** An attachment declaration for `content`. */
export function attachmentOf(content: string | Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    usageType: 'https://courses.example.org/attachments/certificate',
    display: { 'en-US': 'Certificate' },
    contentType: 'text/plain',
    length: Buffer.byteLength(content),
    sha2: sha256(content),
    ...extra,
  };
}

/** One part of a body: header lines and content. */
export interface TestPart {
  headers: string[];
  body: string | Buffer;
}

/** The statements part. */
export function jsonPart(statements: unknown): TestPart {
  return { headers: ['Content-Type: application/json'], body: JSON.stringify(statements) };
}

/** An attachment part with the headers §1.5.2 requires; `hash` defaults to the content's. */
export function dataPart(content: string | Buffer, opts: { contentType?: string; hash?: string } = {}): TestPart {
  return {
    headers: [
      `Content-Type: ${opts.contentType ?? 'text/plain'}`,
      'Content-Transfer-Encoding: binary',
      `X-Experience-API-Hash: ${opts.hash ?? sha256(content)}`,
    ],
    body: content,
  };
}

/** A multipart/mixed body of `parts`. */
export function multipartBody(parts: readonly TestPart[], boundary = BOUNDARY): Buffer {
  const chunks = parts.flatMap((p) => [
    Buffer.from(`--${boundary}\r\n${p.headers.map((h) => `${h}\r\n`).join('')}\r\n`),
    Buffer.from(p.body),
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]);
}

/** The Content-Type of the bodies written here. */
export const MULTIPART_TYPE = `multipart/mixed; boundary=${BOUNDARY}`;

/** Makes supertest keep the raw response body as a Buffer in `res.body`. */
export function rawBody(test: request.Test): request.Test {
  return test.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}
