// The token never leaves the process: a failing and a passing run with a distinctive token,
// then every line of stdout/stderr and every file written under the report directory and
// allure-results/ (whatever the reporters write there, now or later) is searched for it, raw,
// percent-encoded and base64-encoded, inside base64 attachments too.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { journalDirOf } from '../../src/ledger.ts';
import { TOKEN, filesContaining, filesUnder, secretForms, startCli, startProxy, tenantEnv, type CliResult, type Proxy } from './helpers.ts';

let reference: ReferenceServer;
let echo: Proxy;
/** Requests the echo has counted: each test starts from 0, so which answers echo does not depend on test order. */
let n = 0;
beforeEach(() => {
  n = 0;
});

beforeAll(async () => {
  reference = await startReferenceServer({ token: TOKEN, port: 0, faults: ['auth-not-enforced'] });
  // An endpoint that hands the token back everywhere it can: in a header of every answer, in the
  // error detail of lookups, and in a redirect's Location.
  echo = await startProxy(reference.baseUrl, {
    intercept: (req: IncomingMessage, res: ServerResponse, seen) => {
      const auth = req.headers.authorization ?? '';
      // Only the run's own credential is worth echoing: CONN-04..06/09 send none or a wrong one on purpose.
      const readable = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : auth;
      if (auth === '' || readable.includes('wrong-')) return false;
      if (req.method === 'GET' && seen.url.includes('filter=') && n++ % 3 === 1) {
        res.writeHead(400, { 'content-type': 'application/scim+json', 'x-echo': auth }).end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: `token ${auth} not allowed here` }));
        return true;
      }
      if (req.method === 'GET' && n++ % 7 === 3) {
        res.writeHead(302, { location: `https://scim.example.invalid/next?t=${auth.replace('Bearer ', '')}`, 'x-echo': auth }).end();
        return true;
      }
      return false;
    },
  });
});
afterAll(async () => {
  await echo.close();
  await reference.close();
});

/** Every file the run wrote: reports, Allure results, and its cleanup journal if it is still there. */
function writtenFiles(result: CliResult): string[] {
  const runId = /scim-conformance: run (scimc-[a-z0-9-]+)/.exec(result.stdout)?.[1];
  const journal = runId ? journalDirOf(runId) : undefined;
  return [...filesUnder(result.reportDir), ...filesUnder(result.allureDir), ...(journal ? filesUnder(journal) : [])];
}

function expectNoToken(result: CliResult): void {
  const files = writtenFiles(result);
  // Not vacuous: the reporters wrote something (whatever they write by now).
  expect(files.length, `files under ${result.reportDir} and ${result.allureDir}`).toBeGreaterThan(0);
  const leaking = filesContaining(files, TOKEN);
  expect(leaking, `${leaking.length} of ${files.length} files written carry the token, e.g. ${leaking.slice(0, 3).join(', ')}`).toEqual([]);
  for (const form of secretForms(TOKEN)) {
    expect(result.stdout).not.toContain(form);
    expect(result.stderr).not.toContain(form);
  }
}

/** Command lines of this user's processes other than `except`, for the duration of a run (Linux /proc). */
function commandLines(except: number): string[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== except)) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      // gone, or not ours
    }
  }
  return lines;
}

describe('the token appears in no output and no file of a run', () => {
  test('a failing run against an endpoint that echoes the token back (in the Tenant URL too)', async () => {
    const cli = startCli(['run', 'specs/01', 'specs/02'], tenantEnv(`${echo.baseUrl}?k=${TOKEN}`, { SCIM_TIMEOUT_MS: '5000' }));
    const result = await cli.done;
    expect(result.code, result.stdout + result.stderr).toBe(1);
    // The token did go where it belongs, and came back: the test is not vacuous.
    expect(echo.requests.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expectNoToken(result);
    expect(result.stderr).toContain('detail: "token Bearer $SCIM_TOKEN not allowed here"');
    expect(result.stderr).toContain('redirect to https://scim.example.invalid/next?t=$SCIM_TOKEN');
  }, 30_000);

  test('HTTP Basic: neither the password nor the encoded credentials appear when the endpoint echoes them back', async () => {
    const password = 'pw-HOSTILE-BASIC-CANARY-91c4';
    const encoded = Buffer.from(`okta-admin:${password}`).toString('base64');
    const env = tenantEnv(echo.baseUrl, { SCIM_TIMEOUT_MS: '5000', SCIM_AUTH: 'basic', SCIM_BASIC_USERNAME: 'okta-admin', SCIM_BASIC_PASSWORD: password });
    const result = await startCli(['run', 'specs/01', 'specs/02'], env).done;
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(echo.requests.some((r) => r.authorization === `Basic ${encoded}`)).toBe(true);
    const files = writtenFiles(result);
    expect(files.length).toBeGreaterThan(0);
    for (const secret of [password, encoded]) {
      expect(filesContaining(files, secret)).toEqual([]);
      for (const form of secretForms(secret)) expect(result.stdout + result.stderr).not.toContain(form);
    }
    // Each secret shows as the variable it comes from.
    expect(result.stderr).toContain('detail: "token Basic $SCIM_BASIC_CREDENTIALS not allowed here"');
  }, 30_000);

  test('a passing run (discovery, Test Connection, create, groups): the token is not in any file, line, or process\'s command line', async () => {
    const clean = await startReferenceServer({ token: TOKEN, port: 0 });
    try {
      const env = tenantEnv(clean.baseUrl, { SCIM_TIMEOUT_MS: '10000' });
      const cli = startCli(['run', 'specs/00', 'specs/01', 'specs/02', 'specs/06'], env);
      const seen: string[] = [];
      const poll = setInterval(() => seen.push(...commandLines(cli.child.pid!).filter((l) => l.includes('scim-conformance') || l.includes('vitest'))), 300);
      const result = await cli.done;
      clearInterval(poll);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expectNoToken(result);
      expect(seen.filter((l) => l.includes(TOKEN))).toEqual([]);
    } finally {
      await clean.close();
    }
  }, 40_000);
});
