// Real runs of the suite (`scim-conformance run specs/01` as a child process) against endpoints
// that misbehave after the preflight: the run completes, the exit status is right, and the
// output names what came back, in one line per failure, without a bare stack trace.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import {
  BAD_GATEWAY_HTML,
  STACK_FRAME,
  TOKEN,
  filesUnder,
  hasOpenssl,
  runCli,
  selfSignedCert,
  startHostile,
  startProxy,
  tenantEnv,
  writeEmptyList,
  type CliResult,
  type Handler,
  type HostileServer,
} from './helpers.ts';

const servers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/**
 * A SCIM endpoint that answers the preflight, creates and deletes (so that the spec file's scenery
 * works), and answers every other request with `misbehave`.
 */
async function endpoint(misbehave: Handler): Promise<HostileServer> {
  const s = await startHostile((req, res, seen, index) => {
    if (index === 0) return writeEmptyList(res);
    if (req.method === 'POST') {
      const userName = (JSON.parse(seen.body || '{}') as { userName?: string }).userName;
      return res.writeHead(201, { 'content-type': 'application/scim+json', location: `/scim/v2/Users/u${index}` }).end(JSON.stringify({ id: `u${index}`, userName }));
    }
    if (req.method === 'DELETE') return res.writeHead(204).end();
    misbehave(req, res, seen, index);
  });
  servers.push(s);
  return s;
}

async function run(baseUrl: string, extra: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['run', 'specs/01'], tenantEnv(baseUrl, { SCIM_TIMEOUT_MS: '500', ...extra }));
}

/** Exit status, the cause named in the output, no stack frame, no token. */
function expectRun(result: CliResult, code: number, ...causes: string[]): void {
  const output = result.stdout + result.stderr;
  expect(result.code, output).toBe(code);
  for (const cause of causes) expect(output).toContain(cause);
  expect(output).not.toMatch(STACK_FRAME);
  expect(output).not.toContain(TOKEN);
  // The run completed: the closing table was printed.
  expect(result.stdout).toMatch(/\d+ passed, \d+ failed, \d+ skipped\s*$/);
}

describe('a run against an endpoint that misbehaves after the preflight', () => {
  test('HTML 502 pages from a gateway', async () => {
    const s = await endpoint((_q, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(BAD_GATEWAY_HTML));
    expectRun(await run(s.baseUrl), 1, 'CheckFailed: expected status 200, got 502; the body is an HTML page ("502 Bad Gateway"), not JSON');
  });

  test('invalid JSON', async () => {
    const s = await endpoint((_q, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"totalResults": 0, "Resources": [}'));
    expectRun(await run(s.baseUrl), 1, 'CheckFailed: expected a JSON body, but the body is not valid JSON (');
  });

  test('empty bodies where JSON is due', async () => {
    const s = await endpoint((_q, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end());
    expectRun(await run(s.baseUrl), 1, 'CheckFailed: expected a JSON body, but the body is empty');
  });

  test('requests that never answer', async () => {
    const s = await endpoint(() => {});
    expectRun(await run(s.baseUrl, { SCIM_TIMEOUT_MS: '200' }), 1, ': no answer within 200 ms (SCIM_TIMEOUT_MS)');
  });

  test('an endpoint that stops answering altogether: the spec file breaks off, and the run still fails', async () => {
    const s = await startHostile((_q, res, _s, index) => (index === 0 ? writeEmptyList(res) : undefined));
    servers.push(s);
    const result = await run(s.baseUrl, { SCIM_TIMEOUT_MS: '200' });
    expectRun(result, 1, 'TransportError: POST ', '/Users: no answer within 200 ms (SCIM_TIMEOUT_MS)');
    expect(result.stdout).toContain('spec files that broke off (their checks did not run):');
    expect(result.stdout).toMatch(/verdict: NOT READY: .*1 spec file\(s\) broke off/);
  });

  test('connections reset mid-body', async () => {
    const s = await endpoint((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json', 'content-length': '200' });
      res.write('{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    expectRun(await run(s.baseUrl), 1, 'answered 200, then the connection was closed after 66 bytes of the body');
  });

  test('endless 429 (with and without Retry-After)', async () => {
    // Without Retry-After the client backs off 0.5 s; one such answer in four keeps the test quick.
    let n = 0;
    const s = await endpoint((_q, res) => res.writeHead(429, n++ % 4 ? { 'retry-after': '0' } : {}).end());
    expectRun(await run(s.baseUrl, { SCIM_RETRIES: '1' }), 1, 'expected status 200, got 429 after 1 retries');
  });

  test('redirects after the preflight', async () => {
    const s = await endpoint((req, res) => res.writeHead(302, { location: `https://scim.example.invalid/v2${req.url?.replace('/scim/v2', '')}` }).end());
    const result = await run(s.baseUrl);
    expectRun(result, 1, 'got 302; the answer is a 302 redirect to https://scim.example.invalid/v2/Users?filter=', '; the suite does not follow redirects: use the final URL as Tenant URL (probably https://scim.example.invalid/v2)');
  });

  test('bodies of 40 MiB: each is cut at 5 MiB, the run stays quick, the reports stay small', async () => {
    const s = await endpoint((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      const chunk = Buffer.alloc(256 * 1024, ' ');
      let sent = 0;
      const pump = () => {
        while (sent < 40 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"Resources": [');
      pump();
    });
    // The test's time limit is the bound on "quick": no timed assertion on a shared machine.
    const result = await run(s.baseUrl, { SCIM_TIMEOUT_MS: '5000' });
    expectRun(result, 1, 'expected a JSON body, but the body is larger than 5242880 bytes and was not parsed');
    for (const file of [...filesUnder(result.reportDir), ...filesUnder(result.allureDir)]) expect(statSync(file).size, file).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});

describe('bursts on an endpoint that is otherwise right (the reference server behind a proxy)', () => {
  let reference: ReferenceServer;
  beforeAll(async () => {
    reference = await startReferenceServer({ token: TOKEN, port: 0 });
    servers.push(reference);
  });

  test('429 and 503 bursts with Retry-After are waited out: every check passes', async () => {
    // Every third request is first refused, alternately 429 and 503, each with Retry-After: 0.
    const refused = new Set<number>();
    const proxy = await startProxy(reference.baseUrl, {
      intercept: (_q: IncomingMessage, res: ServerResponse, _s, index) => {
        if (index % 3 !== 1 || refused.has(index - 1)) return false;
        refused.add(index);
        res.writeHead(index % 2 ? 429 : 503, { 'retry-after': '0' }).end();
        return true;
      },
    });
    servers.push(proxy);
    const result = await run(proxy.baseUrl, { SCIM_RETRIES: '2' });
    expectRun(result, 0, '8 passed, 0 failed, 1 skipped');
    expect(refused.size).toBeGreaterThan(2);
  });

  test('a burst of 5xx without Retry-After fails only the checks it hit, naming the answer', async () => {
    let burst = 0;
    let lookups = 0;
    const proxy = await startProxy(reference.baseUrl, {
      intercept: (req: IncomingMessage, res: ServerResponse, seen, index) => {
        // The third and fourth user lookups (after the preflight's and the first check's) hit a gateway outage.
        if (burst >= 2 || req.method !== 'GET' || !seen.url.includes('/Users?filter=') || ++lookups < 3) return false;
        burst++;
        res.writeHead(index % 2 ? 503 : 504, { 'content-type': 'text/html' }).end(`<html><head><title>${index % 2 ? 503 : 504} Service Unavailable</title></head></html>`);
        return true;
      },
    });
    servers.push(proxy);
    const result = await run(proxy.baseUrl);
    expectRun(result, 1, 'the body is an HTML page ("503 Service Unavailable"), not JSON', 'the body is an HTML page ("504 Service Unavailable"), not JSON');
    // 1 skipped: CONN-08, Okta's Test Connector.
    expect(result.stdout).toMatch(/^01 Test Connection\s+\d+\s+[12]\s+\d+\s+1$/m);
  });

  test.skipIf(!hasOpenssl())('a self-signed certificate trusted with NODE_EXTRA_CA_CERTS: the run passes', async () => {
    const tls = selfSignedCert();
    const proxy = await startProxy(reference.baseUrl, { tls });
    servers.push(proxy);
    expect(proxy.baseUrl).toMatch(/^https:/);
    const result = await runCli(['run', 'specs/01'], tenantEnv(proxy.baseUrl, { NODE_EXTRA_CA_CERTS: tls.certFile }));
    expectRun(result, 0, '8 passed, 0 failed, 1 skipped');
  });
});
