// Runs the conformance project through vitest's Node API and turns its results into the
// pipeline's exit status: 0 when every must-check passed, 1 when one failed.
import { startVitest } from 'vitest/node';
import type { RunnerTask } from 'vitest';
import type { Config } from './config.ts';

export interface RunTotals {
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
}

function* testsOf(tasks: readonly RunnerTask[]): Generator<RunnerTask> {
  for (const task of tasks) {
    if (task.type === 'test') yield task;
    else if ('tasks' in task) yield* testsOf(task.tasks);
  }
}

export function totalsOf(files: readonly RunnerTask[]): RunTotals {
  const totals: RunTotals = { passed: 0, failed: 0, warned: 0, skipped: 0 };
  for (const test of testsOf(files)) {
    const state = test.result?.state;
    if (state === 'fail') totals.failed++;
    else if (state === 'pass') totals[test.meta.outcome?.status === 'warned' ? 'warned' : 'passed']++;
    else totals.skipped++;
  }
  return totals;
}

export async function runSuite(config: Config, filters: string[]): Promise<number> {
  const vitest = await startVitest('test', filters, { run: true, watch: false, project: ['conformance'] });
  const files = vitest.state.getFiles();
  const broken = files.some((file) => file.result?.state === 'fail' && file.result.errors?.length);
  const totals = totalsOf(files);
  const unhandled = vitest.state.getUnhandledErrors().length;
  await vitest.close();
  void config;
  if (totals.failed > 0 || broken || unhandled > 0) return 1;
  if (totals.passed + totals.warned === 0) {
    console.error('scim-conformance: no check ran; see the output above');
    return 1;
  }
  return 0;
}
