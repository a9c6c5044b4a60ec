// The run model and the renderers on fabricated task data: the verdict rules (blocked
// must-checks, partial runs, suite errors), escaping of hostile text in every format, an
// exchange that got no answer, and the triage of a refused token. The real-run test
// (reports.e2e.test.ts) covers the wiring; this one covers the corners a clean run never hits.
import { describe, expect, it } from 'vitest';
import type { CheckRecord } from '../../src/check-meta.ts';
import type { Exchange } from '../../src/exchange.ts';
import { STEPS } from '../../src/steps.ts';
import { renderChecklistHtml } from '../../reporters/checklist-html.ts';
import { mdCell, renderChecklistMarkdown } from '../../reporters/checklist-md.ts';
import { toHar } from '../../reporters/har.ts';
import { renderJUnit } from '../../reporters/junit.ts';
import { buildRunModel, type CollectedTest, type RunFacts } from '../../reporters/run-model.ts';
import { toSummary } from '../../reporters/summary.ts';
import { triage } from '../../reporters/triage.ts';
import { summaryValidator, xmlProblems } from './helpers.ts';

const EVIL = `<script>alert("x")</script> & | pipes | *bold* _it_ 'quote' \u0001bell`;

function record(id: string, severity: CheckRecord['severity'] = 'must', title = `title of ${id}`): CheckRecord {
  const prefix = id.split('-')[0];
  const step = STEPS.find((s) => s.checkPrefix === prefix)!;
  return { id, title, requirement: 'RFC 7644 §3.12: "401 Unauthorized"', severity, step: step.name, stepTitle: step.title, link: 'https://www.rfc-editor.org/rfc/rfc7644#section-3.12' };
}

function exchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    seq: 1,
    startedAt: '2026-11-28T10:00:00.000Z',
    durationMs: 12,
    attempt: 1,
    request: { method: 'GET', url: 'https://scim.example.com/scim/v2/Users?filter=userName%20eq%20%22a%22', headers: { authorization: 'Bearer $SCIM_TOKEN', accept: 'application/scim+json' } },
    response: { status: 200, headers: { 'content-type': 'application/scim+json' }, body: '{"totalResults":0}' },
    ...overrides,
  };
}

const file = 'specs/01-test-connection.spec.ts';

function passed(id: string, severity: CheckRecord['severity'] = 'must'): CollectedTest {
  return { file, name: `${id} t`, check: record(id, severity), outcome: { status: 'passed' }, state: 'pass', durationMs: 5, startTime: Date.parse('2026-11-28T10:00:00Z'), exchanges: [exchange()] };
}

const facts = (overrides: Partial<RunFacts> = {}): RunFacts => ({
  baseUrl: 'https://scim.example.com/tenant-secret-path/scim/v2?aadOptscim062020',
  profile: 'entra',
  runId: 'scimc-test',
  embedded: false,
  readOnly: false,
  startedAt: new Date('2026-11-28T10:00:00Z'),
  finishedAt: new Date('2026-11-28T10:00:09Z'),
  suiteVersion: '9.9.9',
  ...overrides,
});

/** One passing must-check in every step, so that a run counts as complete. */
const everyStep = (): CollectedTest[] => STEPS.map((s) => passed(`${s.checkPrefix}-01`));

describe('mapping advice', () => {
  it('lists each piece of advice once with the checks it made not applicable, in summary.json and both checklists; the verdict stays ready', () => {
    const advice = 'if the Entra attribute mapping writes nickName, remove that mapping: the server does not define it, so it ignores the value or refuses the update';
    const notDefined = (id: string): CollectedTest => ({
      ...passed(id),
      state: 'skip',
      outcome: { status: 'skipped', skip: 'not-applicable', message: `the server does not define nickName; ${advice}`, advice },
    });
    const model = buildRunModel([...everyStep(), notDefined('PATCH-07'), notDefined('PATCH-18')], facts());
    expect(model.verdict.ready).toBe(true);
    expect(model.mappingAdvice).toEqual([{ advice, checks: ['PATCH-07', 'PATCH-18'] }]);
    const summary = toSummary(model);
    const validate = summaryValidator();
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.mappingAdvice).toEqual([{ advice, checks: ['PATCH-07', 'PATCH-18'] }]);
    expect(summary.checks.find((c) => c.id === 'PATCH-07')).toMatchObject({ status: 'skipped', skip: 'not-applicable', advice });
    expect(renderChecklistMarkdown(model)).toContain('**Mapping advice.**');
    expect(renderChecklistMarkdown(model)).toContain('(not applicable: PATCH-07, PATCH-18)');
    expect(renderChecklistHtml(model)).toContain('<div class="advice"><b>Mapping advice</b>');
    expect(renderChecklistMarkdown(buildRunModel(everyStep(), facts()))).not.toContain('Mapping advice');
  });
});

describe('verdict', () => {
  it('is ready when every step ran and every must-check passed, warnings allowed', () => {
    const warned: CollectedTest = { ...passed('CONN-09', 'should'), outcome: { status: 'warned', message: 'expected x\nrest', category: 'non-conformance' } };
    const model = buildRunModel([...everyStep(), warned], facts());
    expect(model.verdict).toMatchObject({ ready: true, headline: 'Ready for Entra provisioning', failingMustChecks: [] });
    expect(model.tenantHost).toBe('scim.example.com');
    expect(buildRunModel(everyStep(), facts({ profile: 'okta' })).verdict.headline).toBe('Ready for Okta provisioning');
  });

  it('is never ready after a read-only run, which proved no provisioning step, and every report says what the run was', () => {
    const model = buildRunModel(everyStep(), facts({ readOnly: true }));
    expect(model.verdict.ready).toBe(false);
    expect(model.verdict.headline).toMatch(/^Read-only run: every must-check that ran passes/);
    expect(toSummary(model)).toMatchObject({ readOnly: true, verdict: { ready: false } });
    expect(renderChecklistMarkdown(model)).toContain('| Mode | Read-only (GET requests only');
    expect(renderChecklistHtml(model)).toContain('Read-only (GET requests only');
    expect(renderChecklistMarkdown(buildRunModel(everyStep(), facts()))).toContain('| Mode | Full (test users and groups created');
  });

  it('names how the run authenticated and the attribute mapping it used, in the summary and the checklist', () => {
    expect(toSummary(buildRunModel(everyStep(), facts()))).toMatchObject({ auth: 'bearer', mappingFile: null });
    const model = buildRunModel(everyStep(), facts({ auth: 'oauth', mappingFile: 'mapping.acme.json' }));
    expect(toSummary(model)).toMatchObject({ auth: 'oauth', mappingFile: 'mapping.acme.json' });
    expect(renderChecklistMarkdown(model)).toContain('| Authentication and mapping | OAuth 2.0 client credentials; attribute mapping: mapping.acme.json |');
    expect(renderChecklistHtml(model)).toContain('OAuth 2.0 client credentials; attribute mapping: mapping.acme.json');
  });

  it('counts a blocked must-check as failing, but not a not-applicable one', () => {
    const blocked: CollectedTest = { ...passed('CONN-08'), state: 'skip', outcome: { status: 'skipped', message: 'the user CREATE-01 makes was not created', skip: 'blocked' } };
    const notApplicable: CollectedTest = { ...passed('CONN-09'), state: 'skip', outcome: { status: 'skipped', message: 'okta only', skip: 'not-applicable' } };
    const model = buildRunModel([...everyStep(), blocked, notApplicable], facts());
    expect(model.verdict.headline).toBe('Not ready: 1 must-check fails');
    expect(model.verdict.failingMustChecks.map((c) => c.id)).toEqual(['CONN-08']);
    expect(renderChecklistMarkdown(model)).toContain('- CONN-08 title of CONN-08: could not run: the user CREATE-01 makes was not created');
  });

  it('does not certify a partial run, and says which steps did not run', () => {
    const model = buildRunModel([passed('CONN-01')], facts());
    expect(model.verdict.ready).toBe(false);
    expect(model.verdict.headline).toMatch(/^Incomplete run: every must-check that ran passes, but steps 00 Discovery, 02 Create user, .* did not run$/);
  });

  it('is not ready when a hook failed, and the checks it kept from running are blocked', () => {
    const hookVictim: CollectedTest = { file, name: 'CONN-02 t', check: record('CONN-02'), state: 'skip', mode: 'skip' };
    const model = buildRunModel([...everyStep(), hookVictim], facts({ errors: [{ file, message: 'beforeAll: could not create the bystander user\nstack' }] }));
    expect(model.verdict.headline).toBe('Not ready: 1 must-check fails');
    expect(model.checks.find((c) => c.id === 'CONN-02')).toMatchObject({ status: 'skipped', skip: 'blocked', message: 'did not run: beforeAll: could not create the bystander user' });
    expect(buildRunModel(everyStep(), facts({ errors: [{ message: 'unhandled error: boom' }] })).verdict.headline).toBe('Not ready: the suite could not run cleanly (1 error)');
  });

  it('keeps a failed test without an outcome (timeout) as a failed must-check filed under suite error', () => {
    const timedOut: CollectedTest = { file, name: 'CONN-03 t', check: record('CONN-03'), state: 'fail', errors: [{ message: 'Test timed out in 120000ms.' }] };
    const check = buildRunModel([timedOut], facts()).checks[0]!;
    expect(check).toMatchObject({ status: 'failed', category: 'suite-error', message: 'Test timed out in 120000ms.' });
  });

  it('lists checks in tutorial order whatever order the files finished in', () => {
    const model = buildRunModel([passed('GROUP-01'), passed('DISC-01'), passed('CONN-02'), passed('CONN-01')], facts());
    expect(model.checks.map((c) => c.id)).toEqual(['DISC-01', 'CONN-02', 'CONN-01', 'GROUP-01']);
  });
});

describe('triage', () => {
  it('files a 401 to a request that carried our token as unreachable or unauthorised', () => {
    const refused = exchange({ response: { status: 401, headers: {}, body: '' } });
    expect(triage({ status: 'failed', category: 'non-conformance' }, [refused])).toBe('unreachable');
  });

  it('does the same for Basic credentials and an OAuth access token', () => {
    for (const authorization of ['Basic $SCIM_BASIC_CREDENTIALS', 'Bearer $SCIM_OAUTH_ACCESS_TOKEN']) {
      const refused = exchange({ request: { method: 'GET', url: 'https://x/Users', headers: { authorization } }, response: { status: 401, headers: {}, body: '' } });
      expect(triage({ status: 'failed', category: 'non-conformance' }, [refused])).toBe('unreachable');
    }
  });

  it('leaves a deliberate wrong-token check (CONN-05) as non-conformance', () => {
    const wrong = exchange({ request: { method: 'GET', url: 'https://x/Users', headers: { authorization: 'Bearer wrong-123' } }, response: { status: 401, headers: {}, body: '' } });
    expect(triage({ status: 'failed', category: 'non-conformance' }, [wrong])).toBe('non-conformance');
    expect(triage({ status: 'passed' }, [wrong])).toBeUndefined();
  });
});

describe('escaping and shapes with hostile text', () => {
  const evilCheck: CollectedTest = {
    file,
    name: 'CONN-07 evil',
    check: { ...record('CONN-07', 'should', `title ${EVIL}`), requirement: `requirement ${EVIL}` },
    outcome: { status: 'warned', message: `first line ${EVIL}\nsecond line`, category: 'non-conformance' },
    state: 'pass',
    durationMs: 3,
    exchanges: [exchange({ seq: 2, startedAt: '2026-11-28T10:00:01.000Z', response: undefined, error: 'timed out after 30000 ms (GET /Users)' })],
  };
  const failedCheck: CollectedTest = { ...passed('CONN-04'), state: 'fail', outcome: { status: 'failed', message: `expected 401, got 200 ${EVIL}\nrequirement: x`, category: 'non-conformance' } };
  const model = buildRunModel([...everyStep(), evilCheck, failedCheck], facts());

  it('JUnit stays well-formed', () => {
    const xml = renderJUnit(model);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('no response (timed out after 30000 ms (GET /Users))');
  });

  it('HTML escapes every value and Markdown keeps one row per check', () => {
    const html = renderChecklistHtml(model);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; | pipes');
    const md = renderChecklistMarkdown(model);
    const row = md.split('\n').find((l) => l.startsWith('| CONN-07 '))!;
    // Six cell borders, no more: the pipes inside the text are escaped.
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
    expect(row).toContain('\\<script\\>');
    expect(mdCell('a\nb | c')).toBe('a b \\| c');
  });

  it('HAR records an exchange that got no answer as status 0 with the reason', () => {
    const har = toHar(model);
    const entry = har.log.entries.find((e) => e._checkId === 'CONN-07')!;
    expect(entry.response).toMatchObject({ status: 0, _error: 'timed out after 30000 ms (GET /Users)', content: { size: 0, text: '' } });
    expect(entry.request.queryString).toEqual([{ name: 'filter', value: 'userName eq "a"' }]);
    // An exchange is listed once even when several checks assert on it (same file, same seq).
    expect(har.log.entries.filter((e) => e.startedDateTime === '2026-11-28T10:00:00.000Z')).toHaveLength(1);
  });

  it('summary.json matches its schema and keeps the tenant path and query out', () => {
    const summary = toSummary(model);
    const validate = summaryValidator();
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(summary)).not.toContain('tenant-secret-path');
    expect(JSON.stringify(summary)).not.toContain('aadOptscim062020');
    expect(summary.checks.find((c) => c.id === 'CONN-07')).toMatchObject({ status: 'warned', category: 'non-conformance' });
  });

  it('the schema rejects a summary whose failed check has no message or whose passed check has a category', () => {
    const validate = summaryValidator();
    const summary = toSummary(model);
    const failed = summary.checks.find((c) => c.status === 'failed')!;
    delete failed.message;
    expect(validate(summary)).toBe(false);
    const again = toSummary(model);
    again.checks.find((c) => c.status === 'passed')!.category = 'non-conformance';
    expect(validate(again)).toBe(false);
  });
});
