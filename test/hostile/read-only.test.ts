// Read-only mode, for production tenants: only GET requests leave the suite (preflight, checks,
// hooks and cleanup included), every check that writes is skipped as not applicable with the
// reason, and the read-only lookups (RO-..) find a user that exists already.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { ScimClient } from '../../src/client.ts';
import { STACK_FRAME, TOKEN, runCli, startProxy, tenantEnv, type CliResult, type Proxy } from './helpers.ts';

let reference: ReferenceServer;
let proxy: Proxy;

beforeAll(async () => {
  reference = await startReferenceServer({ token: TOKEN, port: 0 });
  const admin = new ScimClient({ baseUrl: reference.baseUrl, token: TOKEN, timeoutMs: 5000, retries: 0 });
  const res = await admin.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'Alice.Admin@Example.com', active: true });
  expect(res.status).toBe(201);
  await admin.close();
  proxy = await startProxy(reference.baseUrl);
});
afterAll(async () => {
  await proxy.close();
  await reference.close();
});

const env = (extra: Record<string, string> = {}) => tenantEnv(proxy.baseUrl, { SCIM_TIMEOUT_MS: '10000', ...extra });

/** Why each check was skipped, from summary.json; undefined while the reporters do not write it. */
function skipReasons(result: CliResult): Map<string, string> | undefined {
  const summary = join(result.reportDir, 'summary.json');
  if (!existsSync(summary)) return undefined;
  const checks = (JSON.parse(readFileSync(summary, 'utf8')) as { checks: Array<{ id: string; status: string; message?: string }> }).checks;
  return new Map(checks.filter((c) => c.status === 'skipped').map((c) => [c.id, c.message ?? '']));
}

describe('a read-only run', () => {
  test('sends only GET requests, skips every check that writes with the reason, and finds the named user', async () => {
    proxy.requests.length = 0;
    // Discovery, Test Connection and the lookups run; 02 has checks that write, 05 and 06 also hooks that would.
    const result = await runCli(['run', '--read-only', '--read-only-username', 'alice.admin@example.com', '--steps', '00,01,02,05,06,08'], env());
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect([...new Set(proxy.requests.map((r) => r.method))]).toEqual(['GET']);
    expect(result.stdout).toMatch(/^scim-conformance: run scimc-\S+ against 127\.0\.0\.1:\d+, profile entra, read-only mode$/m);
    expect(result.stdout).toMatch(/^08 Read-only lookup of an existing user\s+3\s+0\s+0\s+0$/m);
    // Nothing of step 02 ran: every one of its checks writes.
    expect(result.stdout).toMatch(/^02 Create user\s+0\s+0\s+0\s+\d+$/m);
    expect(result.stdout).toMatch(/^read-only mode: \d+ check\(s\) that write to the tenant did not run, so this run cannot certify the endpoint/m);
    expect(output).not.toMatch(STACK_FRAME);
    // Reports get the reason of each skip (as far as the reporters write them by now).
    const reasons = skipReasons(result);
    if (reasons) {
      expect([...reasons.keys()]).toEqual(expect.arrayContaining(['CREATE-01', 'DEACT-01', 'GROUP-01']));
      // Checks of another client profile (CONN-08 is Okta's) say so instead.
      const others = [...reasons.values()].filter((r) => r !== 'read-only mode: this check writes to the tenant');
      expect(others.every((r) => r.startsWith('not part of the entra profile')), JSON.stringify(others)).toBe(true);
    }
    // Nothing was created: the only user is the one that was there.
    expect(((await (await fetch(`${reference.baseUrl}/Users`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { totalResults: number }).totalResults).toBe(1);
  }, 30_000);

  test('a userName that does not exist fails RO-01 saying what to check; still nothing but GET', async () => {
    proxy.requests.length = 0;
    const result = await runCli(['run', 'specs/08', 'specs/05'], env({ SCIM_READ_ONLY: 'true', SCIM_READ_ONLY_USERNAME: 'nobody@example.com' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('expected the lookup to find exactly one user, got totalResults 0 with 0 Resources (does SCIM_READ_ONLY_USERNAME name an existing user?)');
    expect([...new Set(proxy.requests.map((r) => r.method))]).toEqual(['GET']);
  }, 30_000);

  test('without SCIM_READ_ONLY_USERNAME the lookups are not applicable, and say what to set', async () => {
    const result = await runCli(['run', '--read-only', 'specs/08'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^08 Read-only lookup of an existing user\s+0\s+0\s+0\s+3$/m);
    expect(skipReasons(result)?.get('RO-01') ?? 'set SCIM_READ_ONLY_USERNAME to the userName of an existing user').toBe(
      'set SCIM_READ_ONLY_USERNAME to the userName of an existing user to run the read-only lookups',
    );
  }, 30_000);
});

describe('outside read-only mode', () => {
  test('the read-only lookups are not applicable', async () => {
    const result = await runCli(['run', 'specs/08'], env({ SCIM_READ_ONLY_USERNAME: 'alice.admin@example.com' }));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^08 Read-only lookup of an existing user\s+0\s+0\s+0\s+3$/m);
    expect(skipReasons(result)?.get('RO-02')).toMatch(/^runs in read-only mode only \(SCIM_READ_ONLY=true\)/);
  }, 30_000);

  test('the cleanup command will not delete in read-only mode, except to list (--dry-run)', async () => {
    const refused = await runCli(['cleanup', '--all-runs'], env({ SCIM_READ_ONLY: 'true' }));
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe('scim-conformance: cleanup deletes, and read-only mode is on (SCIM_READ_ONLY); use --dry-run to list, or --no-read-only to delete');
    const listed = await runCli(['cleanup', '--all-runs', '--dry-run'], env({ SCIM_READ_ONLY: 'true' }));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('would delete 0 group(s) and 0 user(s)');
  }, 30_000);
});
