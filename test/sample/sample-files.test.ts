import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_ROOT } from '../../src/cli/commands/sample.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const FILES = readdirSync(SAMPLE_ROOT, { recursive: true, encoding: 'utf8' })
  .map((path) => join(SAMPLE_ROOT, path))
  .filter((path) => statSync(path).isFile());
/** RFC 5737 documentation ranges: the only IPv4 addresses the sample may hold. */
const DOCUMENTATION_IP = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

describe('the sample data', () => {
  it('is small: under 1 MB in all', () => {
    expect(FILES.reduce((total, path) => total + statSync(path).size, 0)).toBeLessThan(1_000_000);
  });

  it('holds no personal data: emails only at example.org, IP addresses only from RFC 5737', () => {
    for (const path of FILES) {
      const text = readFileSync(path, 'utf8');
      for (const [email] of text.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)) expect(email, path).toMatch(/@(?:[\w-]+\.)*example\.org$/);
      for (const [ip] of text.matchAll(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g)) expect(ip, path).toMatch(DOCUMENTATION_IP);
    }
  });

  it('ships in the package, found from the package root wherever the command runs', () => {
    expect(relative(PACKAGE_ROOT, SAMPLE_ROOT)).toBe('sample');
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as [{ files: { path: string }[] }];
    const shipped = new Set(pack.files.map((f) => f.path));
    for (const path of FILES) expect(shipped, path).toContain(relative(PACKAGE_ROOT, path));
  }, 60_000);
});
