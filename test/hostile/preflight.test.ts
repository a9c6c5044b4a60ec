// The preflight: before any check, the tenant is reached and the token tried once. Unreachable,
// TLS failure, a redirect, 401 and 403 end the run at once: one line, exit status 2, no check run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { preflight } from '../../src/preflight.ts';
import { STACK_FRAME, TOKEN, emptyList, hasOpenssl, runCli, selfSignedCert, startHostile, startHostileTls, tenantEnv, type HostileServer } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function configFor(baseUrl: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'scimc-pre-'));
  dirs.push(dir);
  const envFile = join(dir, '.env');
  writeFileSync(envFile, '');
  return loadConfig({ env: { SCIM_TENANT_URL: baseUrl, SCIM_TOKEN: TOKEN, SCIM_TIMEOUT_MS: '500', SCIM_RETRIES: '0', ...extra }, envFile });
}

const servers: HostileServer[] = [];
async function server(handler: Parameters<typeof startHostile>[0]): Promise<HostileServer> {
  const s = await startHostile(handler);
  servers.push(s);
  return s;
}
afterAll(async () => {
  for (const s of servers) await s.close();
});

let closedUrl: string;
let closedPort: number;
beforeAll(async () => {
  const closed = await startHostile(() => {});
  await closed.close();
  closedUrl = closed.baseUrl;
  closedPort = closed.port;
});

describe('preflight (in process)', () => {
  test('a tenant that answers, even with an error, is for the checks to judge', async () => {
    expect(await preflight(configFor((await server(emptyList)).baseUrl))).toEqual({ ok: true });
    expect(await preflight(configFor((await server((_q, r) => r.writeHead(500).end())).baseUrl))).toEqual({ ok: true });
  });

  test('401 and 403 end the run with what to check', async () => {
    for (const status of [401, 403]) {
      const s = await server((_q, r) => r.writeHead(status).end());
      const result = await preflight(configFor(s.baseUrl));
      expect(result).toEqual({
        ok: false,
        message: expect.stringMatching(new RegExp(`^the tenant rejected the token: GET ${s.baseUrl}/Users\\?filter=userName\\+eq\\+%22[0-9a-f-]{36}%22 answered ${status}\\. Check SCIM_TOKEN`)),
      });
    }
  });

  test('a redirect ends the run: the Tenant URL is not the final URL', async () => {
    const s = await server((_q, r) => r.writeHead(301, { location: 'https://scim.example.invalid/scim/v2/Users?filter=x' }).end());
    const result = await preflight(configFor(s.baseUrl));
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(/^the Tenant URL redirects: GET .*: the answer is a 301 redirect to https:\/\/scim\.example\.invalid\/scim\/v2\/Users\?filter=x; the suite does not follow redirects: use the final URL as Tenant URL \(probably https:\/\/scim\.example\.invalid\/scim\/v2\)$/),
    });
  });

  test('refused, timed out and unknown hosts end the run naming the cause', async () => {
    expect(await preflight(configFor(closedUrl))).toEqual({ ok: false, message: expect.stringContaining(`cannot reach the tenant: GET ${closedUrl}/Users?filter=`) });
    expect(await preflight(configFor((await server(() => {})).baseUrl))).toEqual({ ok: false, message: expect.stringMatching(/: no answer within 500 ms \(SCIM_TIMEOUT_MS\)$/) });
    expect(await preflight(configFor('https://scim-conformance-test.invalid/scim/v2', { SCIM_TIMEOUT_MS: '3000' }))).toEqual({
      ok: false,
      message: expect.stringMatching(/^cannot reach the tenant: .*: DNS lookup of scim-conformance-test\.invalid failed/),
    });
  });
});

/** A run that ended in the preflight: exit 2, one line on stderr, no stack trace, no token. */
function expectEndedInPreflight(result: Awaited<ReturnType<typeof runCli>>, cause: RegExp): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^scim-conformance: /);
  expect(lines[0]).toMatch(cause);
  expect(result.stdout + result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stdout + result.stderr).not.toContain(TOKEN);
  // No check ran: vitest never started.
  expect(result.stdout).not.toContain('RUN');
}

describe('preflight through the CLI: exit status 2 and one line', () => {
  test('connection refused', async () => {
    const result = await runCli(['run', 'specs/01'], tenantEnv(closedUrl));
    expectEndedInPreflight(result, new RegExp(`cannot reach the tenant: GET .*: connection refused by 127\\.0\\.0\\.1:${closedPort}: is the server running`));
  });

  test('DNS failure', async () => {
    const result = await runCli(['run', 'specs/01'], tenantEnv('https://scim-conformance-test.invalid/scim/v2', { SCIM_TIMEOUT_MS: '3000' }));
    expectEndedInPreflight(result, /cannot reach the tenant: GET https:\/\/scim-conformance-test\.invalid\/scim\/v2\/Users\?filter=.*: DNS lookup of scim-conformance-test\.invalid failed/);
  });

  test('401: the token is refused', async () => {
    const s = await server((_q, r) => r.writeHead(401, { 'content-type': 'application/scim+json' }).end('{"status":"401"}'));
    const result = await runCli(['run', 'specs/01'], tenantEnv(s.baseUrl));
    expectEndedInPreflight(result, /the tenant rejected the token: GET .* answered 401\. Check SCIM_TOKEN/);
    expect(s.requests).toHaveLength(1);
  });

  test('403: the token is refused', async () => {
    const s = await server((_q, r) => r.writeHead(403).end());
    const result = await runCli(['run'], tenantEnv(s.baseUrl));
    expectEndedInPreflight(result, /the tenant rejected the token: GET .* answered 403\./);
    expect(s.requests).toHaveLength(1);
  });

  test('a redirect', async () => {
    const s = await server((_q, r) => r.writeHead(302, { location: 'https://scim.example.invalid/v2/Users' }).end());
    const result = await runCli(['run', 'specs/01'], tenantEnv(s.baseUrl));
    expectEndedInPreflight(result, /the Tenant URL redirects: .*302 redirect to https:\/\/scim\.example\.invalid\/v2\/Users; the suite does not follow redirects: use the final URL as Tenant URL \(probably https:\/\/scim\.example\.invalid\/v2\)$/);
  });

  test.skipIf(!hasOpenssl())('a self-signed certificate, with how to trust it', async () => {
    const tls = selfSignedCert();
    const s = await startHostileTls(emptyList, tls);
    servers.push(s);
    const result = await runCli(['run', 'specs/01'], tenantEnv(s.baseUrl));
    expectEndedInPreflight(result, /cannot reach the tenant: GET https:.*: TLS: the certificate of 127\.0\.0\.1:\d+ is self-signed, so it is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\); .*NODE_EXTRA_CA_CERTS=/);
    expect(s.requests).toHaveLength(0);
  });
});

describe('plain http:// to a host that is not loopback', () => {
  test('is refused before any request unless --allow-insecure-http is given', async () => {
    const env = tenantEnv('http://scim.example.invalid/scim/v2', { SCIM_TIMEOUT_MS: '3000' });
    const refused = await runCli(['run', 'specs/01'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'scim-conformance: SCIM_TENANT_URL: is plain http:// to scim.example.invalid, so the token would travel unencrypted; use https://, or set SCIM_ALLOW_INSECURE_HTTP=true (--allow-insecure-http) on a network you trust',
    );
    // With the flag the suite goes on to the preflight, which fails on the name (.invalid never resolves).
    const allowed = await runCli(['run', '--allow-insecure-http', 'specs/01'], env);
    expect(allowed.code).toBe(2);
    expect(allowed.stderr).toMatch(/cannot reach the tenant: GET http:\/\/scim\.example\.invalid\/scim\/v2\/Users.*DNS lookup of scim\.example\.invalid failed/);
  });
});
