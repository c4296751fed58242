import { describe, expect, it } from 'vitest';
import { ConfigError, courseraPullReadiness, edxReadiness, futurelearnPullReadiness, khanReadiness, loadConfig, redactedConfig, SETTINGS } from '../src/config/index.js';
import { runCli } from './support/cli.js';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, databaseUrl: undefined, lrsEndpoint: undefined, lrsBatchSize: 500, flushCron: '*/10 * * * * *' });
  });

  it.each([
    ['DATABASE_URL', 'not a url', /^DATABASE_URL: expected a postgres:\/\//],
    ['DATABASE_URL', 'mysql://u:p@h/db', /^DATABASE_URL: expected/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: expected one of trace, debug/],
    ['PORT', '80a', /^PORT: expected an integer from 0 to 65535$/],
    ['LRS_ENDPOINT', 'ftp://lrs', /^LRS_ENDPOINT: expected an http/],
    ['FLUSH_CRON', 'every minute', /^FLUSH_CRON: expected a cron expression/],
    ['LRS_USERS', 'nopassword', /^LRS_USERS: expected a comma-separated list of user:password$/],
    ['BODY_LIMIT', 'huge', /^BODY_LIMIT: expected a size/],
    ['LRS_USERS', 'lms:long-enough-password,dashboard:short-pass', /^LRS_USERS: expected a password of at least 16 characters for user "dashboard"$/],
    ['LRS_MAX_STATEMENTS', '0', /^LRS_MAX_STATEMENTS: expected an integer from 1 to 100000$/],
    ['INGEST_MAX_EVENTS', 'many', /^INGEST_MAX_EVENTS: expected an integer from 1 to 1000000$/],
    ['LRS_CORS_CREDENTIALS_ORIGINS', 'https://lms.example.org/courses', /^LRS_CORS_CREDENTIALS_ORIGINS: expected origins like https:\/\/lms.example.org/],
    ['ECO_API_ALLOWED_IPS', '192.0.2.300', /^ECO_API_ALLOWED_IPS: expected IP addresses or CIDR ranges/],
    ['ECO_API_ALLOWED_IPS', '198.51.100.0/33', /^ECO_API_ALLOWED_IPS: expected IP addresses or CIDR ranges/],
    ['ECO_API_ALLOWED_IPS', 'eco.example.org', /^ECO_API_ALLOWED_IPS: expected IP addresses or CIDR ranges/],
  ])('refuses %s=%j with a message naming the variable', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it('never repeats a secret value in its error', () => {
    try {
      loadConfig({ DATABASE_URL: 'postgres://u:hunter2@' });
    } catch (err) {
      expect(String(err)).not.toContain('hunter2');
    }
    expect(() => loadConfig({ LRS_USERS: 'lms:hunter2' })).toThrow(/^(?!.*hunter2)/);
  });

  it('masks secrets when the config is printed', () => {
    const printed = redactedConfig(
      loadConfig({ DATABASE_URL: 'postgres://gw:s3cret@db:5432/gw', LRS_ENDPOINT: 'https://lrs.example.org/xapi', LRS_USERNAME: 'key', LRS_PASSWORD: 'topsecret', LRS_USERS: 'a:pw1-long-enough-password' }),
    );
    const text = JSON.stringify(printed);
    expect(text).not.toMatch(/s3cret|topsecret|pw1/);
    expect(printed.DATABASE_URL).toBe('postgres://gw:***@db:5432/gw');
    expect(printed.LRS_ENDPOINT).toBe('https://lrs.example.org/xapi/');
  });

  it('lets any client call the ECO API by default, or the addresses and ranges listed', () => {
    expect(loadConfig({}).ecoApiAllowedIps).toBeUndefined();
    const config = loadConfig({ ECO_API_ALLOWED_IPS: '192.0.2.7, 198.51.100.0/24,2001:db8::/32' });
    const allowed = config.ecoApiAllowedIps!;
    expect([allowed.check('192.0.2.7'), allowed.check('198.51.100.99'), allowed.check('2001:db8::5', 'ipv6'), allowed.check('::ffff:198.51.100.1', 'ipv6')]).toEqual([true, true, true, true]);
    expect([allowed.check('192.0.2.8'), allowed.check('2001:db9::1', 'ipv6')]).toEqual([false, false]);
    expect(redactedConfig(config).ECO_API_ALLOWED_IPS).toBe('192.0.2.7,198.51.100.0/24,2001:db8::/32');
  });

  it('caps request batches and lets no origin use browser credentials by default', () => {
    expect(loadConfig({})).toMatchObject({ lrsMaxStatements: 2000, ingestMaxEvents: 10000, lrsCorsCredentialsOrigins: new Set() });
    const listed = loadConfig({ LRS_CORS_CREDENTIALS_ORIGINS: 'https://lms.example.org, http://localhost:8000' }).lrsCorsCredentialsOrigins;
    expect([...listed]).toEqual(['https://lms.example.org', 'http://localhost:8000']);
  });

  it('reads TRUST_PROXY as none, a hop count or addresses, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('says whether each platform is configured, naming the missing variables and never a value', () => {
    const none = loadConfig({});
    expect([edxReadiness(none), courseraPullReadiness(none), futurelearnPullReadiness(none), khanReadiness(none)]).toEqual([
      { ready: false, missing: ['EDX_LMS_URL'] },
      { ready: false, missing: ['COURSERA_TOKEN', 'COURSERA_COURSE_IDS'] },
      { ready: false, missing: ['FUTURELEARN_EMAIL', 'FUTURELEARN_PASSWORD', 'FUTURELEARN_ORGANISATION'] },
      { ready: false, missing: ['KHAN_CONSUMER_KEY', 'KHAN_CONSUMER_SECRET', 'KHAN_TOKEN_KEY'] },
    ]);
    const some = loadConfig({ EDX_LMS_URL: 'https://lms.example.org', COURSERA_TOKEN: 'hunter2-token', FUTURELEARN_EMAIL: 'f@example.org', KHAN_CONSUMER_KEY: 'key', KHAN_TOKEN_KEY: 'vault' });
    expect([edxReadiness(some), courseraPullReadiness(some), futurelearnPullReadiness(some), khanReadiness(some)]).toEqual([
      { ready: true },
      { ready: false, missing: ['COURSERA_COURSE_IDS'] },
      { ready: false, missing: ['FUTURELEARN_PASSWORD', 'FUTURELEARN_ORGANISATION'] },
      { ready: false, missing: ['KHAN_CONSUMER_SECRET'] },
    ]);
  });

  it('documents every setting in the README table', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const s of SETTINGS) expect(readme).toContain(`\`${s.variable}\``);
  });

  it.each([
    ['DATABASE_URL', 'not a url', 'DATABASE_URL: expected'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: expected one of'],
  ])('stops start-up on a bad %s with a one-line reason', async (variable, value, expected) => {
    const run = await runCli(['serve'], { [variable]: value, PORT: '0' });
    expect(run.code).not.toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
    expect(lines[0]).toMatch(/^xapi-gateway serve: /);
  });
});
