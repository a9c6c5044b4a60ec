// Runs the conformance project and turns its results into the pipeline's exit status: 0 when
// every must-check passed (warnings allowed), 1 when one failed, 2 when the tenant cannot be
// used at all, 130/143 when SIGINT/SIGTERM stopped the run.
//
// Two processes: the CLI process supervises (superviseRun: run id, preflight, signals, the
// cleanup at the end) and starts a second process that runs vitest (runSuite). Whatever
// happens to vitest (a failure, a crash, an unhandled error that exits the process, a signal
// that vitest answers by exiting at once), the supervisor is still there to delete what the run
// created. If the supervisor itself is killed, the vitest process notices and stops at once.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { checkStatus } from './check-status.ts';
import { cleanUpAfterRun } from './cleanup.ts';
import { registerCredentials, withIssuedToken } from './auth.ts';
import { configNotes, credentialsOf, type Config } from './config.ts';
import { redact, registerSecret } from './exchange.ts';
import { preflight } from './preflight.ts';
import { STEPS, specFileOf } from './steps.ts';
import { OAUTH_HANDOFF_ENV, READ_ONLY_SKIP, SUPERVISED_ENV, newRunId } from './target.ts';

export interface RunTotals {
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
}

function* testsOf(tasks: readonly RunnerTask[]): Generator<RunnerTestCase> {
  for (const task of tasks) {
    if (task.type === 'test') yield task;
    else if ('tasks' in task) yield* testsOf(task.tasks);
  }
}

type Status = keyof RunTotals;

const statusOf = (test: RunnerTestCase): Status => checkStatus(test.result?.state, test.meta.outcome);

export function totalsOf(tests: Iterable<RunnerTestCase>): RunTotals {
  const totals: RunTotals = { passed: 0, failed: 0, warned: 0, skipped: 0 };
  for (const test of tests) totals[statusOf(test)]++;
  return totals;
}

/** A spec file or describe block whose hook failed (e.g. beforeAll could not reach the tenant): its checks never ran. */
export interface BrokenSuite {
  /** specs/01-test-connection.spec.ts > 01 Test Connection */
  where: string;
  /** First line of the error. */
  message: string;
}

function* suitesOf(tasks: readonly RunnerTask[]): Generator<RunnerTask> {
  for (const task of tasks) {
    if (task.type === 'test') continue;
    yield task;
    if ('tasks' in task) yield* suitesOf(task.tasks);
  }
}

/** Suites that failed themselves (not through a failed check): vitest skips their checks, so they must fail the run. */
export function brokenSuites(files: readonly RunnerTask[]): BrokenSuite[] {
  const broken: BrokenSuite[] = [];
  for (const suite of suitesOf(files)) {
    const error = suite.result?.state === 'fail' ? suite.result.errors?.[0] : undefined;
    if (!error) continue;
    const file = suite.file?.name ?? suite.name;
    const where = suite.file && suite.file !== suite ? `${file} > ${suite.name}` : file;
    broken.push({ where, message: redact(`${error.name && !String(error.message).startsWith(error.name) ? `${error.name}: ` : ''}${String(error.message ?? error).split('\n')[0]}`) });
  }
  return broken;
}

/** A must-check skipped because something it builds on failed: unproven, so it fails the gate. */
export function isBlockedMust(test: RunnerTestCase): boolean {
  return test.meta.check?.severity === 'must' && test.meta.outcome?.skip === 'blocked';
}

/** The closing table: one line per step, then the verdict. */
export function renderStepTable(tests: readonly RunnerTestCase[], broken: readonly BrokenSuite[] = []): string {
  const lines = ['', 'step                                        passed failed warned skipped'];
  for (const step of STEPS) {
    const ofStep = tests.filter((t) => t.meta.check?.step === step.name);
    if (ofStep.length === 0) continue;
    const t = totalsOf(ofStep);
    const cells = [t.passed, t.failed, t.warned, t.skipped].map((n) => String(n).padStart(6)).join(' ');
    lines.push(`${`${step.number} ${step.title}`.padEnd(43)} ${cells}`);
  }
  const warnings = tests.filter((t) => statusOf(t) === 'warned');
  if (warnings.length > 0) {
    // Vitest shows a warned check as passed; name each here with the first line of its reason.
    lines.push('', 'warnings (should-checks that failed; the run stays green):');
    for (const t of warnings) lines.push(`  ${t.meta.check?.id ?? t.name}: ${t.meta.outcome?.message?.split('\n')[0] ?? ''}`);
  }
  // What the admin should change in the client's mapping: attributes the server does not define.
  const advice = new Map<string, string[]>();
  for (const t of tests) {
    const text = t.meta.outcome?.advice;
    if (text) advice.set(text, [...(advice.get(text) ?? []), t.meta.check?.id ?? t.name]);
  }
  if (advice.size > 0) {
    lines.push('', 'mapping advice (not failures: RFC 7644 §3.3 lets the server ignore these attributes):');
    for (const [text, ids] of advice) lines.push(`  ${text} (${ids.join(', ')} not applicable)`);
  }
  const blocked = tests.filter(isBlockedMust);
  if (blocked.length > 0) {
    lines.push('', 'must-checks that could not run (something they build on failed):');
    for (const t of blocked) lines.push(`  ${t.meta.check?.id ?? t.name}: ${t.meta.outcome?.message ?? ''}`);
  }
  if (broken.length > 0) {
    lines.push('', 'spec files that broke off (their checks did not run):');
    for (const b of broken) lines.push(`  ${b.where}: ${b.message}`);
  }
  const all = totalsOf(tests);
  const failing = tests.filter((t) => statusOf(t) === 'failed').map((t) => t.meta.check?.id ?? t.name);
  const brokeOff = broken.length > 0 ? `; ${broken.length} spec file(s) broke off` : '';
  lines.push('');
  lines.push(
    failing.length + blocked.length + broken.length === 0
      ? `verdict: every must-check passed (${all.passed} passed, ${all.warned} warnings, ${all.skipped} skipped)`
      : `verdict: NOT READY: ${failing.length} must-check(s) failed${failing.length ? `: ${failing.join(', ')}` : ''}; ${blocked.length} could not run${brokeOff}`,
  );
  // The plain closing line CI systems read.
  lines.push(`${all.passed + all.warned} passed, ${all.failed} failed, ${all.skipped} skipped`);
  return lines.join('\n');
}

/** Exit statuses of a run stopped by a signal (128 + the signal's number, as shells report it). */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

const BIN = fileURLToPath(new URL('../bin/scim-conformance.js', import.meta.url));

/** The vitest filters of a run: the positional filters as given, else the chosen steps' files (none: all). */
export function specFilters(config: Config, positionals: readonly string[]): string[] {
  if (positionals.length > 0) return [...positionals];
  return config.steps.length === STEPS.length ? [] : config.steps.map(specFileOf);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The CLI's side of a run: a run id, the preflight, a vitest process, and the cleanup at the
 * end of the run, whatever happened. SIGINT/SIGTERM stop the vitest process, then the cleanup
 * runs and the exit status is 130/143; the same signal a second time skips the cleanup.
 */
export async function superviseRun(config: Config, positionals: string[]): Promise<number> {
  registerSecret(config.token);
  registerCredentials(credentialsOf(config));
  const filters = specFilters(config, positionals);
  const runId = newRunId();
  const where = config.tenantUrl ? ` against ${hostOf(config.tenantUrl)}` : '';
  console.log(`scim-conformance: run ${runId}${where}, profile ${config.profile}${config.readOnly ? ', read-only mode' : ''}`);
  for (const note of configNotes(config)) console.log(`scim-conformance: ${note}`);
  const ready = await preflight(config);
  if (!ready.ok) {
    console.error(`scim-conformance: ${ready.message}`);
    return 2;
  }
  for (const note of ready.notes ?? []) console.log(`scim-conformance: ${note}`);
  const credentials = credentialsOf(config);
  const cleansUp = Boolean(config.tenantUrl && credentials && !config.readOnly);
  // The token the preflight fetched goes to the vitest process: one token request per run.
  const issued = credentials?.method === 'oauth' ? (await withIssuedToken(credentials, config.timeoutMs)) : undefined;
  const handoff = issued?.method === 'oauth' && issued.issued ? { [OAUTH_HANDOFF_ENV]: JSON.stringify(issued.issued) } : {};
  const child = spawn(process.execPath, [...process.execArgv, BIN, 'run', ...filters], {
    stdio: 'inherit',
    env: { ...process.env, SCIM_RUN_ID: runId, [SUPERVISED_ENV]: '1', ...handoff },
  });
  let signalled: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (signalled === undefined) {
      signalled = signal;
      const then = cleansUp ? ', then deleting what it created on the tenant (send the signal again to skip that)' : '';
      console.error(`\nscim-conformance: ${signal}: stopping the run${then}`);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return;
    }
    child.kill('SIGKILL');
    const hint = cleansUp ? `; to delete what run ${runId} left, run: scim-conformance cleanup --run-id ${runId}` : '';
    console.error(`scim-conformance: ${signal} again: exiting without cleanup${hint}`);
    process.exit(SIGNAL_EXIT[signalled]);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => {
        console.error(`scim-conformance: cannot start the run: ${error.message}`);
        resolve({ code: 2, signal: null });
      });
    });
    const abnormal = ended.code === null || ended.code > 2;
    if (cleansUp && config.tenantUrl && credentials) {
      // Workers of a stopped vitest stop at once (src/suite.ts); a request one had in flight gets a moment to land.
      if (signalled || abnormal) await sleep(300);
      await cleanUpAfterRun({
        baseUrl: config.tenantUrl,
        credentials,
        timeoutMs: config.timeoutMs,
        runId,
        interrupted: signalled !== undefined || abnormal,
        budgetMs: signalled ? 60_000 : 120_000,
      });
    }
    if (signalled) return SIGNAL_EXIT[signalled];
    if (abnormal) {
      console.error(`scim-conformance: the run ended abnormally (${ended.signal ?? `exit status ${ended.code}`})`);
      return 2;
    }
    return ended.code ?? 2;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** In the vitest process: stop at once if the supervising CLI process is gone (killed), instead of running on unwatched. */
function stopWhenOrphaned(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
  }, 200);
  timer.unref();
}

/** The vitest process's side of a run (started by superviseRun): runs the conformance project and prints the closing table. */
export async function runSuite(config: Config, filters: string[]): Promise<number> {
  stopWhenOrphaned();
  // Loaded here, not at the top: the supervising process never needs vitest.
  const { startVitest } = await import('vitest/node');
  const vitest = await startVitest('test', filters, { run: true, watch: false, project: ['conformance'] });
  const files = vitest.state.getFiles();
  const tests = [...testsOf(files)];
  const broken = brokenSuites(files);
  const unhandled = vitest.state.getUnhandledErrors().length;
  await vitest.close();
  if (tests.length === 0) {
    console.error('scim-conformance: no check ran; see the output above');
    return 2;
  }
  console.log(renderStepTable(tests, broken));
  if (config.readOnly) {
    const writing = tests.filter((t) => t.meta.outcome?.message === READ_ONLY_SKIP).length;
    console.log(`read-only mode: ${writing} check(s) that write to the tenant did not run, so this run cannot certify the endpoint; run without --read-only against a test tenant for that`);
  }
  return totalsOf(tests).failed > 0 || tests.some(isBlockedMust) || broken.length > 0 || unhandled > 0 ? 1 : 0;
}
