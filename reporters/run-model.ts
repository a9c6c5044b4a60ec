// The run as the reports see it: one record per check, in tutorial order, with its status,
// message and exchanges, plus the facts of the run and its verdict. Every output (summary,
// JUnit, checklist, HAR) renders this model, so they can never disagree with one another.
// Built from plain task-like data so that renderers can be tested without running vitest.
import type { CheckOutcome, CheckRecord, CheckStatus, FailureCategory, Severity } from '../src/check-meta.ts';
import type { Profile } from '../src/config.ts';
import { redact, type Exchange } from '../src/exchange.ts';
import { STEPS, findStep, type Step } from '../src/steps.ts';
import { triage } from './triage.ts';
import { checkStatus } from '../src/check-status.ts';

/** What the collector reads from one vitest test (a subset of RunnerTestCase). */
export interface CollectedTest {
  /** Spec file, relative to the project root: specs/01-test-connection.spec.ts */
  file: string;
  name: string;
  check?: CheckRecord;
  outcome?: CheckOutcome;
  exchanges?: Exchange[];
  /** vitest's state; undefined when the test never started. */
  state?: 'pass' | 'fail' | 'skip' | 'todo' | 'run' | 'queued';
  /** 'skip' when vitest never ran it (filtered out by name or file). */
  mode?: string;
  durationMs?: number;
  startTime?: number;
  errors?: readonly { message?: string }[];
  /** vitest's skip note (ctx.skip(note)). */
  note?: string;
}

/** A hook or module failure, or an unhandled error: the run is not trustworthy. */
export interface RunError {
  /** Spec file it happened in, when known. */
  file?: string;
  message: string;
}

/** Exchanges made outside any check (setup, cleanup), when the harness records them. */
export interface FileExchanges {
  file: string;
  exchanges: Exchange[];
}

export interface CheckResult {
  id: string;
  title: string;
  requirement: string;
  severity: Severity;
  step: Step;
  link?: string;
  status: CheckStatus;
  /** Failed/warned: the explanation; skipped: the reason. Redacted. */
  message?: string;
  /** Failed and warned checks only. */
  category?: FailureCategory;
  /** Skipped checks only: not-applicable (no harm) or blocked (a must that is unproven). */
  skip?: 'not-applicable' | 'blocked';
  /** Not applicable because the client's mapping sends what the server does not define: what to change. */
  advice?: string;
  durationMs: number;
  startedAt?: string;
  file: string;
  exchanges: Exchange[];
}

export interface Totals {
  checks: number;
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
}

export interface StepResult {
  step: Step;
  checks: CheckResult[];
  totals: Totals;
}

export interface Verdict {
  ready: boolean;
  /** "Ready for Entra provisioning" / "Not ready: 2 must-checks fail" / "Incomplete run: ..." */
  headline: string;
  /** Must-checks that failed or could not run (blocked), in tutorial order. */
  failingMustChecks: CheckResult[];
  /** Steps with no check in this run (a partial run cannot certify). */
  stepsNotRun: Step[];
}

export interface RunFacts {
  /** Base URL of the endpoint; only its host is kept in the model. */
  baseUrl?: string;
  profile: Profile;
  runId: string;
  embedded: boolean;
  /** Read-only mode (SCIM_READ_ONLY): only GET requests were sent, so the run cannot certify. */
  readOnly: boolean;
  /** How the run authenticated (SCIM_AUTH) and the attribute-mapping file it used (SCIM_MAPPING), if any. */
  auth?: string;
  mappingFile?: string;
  startedAt: Date;
  finishedAt: Date;
  suiteVersion: string;
  errors?: readonly RunError[];
  fileExchanges?: readonly FileExchanges[];
}

export interface RunModel {
  suite: { name: 'scim-conformance'; version: string };
  runId: string;
  /** Host (and port) only: paths and query strings of tenant URLs can carry tenant secrets. */
  tenantHost: string;
  embedded: boolean;
  readOnly: boolean;
  auth: string;
  /** The attribute-mapping file (SCIM_MAPPING), or undefined for the default mapping. */
  mappingFile?: string;
  profile: Profile;
  startedAt: string;
  finishedAt: string;
  checks: CheckResult[];
  steps: StepResult[];
  totals: Totals;
  verdict: Verdict;
  /** Each piece of mapping advice once, with the checks it made not applicable. */
  mappingAdvice: MappingAdvice[];
  errors: RunError[];
  fileExchanges: FileExchanges[];
}

export interface MappingAdvice {
  advice: string;
  checks: string[];
}

function mappingAdviceOf(checks: readonly CheckResult[]): MappingAdvice[] {
  const byAdvice = new Map<string, string[]>();
  for (const check of checks) if (check.advice) byAdvice.set(check.advice, [...(byAdvice.get(check.advice) ?? []), check.id]);
  return [...byAdvice].map(([advice, ids]) => ({ advice, checks: ids }));
}

/** The identity provider a profile stands for, as the verdict names it. */
export const PROVIDER: Record<Profile, string> = { entra: 'Entra', 'entra-2020': 'Entra', okta: 'Okta', rfc: 'SCIM 2.0 (RFC 7643/7644)' };

export function hostOf(baseUrl: string | undefined): string {
  if (!baseUrl) return 'unknown';
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'unknown';
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.trim() ?? '';
}

/** The same rule as the exit status (src/check-status.ts). */
const statusOf = (test: CollectedTest): CheckStatus => checkStatus(test.state, test.outcome);

function skipReason(test: CollectedTest, fileErrors: readonly RunError[]): { message: string; skip: 'not-applicable' | 'blocked' } {
  if (test.outcome?.status === 'skipped') return { message: test.outcome.message ?? test.note ?? 'skipped', skip: test.outcome.skip ?? 'not-applicable' };
  // A hook of its file failed (vitest then skips every test of the suite): unproven, not passed.
  const broken = fileErrors.find((e) => e.file === test.file);
  if (broken) return { message: `did not run: ${firstLine(broken.message)}`, skip: 'blocked' };
  if (test.mode === 'skip' && !test.state) return { message: 'not selected for this run', skip: 'not-applicable' };
  return { message: test.note ?? 'did not run', skip: test.state === 'skip' || test.state === 'todo' ? 'not-applicable' : 'blocked' };
}

/** A test registered without check() (should not happen): keep it visible, judged like a must. */
function pseudoCheck(test: CollectedTest): CheckRecord {
  const number = /(?:^|\/)(\d{2})-[^/]*$/.exec(test.file)?.[1];
  const step = (number && findStep(number)) || STEPS[0]!;
  return { id: test.name.split(' ')[0] ?? test.name, title: test.name, requirement: '(not declared: this test does not use check())', severity: 'must', step: step.name, stepTitle: step.title };
}

function resultOf(test: CollectedTest, errors: readonly RunError[]): CheckResult {
  const check = test.check ?? pseudoCheck(test);
  const step = findStep(check.step) ?? STEPS[0]!;
  const status = statusOf(test);
  const exchanges = test.exchanges ?? [];
  const result: CheckResult = {
    id: check.id,
    title: check.title,
    requirement: check.requirement,
    severity: check.severity,
    step,
    ...(check.link && { link: check.link }),
    status,
    durationMs: Math.max(0, Math.round(test.durationMs ?? 0)),
    ...(test.startTime && { startedAt: new Date(test.startTime).toISOString() }),
    file: test.file,
    exchanges,
  };
  if (status === 'failed') {
    result.message = redact(test.outcome?.message ?? test.errors?.map((e) => e.message ?? '').join('\n') ?? 'failed');
    // Failed without an outcome: a timeout or a thrown error outside check()'s reach.
    result.category = triage(test.outcome?.status === 'failed' ? test.outcome : { status: 'failed', category: 'suite-error' }, exchanges);
  } else if (status === 'warned') {
    result.message = redact(test.outcome?.message ?? 'warning');
    result.category = triage(test.outcome, exchanges);
  } else if (status === 'skipped') {
    const { message, skip } = skipReason(test, errors);
    result.message = redact(message);
    result.skip = skip;
    if (test.outcome?.advice) result.advice = redact(test.outcome.advice);
  }
  return result;
}

export function totalsOf(checks: readonly CheckResult[]): Totals {
  const totals: Totals = { checks: checks.length, passed: 0, failed: 0, warned: 0, skipped: 0 };
  for (const check of checks) totals[check.status]++;
  return totals;
}

/** Blocked must-checks fail the gate like failed ones (src/run-suite.ts isBlockedMust). */
export function failsGate(check: CheckResult): boolean {
  return check.status === 'failed' || (check.severity === 'must' && check.status === 'skipped' && check.skip === 'blocked');
}

function verdictOf(checks: readonly CheckResult[], steps: readonly StepResult[], errors: readonly RunError[], facts: RunFacts): Verdict {
  const failingMustChecks = checks.filter(failsGate);
  const stepsNotRun = STEPS.filter((s) => !steps.some((r) => r.step === s));
  const provider = PROVIDER[facts.profile];
  let headline: string;
  if (checks.length === 0) headline = 'Not ready: no check ran';
  else if (failingMustChecks.length > 0) {
    const n = failingMustChecks.length;
    headline = `Not ready: ${n} must-check${n === 1 ? '' : 's'} fail${n === 1 ? 's' : ''}`;
  } else if (errors.length > 0) headline = `Not ready: the suite could not run cleanly (${errors.length} error${errors.length === 1 ? '' : 's'})`;
  // Only a run of every step can certify; a partial run says what it covered.
  // Nothing was created, updated or deleted: the steps that provision were not proven.
  else if (facts.readOnly) headline = 'Read-only run: every must-check that ran passes; only a full run can show readiness for provisioning';
  else if (stepsNotRun.length > 0) headline = `Incomplete run: every must-check that ran passes, but step${stepsNotRun.length === 1 ? '' : 's'} ${stepsNotRun.map((s) => `${s.number} ${s.title}`).join(', ')} did not run`;
  else headline = `Ready for ${provider} provisioning`;
  const ready = checks.length > 0 && failingMustChecks.length === 0 && errors.length === 0 && stepsNotRun.length === 0 && !facts.readOnly;
  return { ready, headline, failingMustChecks, stepsNotRun };
}

export function buildRunModel(tests: readonly CollectedTest[], facts: RunFacts): RunModel {
  const errors = (facts.errors ?? []).map((e) => ({ ...e, message: redact(e.message) }));
  const checks = tests.map((t) => resultOf(t, errors));
  // Tutorial order; within a step, the order of the spec file (a stable sort keeps it).
  const order = (c: CheckResult) => STEPS.indexOf(c.step);
  checks.sort((a, b) => order(a) - order(b));
  const steps: StepResult[] = [];
  for (const step of STEPS) {
    const ofStep = checks.filter((c) => c.step === step);
    if (ofStep.length > 0) steps.push({ step, checks: ofStep, totals: totalsOf(ofStep) });
  }
  return {
    suite: { name: 'scim-conformance', version: facts.suiteVersion },
    runId: facts.runId,
    tenantHost: hostOf(facts.baseUrl),
    embedded: facts.embedded,
    readOnly: facts.readOnly,
    auth: facts.auth ?? 'bearer',
    ...(facts.mappingFile && { mappingFile: facts.mappingFile }),
    profile: facts.profile,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: facts.finishedAt.toISOString(),
    checks,
    steps,
    totals: totalsOf(checks),
    verdict: verdictOf(checks, steps, errors, facts),
    mappingAdvice: mappingAdviceOf(checks),
    errors,
    fileExchanges: [...(facts.fileExchanges ?? [])],
  };
}

/** "PASS", "FAIL", "WARN", "SKIP": the words the checklist and console use. */
export const RESULT_WORD: Record<CheckStatus, string> = { passed: 'PASS', failed: 'FAIL', warned: 'WARN', skipped: 'SKIP' };

export { firstLine };
