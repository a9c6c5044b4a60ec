// The preflight: before any check, the tenant is reached and the token tried once. Unreachable,
// TLS failure, a redirect, 401 and 403, and a Tenant URL where nothing answers as SCIM (the
// /scim/v2 part missing, a web site, another JSON API) end the run at once: one line, exit status
// 2, no check run. A SCIM endpoint that answers the filter wrongly runs the whole suite. An
// endpoint that publishes no /Schemas or /ResourceTypes gets one line of notice.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAULTS } from '../../reference/faults.ts';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { loadConfig } from '../../src/config.ts';
import { preflight } from '../../src/preflight.ts';
import { STACK_FRAME, TOKEN, emptyList, hasOpenssl, runCli, selfSignedCert, startHostile, startHostileTls, startProxy, tenantEnv, writeEmptyList, type HostileServer } from './helpers.ts';

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
    // A server error says nothing about the URL; that it publishes no discovery is noted.
    expect(await preflight(configFor((await server((_q, r) => r.writeHead(500).end())).baseUrl))).toEqual({
      ok: true,
      notes: ['the endpoint publishes no /Schemas (500) and no /ResourceTypes (500): attribute bodies are sent as the entra profile sends them, and nothing is judged not applicable from discovery'],
    });
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

const references: ReferenceServer[] = [];
async function reference(faults: string[] = []): Promise<ReferenceServer> {
  const r = await startReferenceServer({ token: TOKEN, port: 0, faults });
  references.push(r);
  return r;
}
afterAll(async () => {
  for (const r of references) await r.close();
});

const originOf = (url: string) => new URL(url).origin;
const HOME_PAGE = '<!DOCTYPE html>\n<html><head><title>Acme Corp | Home of the   finest anvils and rockets since 1949</title></head><body><h1>Welcome</h1></body></html>';
const htmlSite = (_q: IncomingMessage, r: ServerResponse) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOME_PAGE);
const scimError = (r: ServerResponse, status: number, detail: string) =>
  r.writeHead(status, { 'content-type': 'application/scim+json' }).end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail }));

describe('preflight (in process): a Tenant URL that does not answer as SCIM', () => {
  test('the reference server without /scim/v2: the likely fix is named', async () => {
    const r = await reference();
    const origin = originOf(r.baseUrl);
    const result = await preflight(configFor(origin));
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^the Tenant URL does not answer as SCIM: GET .*\/Users\?filter=.* answered 404 application\/scim\+json with a SCIM Error \(.*\), GET .*\/ServiceProviderConfig answered 404 .*; did you mean /) });
    expect(result.ok === false && result.message).toContain(`did you mean ${origin}/scim/v2? (GET ${origin}/scim/v2/ServiceProviderConfig answers as SCIM)`);
    // The same with a path that stops short of /scim/v2.
    const short = await preflight(configFor(`${origin}/scim`));
    expect(short.ok === false && short.message).toContain(`did you mean ${origin}/scim/v2?`);
    // Every request was a GET.
    expect(new Set(r.received.map((q) => q.method))).toEqual(new Set(['GET']));
  });

  test('a web site: status, content type and the first words of the page title', async () => {
    const s = await startHostile(htmlSite, '/portal');
    servers.push(s);
    const result = await preflight(configFor(s.baseUrl));
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^the Tenant URL does not answer as SCIM: GET .*\/portal\/Users\?filter=.* answered 200 text\/html, an HTML page titled "Acme Corp \| Home of the finest anvils\.\.\.", GET .*\/portal\/ServiceProviderConfig answered 200 text\/html/) });
    const message = result.ok ? '' : result.message;
    expect(message).toContain(`; no SCIM at ${s.baseUrl}/scim/v2 or ${originOf(s.baseUrl)}/scim/v2 either. Use the app's SCIM base URL as Tenant URL`);
    expect(message.split('\n')).toHaveLength(1);
    expect(new Set(s.requests.map((q) => q.method))).toEqual(new Set(['GET']));
  });

  test('a JSON API that is not SCIM, and 404 with empty bodies everywhere', async () => {
    const api = await server((_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[],"message":"ok"}'));
    expect(await preflight(configFor(api.baseUrl))).toEqual({ ok: false, message: expect.stringMatching(/^the Tenant URL does not answer as SCIM: GET .* answered 200 application\/json, JSON that is not SCIM, /) });
    const empty = await server((_q, r) => r.writeHead(404).end());
    expect(await preflight(configFor(empty.baseUrl))).toEqual({ ok: false, message: expect.stringMatching(/^the Tenant URL does not answer as SCIM: GET .* answered 404 with an empty body, GET .*\/ServiceProviderConfig answered 404 with an empty body/) });
  });

  test('a SCIM server that answers 404 to the Test Connection filter is not stopped: the checks report it', async () => {
    // empty-filter-404: the filter answers 404, /ServiceProviderConfig answers SCIM.
    expect(await preflight(configFor((await reference(['empty-filter-404'])).baseUrl))).toEqual({ ok: true });
    // Without /ServiceProviderConfig too: a list of users (Okta's Test Connector request) is SCIM enough.
    expect(await preflight(configFor((await reference(['empty-filter-404', 'spc-missing'])).baseUrl))).toEqual({ ok: true });
    // Nothing but SCIM Error bodies, and no /scim/v2 next to it: a SCIM server that errors, for the checks to judge.
    const errors = await server((_q, r) => scimError(r, 404, 'Resource not found'));
    expect(await preflight(configFor(errors.baseUrl))).toEqual({ ok: true, notes: [expect.stringMatching(/^the endpoint publishes no \/Schemas \(404\) and no \/ResourceTypes \(404\): /)] });
  });
});

describe('preflight (in process): every reference-server fault is a SCIM endpoint for the checks to judge', () => {
  test('no fault ends the run in the preflight', async () => {
    const stopped: string[] = [];
    for (const { name } of FAULTS) {
      const r = await startReferenceServer({ token: TOKEN, port: 0, faults: [name] });
      try {
        const result = await preflight(configFor(r.baseUrl, { SCIM_TIMEOUT_MS: '10000' }));
        if (!result.ok) stopped.push(`${name}: ${result.message}`);
      } finally {
        await r.close();
      }
    }
    expect(stopped).toEqual([]);
  });
});

describe('preflight (in process): discovery published or not', () => {
  test('one line when /Schemas is not published; none when both are', async () => {
    const s = await server((req, r) => (req.url?.includes('/Schemas') ? r.writeHead(404).end() : writeEmptyList(r)));
    expect(await preflight(configFor(s.baseUrl, { SCIM_PROFILE: 'okta' }))).toEqual({
      ok: true,
      notes: ['the endpoint publishes no /Schemas (404): attribute bodies are sent as the okta profile sends them, and nothing is judged not applicable from discovery'],
    });
    expect(s.requests.map((q) => `${q.method} ${q.url.split('?')[0]}`)).toEqual(['GET /scim/v2/Users', 'GET /scim/v2/Schemas', 'GET /scim/v2/ResourceTypes']);
    const html = await server((req, r) => (req.url?.includes('/ResourceTypes') ? r.writeHead(200, { 'content-type': 'text/html' }).end(HOME_PAGE) : writeEmptyList(r)));
    expect(await preflight(configFor(html.baseUrl))).toEqual({ ok: true, notes: [expect.stringMatching(/^the endpoint publishes no \/ResourceTypes \(200, not a ListResponse\): /)] });
    expect(await preflight(configFor((await reference()).baseUrl))).toEqual({ ok: true });
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

describe('a Tenant URL that does not answer as SCIM, through the CLI', () => {
  test('the reference server without /scim/v2: exit 2, one line naming the URL with /scim/v2', async () => {
    const r = await reference();
    const origin = originOf(r.baseUrl);
    const result = await runCli(['run', 'specs/01'], tenantEnv(origin));
    expectEndedInPreflight(result, new RegExp(`^scim-conformance: the Tenant URL does not answer as SCIM: .*; did you mean ${origin.replace(/[.]/g, '\\.')}/scim/v2\\? `));
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  test('a web site on every path: exit 2, one line with what came back', async () => {
    const s = await server(htmlSite);
    const result = await runCli(['run', 'specs/01'], tenantEnv(s.baseUrl));
    expectEndedInPreflight(result, /the Tenant URL does not answer as SCIM: GET .* answered 200 text\/html, an HTML page titled "Acme Corp \| Home of the finest anvils\.\.\.", GET .*\/ServiceProviderConfig answered 200 text\/html, an HTML page titled "Acme Corp \| Home of the finest anvils\.\.\."\. Use the app's SCIM base URL as Tenant URL/);
    expect(new Set(s.requests.map((q) => q.method))).toEqual(new Set(['GET']));
  });

  test('the reference server with empty-filter-404: the preflight lets the run go on, and CONN-01 reports the 404', async () => {
    const r = await reference(['empty-filter-404']);
    const result = await runCli(['run', 'specs/01'], tenantEnv(r.baseUrl, { SCIM_TIMEOUT_MS: '10000' }));
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(1);
    expect(output).not.toContain('does not answer as SCIM');
    expect(output).not.toContain('publishes no');
    expect(result.stdout).toMatch(/verdict: NOT READY: .*CONN-01/);
    expect(output).not.toContain(TOKEN);
  });

  test('an endpoint without /Schemas: one line of notice, and the run goes on', async () => {
    const r = await reference();
    const proxy = await startProxy(r.baseUrl, {
      intercept: (req, res) => (/\/Schemas(\?|$)/.test(req.url ?? '') ? (res.writeHead(404, { 'content-type': 'text/html' }).end('<html><title>Not Found</title></html>'), true) : false),
    });
    servers.push(proxy as unknown as HostileServer);
    const result = await runCli(['run', 'specs/01'], tenantEnv(proxy.baseUrl, { SCIM_TIMEOUT_MS: '10000' }));
    const notices = result.stdout.split('\n').filter((line) => line.includes('publishes no'));
    expect(notices).toEqual([
      'scim-conformance: the endpoint publishes no /Schemas (404): attribute bodies are sent as the entra profile sends them, and nothing is judged not applicable from discovery',
    ]);
    // The run went on to the checks and the closing table.
    expect(result.stdout).toMatch(/\d+ passed, \d+ failed, \d+ skipped\s*$/);
  });

  test("Entra's ?aadOptscim062020 on the Tenant URL: profile entra-2020, said once, and no request carries the flag", async () => {
    const r = await reference();
    const result = await runCli(['run', 'specs/01'], tenantEnv(`${r.baseUrl}/?aadOptscim062020`, { SCIM_TIMEOUT_MS: '10000' }));
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    expect(result.stdout).toMatch(/^scim-conformance: run scimc-\S+ against 127\.0\.0\.1:\d+, profile entra-2020$/m);
    expect(result.stdout.split('\n').filter((line) => line.includes('aadOptscim062020'))).toEqual([
      "scim-conformance: the Tenant URL carries Entra's flag ?aadOptscim062020: profile entra-2020, as Entra behaves with that flag; the flag is not sent with the requests, as Entra does not send it",
    ]);
    expect(r.received.length).toBeGreaterThan(3);
    expect(r.received.filter((q) => q.url.toLowerCase().includes('aadoptscim'))).toEqual([]);
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
