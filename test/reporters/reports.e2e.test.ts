// The reporters on a real run: the conformance suite (Test Connection and Group membership)
// runs through vitest's Node API against an in-process reference server whose faults make
// must-checks fail (auth-not-enforced: CONN-04/05) and should-checks warn (content-type-json:
// CONN-07), with groups off so that every group check is skipped. Every output is then read
// back: it exists, parses, carries the right statuses and never the token.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import vitestConfig from '../../vitest.config.ts';
import type { Har } from '../../reporters/har.ts';
import type { Summary } from '../../reporters/summary.ts';
import { filesContaining, filesUnder, summaryValidator, xmlProblems } from './helpers.ts';

// Distinctive, so that a leak cannot hide behind a common word.
const TOKEN = 'tok-LEAKCANARY-7f3a9c1e5b2d';
const RUN_ID = 'scimc-reporters-e2e';
// A group check is skipped because groups are off, or (GROUP-17, Okta's) because entra runs.
const GROUPS_OFF_OR_OTHER_PROFILE = /SCIM_GROUPS=false|not part of the entra profile/;

let server: ReferenceServer;
let dir: string;
let reportDir: string;
let allureDir: string;
let exitState: { failedTests: string[]; files: number };
const savedEnv: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
}

function read(name: string): string {
  return readFileSync(join(reportDir, name), 'utf8');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scim-reporters-'));
  reportDir = join(dir, 'reports');
  allureDir = join(dir, 'allure-results');
  server = await startReferenceServer({ token: TOKEN, faults: ['auth-not-enforced', 'content-type-json'] });
  setEnv({
    SCIM_TENANT_URL: server.baseUrl,
    SCIM_TOKEN: TOKEN,
    SCIM_GROUPS: 'false',
    SCIM_PROFILE: 'entra',
    SCIM_REPORT_DIR: reportDir,
    SCIM_RUN_ID: RUN_ID,
    ALLURE_RESULTS_DIR: allureDir,
  });
  // The reporters exactly as vitest.config.ts wires them, without the console reporter, whose
  // output of failing checks would only confuse a reader of this test's log.
  const reporters = (vitestConfig.test?.reporters as unknown[]).filter((r) => r !== 'default');
  const vitest = await startVitest('test', ['specs/01-test-connection', 'specs/06-group-membership'], {
    run: true,
    watch: false,
    project: ['conformance'],
    reporters: reporters as never,
  });
  const modules = vitest.state.getTestModules();
  const failedTests = modules.flatMap((m) => [...m.children.allTests('failed')].map((t) => t.name.split(' ')[0]!));
  exitState = { files: modules.length, failedTests };
  await vitest.close();
}, 120_000);

afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reports of a run with passing, failing, warned and skipped checks', () => {
  it('ran the two spec files, and the must-check failures failed the run', () => {
    expect(exitState.files).toBe(2);
    expect(exitState.failedTests.sort()).toEqual(['CONN-04', 'CONN-05']);
  });

  it('writes every report into SCIM_REPORT_DIR', () => {
    expect(readdirSync(reportDir).sort()).toEqual(['checklist.html', 'checklist.md', 'exchanges.har', 'junit.xml', 'summary.json']);
  });

  it('never writes the token, in any file of the reports or the Allure results', () => {
    const files = [...filesUnder(reportDir), ...filesUnder(allureDir)];
    expect(files.length).toBeGreaterThan(10);
    expect(filesContaining(files, TOKEN)).toEqual([]);
    // The placeholder is there instead, where the token travelled.
    expect(read('exchanges.har')).toContain('Bearer $SCIM_TOKEN');
  });

  describe('summary.json', () => {
    let summary: Summary;
    beforeAll(() => {
      summary = JSON.parse(read('summary.json')) as Summary;
    });

    it('matches its JSON Schema', () => {
      const validate = summaryValidator();
      expect(validate(summary), JSON.stringify(validate.errors, null, 2)).toBe(true);
    });

    it('names the run, the tenant host (host only), the profile and the times', () => {
      expect(summary.runId).toBe(RUN_ID);
      expect(summary.tenantHost).toBe(new URL(server.baseUrl).host);
      expect(summary.embedded).toBe(false);
      expect(summary.profile).toBe('entra');
      expect(Date.parse(summary.finishedAt)).toBeGreaterThanOrEqual(Date.parse(summary.startedAt));
    });

    it('carries each status and a verdict that names the failing must-checks', () => {
      const byId = new Map(summary.checks.map((c) => [c.id, c]));
      expect(byId.get('CONN-01')).toMatchObject({ status: 'passed', severity: 'must', step: 'test-connection' });
      expect(byId.get('CONN-04')).toMatchObject({ status: 'failed', category: 'non-conformance', severity: 'must' });
      expect(byId.get('CONN-04')?.message).toMatch(/^expected status 401, got 200\nrequirement: RFC 7644 §3\.12/);
      expect(byId.get('CONN-05')).toMatchObject({ status: 'failed' });
      expect(byId.get('CONN-07')).toMatchObject({ status: 'warned', severity: 'should', category: 'non-conformance' });
      const groupChecks = summary.checks.filter((c) => c.step === 'group-membership');
      expect(groupChecks.length).toBeGreaterThan(0);
      for (const check of groupChecks) expect(check).toMatchObject({ status: 'skipped', skip: 'not-applicable', message: expect.stringMatching(GROUPS_OFF_OR_OTHER_PROFILE) });
      expect(summary.verdict).toMatchObject({ ready: false, headline: 'Not ready: 2 must-checks fail', failingMustChecks: ['CONN-04', 'CONN-05'] });
      const counted = { passed: 0, failed: 0, warned: 0, skipped: 0 };
      for (const check of summary.checks) counted[check.status]++;
      expect(summary.totals).toEqual({ checks: summary.checks.length, ...counted });
    });
  });

  describe('junit.xml', () => {
    let xml: string;
    beforeAll(() => {
      xml = read('junit.xml');
    });
    const testcase = (id: string) => new RegExp(`<testcase name="${id} [^"]*"[\\s\\S]*?</testcase>`).exec(xml)?.[0] ?? '';

    it('is well-formed XML with one testsuite per step that ran', () => {
      expect(xmlProblems(xml)).toEqual([]);
      expect(xml.match(/<testsuite /g)).toHaveLength(2);
      expect(xml).toContain('<testsuite name="01 Test Connection"');
    });

    it('fails a failed must-check with the gist, the requirement and the exchange summary', () => {
      const conn04 = testcase('CONN-04');
      expect(conn04).toMatch(/<failure message="expected status 401, got 200" type="non-conformance">/);
      expect(conn04).toContain('requirement: RFC 7644 §3.12');
      expect(conn04).toMatch(/exchanges \(1, all in exchanges.har\):\n\s+GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\?filter=[^\n]+ → 200/);
    });

    it('passes a warned should-check, with the warning as a property and in system-out', () => {
      const conn07 = testcase('CONN-07');
      expect(conn07).not.toMatch(/<failure|<error|<skipped/);
      expect(conn07).toContain('<property name="warning" value="expected Content-Type application/scim+json, got application/json; charset=utf-8"/>');
      expect(conn07).toMatch(/<system-out>WARNING \(should-check failed; the run stays green\): expected Content-Type/);
    });

    it('skips a check that does not apply, with the reason', () => {
      expect(xml).toMatch(/<testcase name="GROUP-\d+[^"]*"[\s\S]*?<skipped message="not applicable: group provisioning is off \(SCIM_GROUPS=false\)"\/>/);
      expect(testcase('CONN-01')).not.toMatch(/<failure|<error|<skipped|<system-out/);
    });
  });

  describe('checklist.md and checklist.html', () => {
    it('Markdown: header, verdict with the failing must-checks, one table per step', () => {
      const md = read('checklist.md');
      expect(md).toContain('**Verdict: Not ready: 2 must-checks fail**');
      expect(md).toMatch(/^- CONN-04 GET \/Users without an Authorization header answers 401: expected status 401, got 200$/m);
      expect(md).toContain('## 01 Test Connection');
      expect(md).toContain('## 06 Group membership');
      expect(md).toMatch(/^\| CONN-04 \| .* \| must \| \*\*FAIL\*\*: expected status 401, got 200 \|$/m);
      expect(md).toMatch(/^\| CONN-07 \| .* \| should \| WARN: expected Content-Type application\/scim\+json, got application\/json; charset=utf-8 \|$/m);
      expect(md).toMatch(/^\| CONN-01 \| .*\\<random guid\\>.* \| must \| PASS \|$/m);
      expect(md).toMatch(/^\| GROUP-\d+ \| .* \| SKIP: group provisioning is off \(SCIM\\_GROUPS=false\) \|$/m);
    });

    it('HTML: self-contained, escaped, with the verdict and the results', () => {
      const html = read('checklist.html');
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
      expect(html).toContain('&#10007; Not ready: 2 must-checks fail');
      expect(html).toContain('&lt;random guid&gt;');
      expect(html).not.toContain('<random guid>');
      expect(html).toMatch(/<td class="id">CONN-07<\/td>[\s\S]*?<span class="badge warned">WARN<\/span>/);
      expect(html).toMatch(/@media print/);
    });
  });

  describe('exchanges.har', () => {
    let har: Har;
    beforeAll(() => {
      har = JSON.parse(read('exchanges.har')) as Har;
    });

    it('is an HTTP Archive 1.2 whose entries have the required fields', () => {
      expect(har.log.version).toBe('1.2');
      expect(har.log.creator.name).toBe('scim-conformance');
      expect(har.log.entries.length).toBeGreaterThan(5);
      for (const entry of har.log.entries) {
        expect(Number.isNaN(Date.parse(entry.startedDateTime))).toBe(false);
        expect(entry.time).toBeGreaterThanOrEqual(0);
        expect(entry.request).toMatchObject({ method: expect.any(String), url: expect.stringMatching(/^http/), httpVersion: 'HTTP/1.1', headers: expect.any(Array), queryString: expect.any(Array), cookies: [] });
        expect(entry.response).toMatchObject({ status: expect.any(Number), statusText: expect.any(String), headers: expect.any(Array), content: { size: expect.any(Number), mimeType: expect.any(String), text: expect.any(String) } });
        expect(entry.timings).toMatchObject({ send: expect.any(Number), wait: expect.any(Number), receive: expect.any(Number) });
        expect(entry.comment).toMatch(/^[A-Z]+-\d+ /);
        expect(entry.comment.startsWith(`${entry._checkId} `)).toBe(true);
      }
    });

    it('shows what went on the wire: CONN-04 without an Authorization header, answered 200', () => {
      const conn04 = har.log.entries.filter((e) => e._checkId === 'CONN-04');
      expect(conn04).toHaveLength(1);
      expect(conn04[0]!.request.headers.map((h) => h.name.toLowerCase())).not.toContain('authorization');
      expect(conn04[0]!.response.status).toBe(200);
      expect(conn04[0]!.request.queryString.find((q) => q.name === 'filter')?.value).toMatch(/^userName eq "[0-9a-f-]{36}"$/);
    });
  });

  describe('Allure results', () => {
    interface AllureResult {
      name: string;
      status: string;
      statusDetails: { message?: string };
      labels: { name: string; value: string }[];
      links: { url: string }[];
      steps: { name: string; attachments: { name: string; type: string }[] }[];
      description?: string;
    }
    let results: AllureResult[];
    const label = (r: AllureResult, name: string) => r.labels.filter((l) => l.name === name).map((l) => l.value);
    const byId = (id: string) => results.find((r) => label(r, 'story').includes(id))!;
    beforeAll(() => {
      results = readdirSync(allureDir)
        .filter((f) => f.endsWith('-result.json'))
        .map((f) => JSON.parse(readFileSync(join(allureDir, f), 'utf8')) as AllureResult);
    });

    it('has one result per conformance check and nothing from the self project', () => {
      const summary = JSON.parse(read('summary.json')) as Summary;
      expect(results).toHaveLength(summary.checks.length);
      expect(results.every((r) => /^[A-Z]+-\d+ /.test(r.name))).toBe(true);
    });

    it('labels each check: epic = step, story = id, severity, profile tag, RFC link, requirement', () => {
      const conn04 = byId('CONN-04');
      expect(label(conn04, 'epic')).toEqual(['01 Test Connection']);
      expect(label(conn04, 'severity')).toEqual(['critical']);
      expect(label(conn04, 'tag')).toContain('entra');
      expect(conn04.links.map((l) => l.url)).toContain('https://www.rfc-editor.org/rfc/rfc7644#section-3.12');
      expect(conn04.description).toContain('RFC 7644 §3.12');
      expect(label(byId('CONN-07'), 'severity')).toEqual(['normal']);
    });

    it('turns each exchange into a step with the request, the response and the curl line', () => {
      const [step] = byId('CONN-04').steps;
      expect(step?.name).toMatch(/^GET \/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22 → 200$/);
      expect(step?.attachments.map((a) => [a.name, a.type])).toEqual([
        ['request', 'application/json'],
        ['response', 'application/json'],
        ['curl', 'text/plain'],
      ]);
    });

    it('gives each outcome its status: failed, warned (passed with the warning), skipped', () => {
      const conn04 = byId('CONN-04');
      expect(conn04.status).toBe('failed');
      expect(conn04.statusDetails.message).toMatch(/^expected status 401, got 200/);
      expect(label(conn04, 'failure category')).toEqual(['Endpoint non-conformance']);
      const conn07 = byId('CONN-07');
      expect(conn07.status).toBe('passed');
      expect(label(conn07, 'result')).toEqual(['warned']);
      expect(label(conn07, 'tag')).toContain('warning');
      expect(conn07.name).toMatch(/\(⚠ warning\)$/);
      expect(conn07.description).toMatch(/^\*\*⚠ Warning: this should-check was not met\.\*\*/);
      expect(conn07.steps.at(-1)?.name).toMatch(/^⚠ Warning \(should\): expected Content-Type/);
      const skipped = results.filter((r) => label(r, 'epic').includes('06 Group membership'));
      expect(skipped.length).toBeGreaterThan(0);
      for (const r of skipped) expect(r).toMatchObject({ status: 'skipped', statusDetails: { message: expect.stringMatching(GROUPS_OFF_OR_OTHER_PROFILE) } });
    });

    it('records the environment: tenant host only, profile, versions, run id', () => {
      const env = readFileSync(join(allureDir, 'environment.properties'), 'utf8');
      expect(env).toContain(`Tenant\\ host=${new URL(server.baseUrl).host}\n`);
      expect(env).toContain('Profile=entra');
      expect(env).toContain(`Node.js=${process.version}`);
      expect(env).toContain(`Run\\ id=${RUN_ID}`);
      expect(env).toMatch(/Suite\\ version=scim-conformance \d+\.\d+\.\d+/);
      expect(existsSync(join(allureDir, 'categories.json'))).toBe(false);
    });
  });
});
