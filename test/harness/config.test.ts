import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, loadSetting } from '../../src/config.ts';
import { STEPS } from '../../src/steps.ts';

const NO_FILE = join(tmpdir(), 'scim-conformance-no-such.env');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scimc-config-'));
  dirs.push(dir);
  return dir;
}

function load(env: Record<string, string>, flags: Record<string, string> = {}, envFile?: string) {
  // Each test names its dotenv file, so that a developer's own .env never leaks in.
  const dir = tempDir();
  const file = envFile ?? join(dir, '.env');
  if (!envFile) writeFileSync(file, '');
  return loadConfig({ env, flags, envFile: file });
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  test('defaults: no tenant (reference server), entra profile, 30 s timeout, every step, groups on, reports/, not read-only', () => {
    const config = load({});
    expect(config).toMatchObject({ tenantUrl: undefined, profile: 'entra', timeoutMs: 30000, groups: true, reportDir: 'reports', retries: 3, readOnly: false, readOnlyUserName: undefined });
    expect(config.steps).toEqual(STEPS);
    expect(config.steps.map((s) => s.number)).toEqual(expect.arrayContaining(['00', '01', '02', '03', '04', '05', '06', '08']));
  });

  test('read-only mode and the user it looks up come from the environment or flags', () => {
    expect(load({ SCIM_READ_ONLY: 'true', SCIM_READ_ONLY_USERNAME: ' alice@example.com ' })).toMatchObject({ readOnly: true, readOnlyUserName: 'alice@example.com' });
    expect(load({ SCIM_READ_ONLY: 'true' }, { 'read-only': 'false' }).readOnly).toBe(false);
    expect(messageOf(() => load({ SCIM_READ_ONLY: 'sometimes' }))).toBe('SCIM_READ_ONLY: "sometimes" is not a yes/no value; use true or false');
    expect(messageOf(() => load({ SCIM_READ_ONLY_USERNAME: 'a\nb' }))).toBe('SCIM_READ_ONLY_USERNAME: contains a control character (a line break?); give the value on one line');
  });

  test('a URL without a scheme names the variable and shows the fix', () => {
    const message = messageOf(() => load({ SCIM_TENANT_URL: 'scim.example.com/v2', SCIM_TOKEN: 'secret-token-1' }));
    expect(message).toBe('SCIM_TENANT_URL: "scim.example.com/v2" has no scheme; write the full URL as in the Entra Tenant URL field, e.g. https://scim.example.com/v2');
    expect(message.split('\n')).toHaveLength(1);
  });

  test('a URL with a tenant query flag is kept as typed', () => {
    const config = load({ SCIM_TENANT_URL: 'https://h.example/scim/v2/?aadOptscim062020', SCIM_TOKEN: 'secret-token-1' });
    expect(config.tenantUrl).toBe('https://h.example/scim/v2/?aadOptscim062020');
  });

  test('an empty token with a URL is an error naming SCIM_TOKEN', () => {
    const message = messageOf(() => load({ SCIM_TENANT_URL: 'https://h.example/scim', SCIM_TOKEN: '  ' }));
    expect(message).toMatch(/^SCIM_TOKEN: is empty but SCIM_TENANT_URL is set; put the tenant's Secret Token in SCIM_TOKEN/);
  });

  test('a token pasted with "Bearer " is refused with the fix', () => {
    const message = messageOf(() => load({ SCIM_TENANT_URL: 'https://h.example/scim', SCIM_TOKEN: 'Bearer abcdefghij' }));
    expect(message).toBe('SCIM_TOKEN: starts with "Bearer "; give the token alone, the suite adds the scheme');
  });

  test('an unknown profile lists the known ones', () => {
    expect(messageOf(() => load({ SCIM_PROFILE: 'azure' }))).toBe('SCIM_PROFILE: unknown profile "azure"; use one of entra, entra-2020, okta, rfc');
  });

  test('a bad timeout says what a good one looks like', () => {
    expect(messageOf(() => load({ SCIM_TIMEOUT_MS: '30s' }))).toBe('SCIM_TIMEOUT_MS: "30s" is not a whole number of milliseconds; use e.g. 30000');
    expect(messageOf(() => load({ SCIM_TIMEOUT_MS: '5' }))).toBe('SCIM_TIMEOUT_MS: 5 is out of range; use 100 to 600000 milliseconds');
  });

  test('steps are chosen by number or name, in tutorial order', () => {
    expect(load({ SCIM_STEPS: 'update-user,1' }).steps.map((s) => s.name)).toEqual(['test-connection', 'update-user']);
    expect(messageOf(() => load({ SCIM_STEPS: '01,login' }))).toMatch(/^SCIM_STEPS: unknown step "login"; use numbers or names from 00=discovery/);
  });

  test('SCIM_GROUPS accepts yes/no words and rejects others', () => {
    expect(load({ SCIM_GROUPS: 'false' }).groups).toBe(false);
    expect(messageOf(() => load({ SCIM_GROUPS: 'maybe' }))).toBe('SCIM_GROUPS: "maybe" is not a yes/no value; use true or false');
  });

  test('.env fills in, the environment wins over .env, and flags win over both', () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'SCIM_PROFILE=okta\nSCIM_TIMEOUT_MS=1000\nSCIM_REPORT_DIR=from-file\n');
    const config = load({ SCIM_TIMEOUT_MS: '2000', SCIM_REPORT_DIR: 'from-env' }, { 'report-dir': 'from-flag' }, file);
    expect(config.profile).toBe('okta');
    expect(config.timeoutMs).toBe(2000);
    expect(config.reportDir).toBe('from-flag');
  });

  test('plain http to a host that is not loopback is refused unless allowed', () => {
    const env = { SCIM_TENANT_URL: 'http://scim.example.com/v2', SCIM_TOKEN: 'secret-token-1' };
    expect(messageOf(() => load(env))).toMatch(/^SCIM_TENANT_URL: is plain http:\/\/ to scim\.example\.com, so the token would travel unencrypted; use https:\/\//);
    expect(load({ ...env }, { 'allow-insecure-http': 'true' }).tenantUrl).toBe('http://scim.example.com/v2');
    expect(load({ SCIM_TENANT_URL: 'http://127.0.0.1:8080/scim/v2', SCIM_TOKEN: 'secret-token-1' }).tenantUrl).toBe('http://127.0.0.1:8080/scim/v2');
    expect(load({ SCIM_TENANT_URL: 'http://localhost:8080/scim/v2', SCIM_TOKEN: 'secret-token-1' }).allowInsecureHttp).toBe(false);
  });

  test('concurrency: 2 spec files at once by default, 1 to 8 allowed; read alone for vitest.config.ts, whatever else is wrong', () => {
    expect(load({}).concurrency).toBe(2);
    expect(load({ SCIM_CONCURRENCY: '1' }).concurrency).toBe(1);
    expect(messageOf(() => load({ SCIM_CONCURRENCY: '9' }))).toBe('SCIM_CONCURRENCY: 9 is out of range; use 1 to 8 spec files');
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'SCIM_CONCURRENCY=1\nSCIM_TIMEOUT_MS=soon\n');
    expect(loadSetting('concurrency', { env: {}, envFile: file })).toBe(1);
    expect(loadSetting('concurrency', { env: { SCIM_CONCURRENCY: '3' }, envFile: file })).toBe(3);
  });

  test('a named env file that does not exist is an error', () => {
    expect(messageOf(() => loadConfig({ env: {}, envFile: NO_FILE }))).toMatch(/^SCIM_ENV_FILE: .* does not exist/);
  });
});

describe('authentication settings', () => {
  const tenant = { SCIM_TENANT_URL: 'https://scim.example.com/scim/v2' };

  test('each method names what it still needs', () => {
    expect(messageOf(() => load({ ...tenant, SCIM_AUTH: 'basic', SCIM_BASIC_USERNAME: 'u' }))).toBe(
      'SCIM_BASIC_PASSWORD: is empty but SCIM_AUTH=basic needs it (and SCIM_BASIC_USERNAME, SCIM_BASIC_PASSWORD)',
    );
    expect(messageOf(() => load({ ...tenant, SCIM_AUTH: 'oauth', SCIM_OAUTH_CLIENT_ID: 'c', SCIM_OAUTH_CLIENT_SECRET: 's' }))).toMatch(/^SCIM_OAUTH_TOKEN_URL: is empty but SCIM_AUTH=oauth needs it/);
    expect(messageOf(() => load({ SCIM_AUTH: 'basic' }))).toMatch(/^SCIM_AUTH: is basic, which needs a tenant \(SCIM_TENANT_URL\)/);
    expect(messageOf(() => load({ ...tenant, SCIM_AUTH: 'kerberos' }))).toBe('SCIM_AUTH: unknown method "kerberos"; use one of bearer, basic, oauth');
    expect(load({ ...tenant, SCIM_AUTH: 'basic', SCIM_BASIC_USERNAME: 'u', SCIM_BASIC_PASSWORD: 'p' }).auth).toBe('basic');
  });

  test('secrets are refused as flags, and the client secret only travels over https (or to loopback)', () => {
    const env = { ...tenant, SCIM_AUTH: 'basic', SCIM_BASIC_USERNAME: 'u' };
    expect(messageOf(() => load(env, { 'basic-password': 'p' }))).toMatch(/^SCIM_BASIC_PASSWORD: is a secret: set it in the environment or in \.env, not as --basic-password/);
    expect(messageOf(() => load({ ...tenant, SCIM_AUTH: 'oauth', SCIM_OAUTH_TOKEN_URL: 'http://login.example.com/token' }))).toMatch(
      /^SCIM_OAUTH_TOKEN_URL: is http:\/\/ to login\.example\.com; the client secret is only sent over https:\/\//,
    );
  });
});
