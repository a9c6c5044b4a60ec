import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { joinUrl } from '../../src/client.ts';
import { ConfigError, configNotes, loadConfig, loadSetting } from '../../src/config.ts';
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

  test("Entra's ?aadOptscim062020 on the Tenant URL selects entra-2020 and is not sent with the requests", () => {
    const config = load({ SCIM_TENANT_URL: 'https://h.example/scim/v2/?aadOptscim062020', SCIM_TOKEN: 'secret-token-1' });
    expect(config.tenantUrl).toBe('https://h.example/scim/v2/');
    expect(config.profile).toBe('entra-2020');
    expect(configNotes(config)).toEqual([
      "the Tenant URL carries Entra's flag ?aadOptscim062020: profile entra-2020, as Entra behaves with that flag; the flag is not sent with the requests, as Entra does not send it",
    ]);
    // The requests go to the path without the flag, as Entra sends them.
    expect(joinUrl(config.tenantUrl!, '/Users?filter=userName+eq+%22a%22').href).toBe('https://h.example/scim/v2/Users?filter=userName+eq+%22a%22');
    // Without a trailing slash, in any case, and among other query parameters (those are kept).
    expect(load({ SCIM_TENANT_URL: 'https://h.example/scim/v2?AADOPTSCIM062020', SCIM_TOKEN: 'secret-token-1' })).toMatchObject({ tenantUrl: 'https://h.example/scim/v2', profile: 'entra-2020' });
    const mixed = load({ SCIM_TENANT_URL: 'https://h.example/scim/v2?tenant=acme&aadOptscim062020&x=1', SCIM_TOKEN: 'secret-token-1' });
    expect(mixed).toMatchObject({ tenantUrl: 'https://h.example/scim/v2?tenant=acme&x=1', profile: 'entra-2020' });
    expect(joinUrl(mixed.tenantUrl!, '/Users').href).toBe('https://h.example/scim/v2/Users?tenant=acme&x=1');
  });

  test('a profile given explicitly wins over the Tenant URL flag, and the run says so', () => {
    const url = 'https://h.example/scim/v2/?aadOptscim062020';
    for (const config of [load({ SCIM_TENANT_URL: url, SCIM_TOKEN: 'secret-token-1', SCIM_PROFILE: 'okta' }), load({ SCIM_TENANT_URL: url, SCIM_TOKEN: 'secret-token-1' }, { profile: 'okta' })]) {
      expect(config).toMatchObject({ tenantUrl: 'https://h.example/scim/v2/', profile: 'okta' });
      expect(configNotes(config)).toEqual([
        "the Tenant URL carries Entra's flag ?aadOptscim062020, but the profile is okta as SCIM_PROFILE (--profile) says; the flag is not sent with the requests, as Entra does not send it",
      ]);
    }
    // Saying entra-2020 explicitly is no contradiction.
    expect(load({ SCIM_TENANT_URL: url, SCIM_TOKEN: 'secret-token-1', SCIM_PROFILE: 'entra-2020' }).profile).toBe('entra-2020');
    // An empty SCIM_PROFILE is no choice: the flag decides.
    expect(load({ SCIM_TENANT_URL: url, SCIM_TOKEN: 'secret-token-1', SCIM_PROFILE: ' ' }).profile).toBe('entra-2020');
  });

  test("Entra's roll-back flag ?AzureAdScimPatch2017 is stripped too and keeps the default entra profile; other queries stay as typed", () => {
    const config = load({ SCIM_TENANT_URL: 'https://h.example/scim/?AzureAdScimPatch2017', SCIM_TOKEN: 'secret-token-1' });
    expect(config).toMatchObject({ tenantUrl: 'https://h.example/scim/', profile: 'entra' });
    expect(configNotes(config)).toHaveLength(1);
    const plain = load({ SCIM_TENANT_URL: 'https://h.example/scim/v2?tenant=acme', SCIM_TOKEN: 'secret-token-1' });
    expect(plain).toMatchObject({ tenantUrl: 'https://h.example/scim/v2?tenant=acme', profile: 'entra' });
    expect(configNotes(plain)).toEqual([]);
    expect(configNotes(load({}))).toEqual([]);
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

describe('test-data shape (SCIM_USERNAME_TEMPLATE, SCIM_EMAIL_DOMAIN)', () => {
  test('defaults give the users of before; the environment, .env and flags shape them', () => {
    expect(load({})).toMatchObject({ userNameTemplate: '{name}.Test_User@TestUser.example.com', emailDomain: 'work.example.com' });
    expect(load({ SCIM_USERNAME_TEMPLATE: ' {name}@contoso.com ', SCIM_EMAIL_DOMAIN: 'Mail.Contoso.com' })).toMatchObject({ userNameTemplate: '{name}@contoso.com', emailDomain: 'Mail.Contoso.com' });
    expect(load({ SCIM_USERNAME_TEMPLATE: '{name}@a.example' }, { 'username-template': '{name}', 'email-domain': 'b.example' })).toMatchObject({ userNameTemplate: '{name}', emailDomain: 'b.example' });
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'SCIM_USERNAME_TEMPLATE={name}.{name}@contoso.com\nSCIM_EMAIL_DOMAIN=contoso.com\n');
    expect(load({}, {}, file)).toMatchObject({ userNameTemplate: '{name}.{name}@contoso.com', emailDomain: 'contoso.com' });
  });

  test('a template must start with {name}, know no other placeholder and need no escaping in a filter', () => {
    expect(messageOf(() => load({ SCIM_USERNAME_TEMPLATE: 'test.{name}@contoso.com' }))).toBe(
      'SCIM_USERNAME_TEMPLATE: "test.{name}@contoso.com" does not start with {name}; the run-unique name comes first so that cleanup can find the users the run created, e.g. {name}@contoso.com',
    );
    expect(messageOf(() => load({ SCIM_USERNAME_TEMPLATE: 'alice@contoso.com' }))).toMatch(/^SCIM_USERNAME_TEMPLATE: "alice@contoso.com" does not start with \{name\}/);
    expect(messageOf(() => load({ SCIM_USERNAME_TEMPLATE: '{name}-{run}@contoso.com' }))).toBe(
      'SCIM_USERNAME_TEMPLATE: "{name}-{run}@contoso.com" has the placeholder "{run}"; only {name} (the run-unique name) is replaced',
    );
    expect(messageOf(() => load({ SCIM_USERNAME_TEMPLATE: '{name} x' }))).toMatch(/^SCIM_USERNAME_TEMPLATE: .* contains white space or a control character/);
    expect(messageOf(() => load({ SCIM_USERNAME_TEMPLATE: '{name}"@contoso.com' }))).toMatch(/^SCIM_USERNAME_TEMPLATE: .* contains a double quote or a backslash/);
  });

  test('an email domain is a domain name, without "@"', () => {
    expect(messageOf(() => load({ SCIM_EMAIL_DOMAIN: '@contoso.com' }))).toBe('SCIM_EMAIL_DOMAIN: "@contoso.com" starts with "@"; give the domain alone, e.g. contoso.com');
    for (const bad of ['contoso', 'contoso..com', 'con toso.com', '-contoso.com', 'contoso.com/x']) {
      expect(messageOf(() => load({ SCIM_EMAIL_DOMAIN: bad })), bad).toMatch(/^SCIM_EMAIL_DOMAIN: ".*" is not a domain name; write it as e\.g\. contoso\.com/);
    }
  });
});
