// Runs the conformance project through vitest's Node API and turns its results into the
// pipeline's exit status: 0 when every must-check passed (warnings allowed), 1 when one
// failed, 2 when the tenant cannot be used at all.
import { startVitest } from 'vitest/node';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import type { Config } from './config.ts';
import { preflight } from './preflight.ts';
import { STEPS } from './steps.ts';

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

function statusOf(test: RunnerTestCase): Status {
  const state = test.result?.state;
  if (state === 'fail') return 'failed';
  if (state === 'pass') return test.meta.outcome?.status === 'warned' ? 'warned' : 'passed';
  return 'skipped';
}

export function totalsOf(tests: Iterable<RunnerTestCase>): RunTotals {
  const totals: RunTotals = { passed: 0, failed: 0, warned: 0, skipped: 0 };
  for (const test of tests) totals[statusOf(test)]++;
  return totals;
}

/** A must-check skipped because something it builds on failed: unproven, so it fails the gate. */
export function isBlockedMust(test: RunnerTestCase): boolean {
  return test.meta.check?.severity === 'must' && test.meta.outcome?.skip === 'blocked';
}

/** The closing table: one line per step, then the verdict. */
export function renderStepTable(tests: readonly RunnerTestCase[]): string {
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
  const blocked = tests.filter(isBlockedMust);
  if (blocked.length > 0) {
    lines.push('', 'must-checks that could not run (something they build on failed):');
    for (const t of blocked) lines.push(`  ${t.meta.check?.id ?? t.name}: ${t.meta.outcome?.message ?? ''}`);
  }
  const all = totalsOf(tests);
  const failing = tests.filter((t) => statusOf(t) === 'failed').map((t) => t.meta.check?.id ?? t.name);
  lines.push('');
  lines.push(
    failing.length + blocked.length === 0
      ? `verdict: every must-check passed (${all.passed} passed, ${all.warned} warnings, ${all.skipped} skipped)`
      : `verdict: NOT READY: ${failing.length} must-check(s) failed${failing.length ? `: ${failing.join(', ')}` : ''}; ${blocked.length} could not run`,
  );
  // The plain closing line CI systems read.
  lines.push(`${all.passed + all.warned} passed, ${all.failed} failed, ${all.skipped} skipped`);
  return lines.join('\n');
}

export async function runSuite(config: Config, filters: string[]): Promise<number> {
  const ready = await preflight(config);
  if (!ready.ok) {
    console.error(`scim-conformance: ${ready.message}`);
    return 2;
  }
  const vitest = await startVitest('test', filters, { run: true, watch: false, project: ['conformance'] });
  const files = vitest.state.getFiles();
  const tests = [...testsOf(files)];
  const brokenFile = files.some((file) => file.result?.state === 'fail' && file.result.errors?.length);
  const unhandled = vitest.state.getUnhandledErrors().length;
  await vitest.close();
  if (tests.length === 0) {
    console.error('scim-conformance: no check ran; see the output above');
    return 2;
  }
  console.log(renderStepTable(tests));
  return totalsOf(tests).failed > 0 || tests.some(isBlockedMust) || brokenFile || unhandled > 0 ? 1 : 0;
}
