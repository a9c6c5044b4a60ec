// The matrix's own rules, on made-up results: what counts as caught, and every way the matrix
// must fail (a dirty clean run, a missed fault, a typo in a declared id, a check nothing catches).
// The matrix itself runs with `npm run matrix` (part of `npm run test:self`).
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../reference/faults.ts';
import { CLEAN, allSpecFiles, checkIdsInSpecs, type Mode, planRuns, specFileOfCheck, specFilesFor, type MatrixRun } from './plan.ts';
import type { CheckResult, RunResult } from './run-vitest.ts';
import { isCaught, judge, summaryLine } from './verdict.ts';

const result = (id: string, status: CheckResult['status'], severity: CheckResult['severity'] = 'must'): CheckResult => ({ id, status, severity });

function runResult(name: string, ...checks: CheckResult[]): RunResult {
  return { name, checks: new Map(checks.map((c) => [c.id, c])), errors: [] };
}

const SPEC_IDS = new Map([
  ['CONN-01', 'specs/01-test-connection.spec.ts'],
  ['CONN-07', 'specs/01-test-connection.spec.ts'],
]);
const run = (name: string, declared: string[] = [], mode: Mode = 'full'): MatrixRun => {
  const fault = name.startsWith(CLEAN) ? undefined : name.replace(/@.*/, '');
  return { name, fault, faults: fault ? [fault] : [], mode, profile: 'entra', specFiles: [], declared };
};
const RUNS: MatrixRun[] = [run(CLEAN), run('broken-a', ['CONN-01']), run('broken-b', ['CONN-07'])];
const DEFINITIONS = [
  { name: 'broken-a', breaks: 'breaks the first check', catches: ['CONN-01'] },
  { name: 'broken-b', breaks: 'breaks the second check', catches: ['CONN-07'] },
];
const cleanRun = () => runResult(CLEAN, result('CONN-01', 'passed'), result('CONN-07', 'passed', 'should'));

function judgeWith(results: RunResult[], runs = RUNS, definitions = DEFINITIONS) {
  return judge(runs, definitions, new Map(results.map((r) => [r.name, r])), SPEC_IDS, [], { partial: false });
}

describe('what counts as caught', () => {
  it('a failed must-check and a warned should-check catch; a pass or a skip never does', () => {
    expect(isCaught(result('X-01', 'failed'))).toBe(true);
    expect(isCaught(result('X-01', 'warned', 'should'))).toBe(true);
    expect(isCaught(result('X-01', 'passed'))).toBe(false);
    expect(isCaught(result('X-01', 'skipped'))).toBe(false);
    expect(isCaught(result('X-01', 'skipped', 'should'))).toBe(false);
    expect(isCaught(undefined)).toBe(false);
  });
});

describe('judge', () => {
  it('passes when the clean run is spotless and every fault is caught by what it declares', () => {
    const verdict = judgeWith([
      cleanRun(),
      runResult('broken-a', result('CONN-01', 'failed'), result('CONN-07', 'warned', 'should')),
      runResult('broken-b', result('CONN-01', 'passed'), result('CONN-07', 'warned', 'should')),
    ]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.faults[0]!.alsoFailed.map((c) => c.id)).toEqual(['CONN-07']);
    expect(verdict.coverage.get('CONN-07')).toEqual(['broken-b']);
    expect(summaryLine(verdict)).toMatch(/^matrix OK: clean runs passed \(2\/2 checks\); faults caught 2\/2; checks covered 2\/2$/);
  });

  it('fails on a clean run with a failure, a warning or a check that did not run', () => {
    const verdict = judgeWith([
      runResult(CLEAN, result('CONN-01', 'failed')),
      runResult('broken-a', result('CONN-01', 'failed')),
      runResult('broken-b', result('CONN-07', 'warned', 'should')),
    ]);
    expect(verdict.problems).toContain('clean run: CONN-01 failed');
    expect(verdict.problems.some((p) => /CONN-07 .* did not run at all/.test(p))).toBe(true);
    expect(verdict.clean).toEqual({ total: 2, passed: 0, failed: 1, warned: 0, skipped: 1 });
    expect(summaryLine(verdict)).toMatch(/NOT clean/);
  });

  it('fails when a declared check passes or is skipped under its fault', () => {
    const verdict = judgeWith([cleanRun(), runResult('broken-a', result('CONN-01', 'skipped')), runResult('broken-b', result('CONN-07', 'passed', 'should'))]);
    expect(verdict.problems).toEqual([
      expect.stringMatching(/^broken-a: CONN-01 was skipped: the fault is not caught/),
      expect.stringMatching(/^broken-b: CONN-07 passed: the fault is not caught/),
    ]);
    expect(verdict.faults.map((f) => f.missed.map((m) => m.status))).toEqual([['skipped'], ['passed']]);
  });

  it('fails on a declared id that is no check (a typo or a retired id) and on a check no fault declares', () => {
    const runs: MatrixRun[] = [RUNS[0]!, run('typo', ['CON-01'])];
    const verdict = judgeWith([cleanRun(), runResult('typo')], runs, [{ name: 'typo', breaks: 'declares a typo', catches: ['CON-01'] }]);
    expect(verdict.problems).toContain('typo: declares CON-01, which is no check of the suite (a typo, or a retired id?)');
    expect(verdict.problems).toContain('CONN-01: no fault declares it, so nothing shows that it can fail');
    expect(verdict.problems).toContain('CONN-07: no fault declares it, so nothing shows that it can fail');
  });

  it('fails on a spec file that broke outside any check, and on unhandled errors', () => {
    const broken = runResult('broken-a', result('CONN-01', 'failed'));
    broken.errors.push('specs/01-test-connection.spec.ts: boom');
    const verdict = judge(RUNS, DEFINITIONS, new Map([cleanRun(), broken, runResult('broken-b', result('CONN-07', 'warned', 'should'))].map((r) => [r.name, r])), SPEC_IDS, ['unhandled error during the run: leaked'], { partial: false });
    expect(verdict.problems).toEqual(['unhandled error during the run: leaked', 'broken-a: specs/01-test-connection.spec.ts: boom']);
  });
});

describe('read-only mode', () => {
  const RO_IDS = new Map([...SPEC_IDS, ['RO-01', 'specs/08-read-only-lookup.spec.ts']]);
  const notApplicable = (id: string): CheckResult => ({ ...result(id, 'skipped'), skip: 'not-applicable' });

  it('a check not applicable in one clean run must pass in the other; blocked or never passing is a problem', () => {
    const runs = [run(CLEAN), run('clean@read-only', [], 'read-only'), run('broken-a', ['CONN-01']), run('broken-a@read-only', ['RO-01'], 'read-only'), run('broken-b', ['CONN-07'])];
    const results = [
      runResult(CLEAN, result('CONN-01', 'passed'), result('CONN-07', 'passed', 'should'), notApplicable('RO-01')),
      runResult('clean@read-only', result('CONN-01', 'passed'), notApplicable('CONN-07'), result('RO-01', 'passed')),
      runResult('broken-a', result('CONN-01', 'failed')),
      runResult('broken-a@read-only', result('RO-01', 'failed')),
      runResult('broken-b', result('CONN-07', 'warned', 'should')),
    ];
    const definitions = [{ name: 'broken-a', breaks: 'breaks a lookup', catches: ['CONN-01', 'RO-01'] }, DEFINITIONS[1]!];
    const verdict = judge(runs, definitions, new Map(results.map((r) => [r.name, r])), RO_IDS, [], { partial: false });
    expect(verdict.problems).toEqual([]);
    expect(verdict.faults.map((f) => [f.name, f.caught])).toEqual([['broken-a', ['CONN-01', 'RO-01']], ['broken-b', ['CONN-07']]]);

    results[1] = runResult('clean@read-only', result('CONN-01', 'passed'), notApplicable('CONN-07'), { ...result('RO-01', 'skipped'), skip: 'blocked' });
    const blocked = judge(runs, definitions, new Map(results.map((r) => [r.name, r])), RO_IDS, [], { partial: false });
    expect(blocked.problems).toEqual(['clean@read-only run: RO-01 skipped (blocked)']);

    results[1] = runResult('clean@read-only', result('CONN-01', 'passed'), notApplicable('CONN-07'), notApplicable('RO-01'));
    const nowhere = judge(runs, definitions, new Map(results.map((r) => [r.name, r])), RO_IDS, [], { partial: false });
    expect(nowhere.problems).toEqual([
      'clean runs: RO-01 passed in none of them (clean: skipped (not-applicable); clean@read-only: skipped (not-applicable))',
    ]);
  });

  it('runs a fault once more in another mode for the checks only that mode runs', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const runs = planRuns(root, [{ name: 'filter-ignored', breaks: 'x', catches: ['CONN-01', 'RO-01', 'LOAD-04'] }]);
    expect(runs.map((r) => [r.name, r.mode, r.declared])).toEqual([
      [CLEAN, 'full', []],
      ['clean@entra-2020', 'full', []],
      ['clean@okta', 'full', []],
      ['clean@rfc', 'full', []],
      ['clean@read-only', 'read-only', []],
      ['clean@load', 'load', []],
      ['clean@mapped', 'mapped', []],
      ['filter-ignored', 'full', ['CONN-01']],
      ['filter-ignored@read-only', 'read-only', ['RO-01']],
      ['filter-ignored@load', 'load', ['LOAD-04']],
    ]);
    expect(runs[4]!.specFiles).toEqual(['specs/00-discovery.spec.ts', 'specs/01-test-connection.spec.ts', 'specs/08-read-only-lookup.spec.ts']);
    expect(runs[5]!.specFiles).toEqual(['specs/07-initial-sync.spec.ts']);
  });

  it('runs a fault under another profile for the checks only that profile runs', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const profileOf = (id: string) => (id === 'PATCH-19' ? 'okta' : 'entra');
    const runs = planRuns(root, [{ name: 'put-merges', breaks: 'x', catches: ['PATCH-01', 'PATCH-19'] }], undefined, profileOf);
    expect(runs.filter((r) => r.fault).map((r) => [r.name, r.profile, r.declared])).toEqual([
      ['put-merges', 'entra', ['PATCH-01']],
      ['put-merges@okta', 'okta', ['PATCH-19']],
    ]);
  });

  it('runs every full-mode check of a fault that names its profile under that profile', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const runs = planRuns(root, [{ name: 'sort-ignored', breaks: 'x', catches: ['RFC-02', 'MATCH-12'], profile: 'rfc' }], undefined, () => 'entra');
    expect(runs.filter((r) => r.fault).map((r) => [r.name, r.profile, r.declared])).toEqual([['sort-ignored@rfc', 'rfc', ['RFC-02', 'MATCH-12']]]);
  });
});

describe('plan', () => {
  it('runs the clean server over every step, and each fault over the steps of its declared checks', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const runs = planRuns(root);
    expect(runs[0]).toMatchObject({ name: CLEAN, faults: [] });
    expect(runs[0]!.specFiles).toEqual(allSpecFiles(root));
    expect(runs[0]!.specFiles).toContain('specs/06-group-membership.spec.ts');
    expect(runs[0]!.specFiles).not.toContain('specs/08-read-only-lookup.spec.ts');
    expect(new Set(runs.map((r) => r.fault).filter((f) => f !== undefined)).size).toBe(FAULTS.length);
    expect(specFilesFor(['GROUP-01', 'CONN-04', 'CONN-05'])).toEqual(['specs/01-test-connection.spec.ts', 'specs/06-group-membership.spec.ts']);
    expect(specFileOfCheck('NOPE-01')).toBeUndefined();
  });

  it('every check a fault declares belongs to a known step', () => {
    for (const fault of FAULTS) for (const id of fault.catches) expect(specFileOfCheck(id), `${fault.name}: ${id}`).toBeDefined();
  });

  it('reads the check ids from the spec sources', () => {
    const ids = checkIdsInSpecs(new URL('../../', import.meta.url).pathname);
    expect(ids.get('CONN-01')).toBe('specs/01-test-connection.spec.ts');
    expect(ids.get('PATCH-01')).toBe('specs/04-update-user.spec.ts');
  });
});
