// One vitest run (Node API) for the whole matrix: one inline project per matrix run, named
// `matrix:<run>`, whose spec files reach its own reference server through the provided `target`
// (src/suite.ts injects it; no globalSetup). Results are read back per project from each test's
// meta: the check id (src/check.ts) and the outcome it recorded.
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { startVitest, type UserWorkspaceConfig } from 'vitest/node';
import type { CheckStatus, Severity } from '../../src/check-meta.ts';
import { SPEC_SETUP_FILES } from '../../src/setup-files.ts';
import type { MatrixRun } from './plan.ts';
import type { RunServer } from './servers.ts';
import { checkStatus } from '../../src/check-status.ts';

export interface CheckResult {
  id: string;
  severity: Severity;
  status: CheckStatus;
  /** Why a skipped check did not run: it does not apply to the run, or something it builds on failed. */
  skip?: 'not-applicable' | 'blocked';
  /** First line of the outcome message (why it failed, warned or was skipped). */
  reason?: string;
}

export interface RunResult {
  name: string;
  checks: Map<string, CheckResult>;
  /** Spec files that failed outside any check (import error, hook failure). */
  errors: string[];
}

export const projectName = (run: MatrixRun) => `matrix:${run.name}`;

function* testsOf(tasks: readonly RunnerTask[]): Generator<RunnerTestCase> {
  for (const task of tasks) {
    if (task.type === 'test') yield task;
    else if ('tasks' in task) yield* testsOf(task.tasks);
  }
}

/** The same rule as the user's exit status (src/check-status.ts). */
const statusOf = (test: RunnerTestCase): CheckStatus => checkStatus(test.result?.state, test.meta.outcome);

function projectFor(run: MatrixRun, server: RunServer): UserWorkspaceConfig {
  return {
    test: {
      name: projectName(run),
      include: run.specFiles,
      setupFiles: [...SPEC_SETUP_FILES],
      provide: { target: server.target },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // The clean runs are the oracle and run exactly as `npm test` does, each file in a fresh
      // worker. Fault runs reuse one worker for the files of their project: files of one project
      // share one target, and the saving (no worker start per file) is most of the matrix's time.
      isolate: run.fault === undefined,
    },
  };
}

export interface SuiteRunOptions {
  root: string;
  maxWorkers: number;
}

export async function runMatrixSuite(runs: readonly MatrixRun[], servers: Map<string, RunServer>, options: SuiteRunOptions): Promise<{ results: Map<string, RunResult>; unhandled: string[] }> {
  const projects = runs.map((run) => projectFor(run, servers.get(run.name)!));
  const vitest = await startVitest(
    'test',
    [],
    {
      root: options.root,
      config: false,
      run: true,
      watch: false,
      // Our own summary is the output; vitest's reporters would print every expected failure.
      reporters: [{}],
      maxWorkers: options.maxWorkers,
      // Transforms are shared between projects through the cache instead of redone per project.
      experimental: { fsModuleCache: true },
    },
    { test: { projects } },
  );
  try {
    const results = new Map<string, RunResult>(runs.map((run) => [projectName(run), { name: run.name, checks: new Map(), errors: [] }]));
    for (const file of vitest.state.getFiles()) {
      const result = results.get(file.projectName ?? '');
      if (!result) continue;
      for (const error of file.result?.errors ?? []) result.errors.push(`${file.name}: ${error.message?.split('\n')[0] ?? String(error)}`);
      for (const test of testsOf(file.tasks)) {
        const check = test.meta.check;
        if (!check) {
          result.errors.push(`${file.name}: a test that is not a check: ${test.name}`);
          continue;
        }
        const status = statusOf(test);
        const skip = status === 'skipped' ? test.meta.outcome?.skip : undefined;
        const reason = test.meta.outcome?.message?.split('\n')[0] ?? test.result?.errors?.[0]?.message?.split('\n')[0];
        result.checks.set(check.id, { id: check.id, severity: check.severity, status, ...(skip && { skip }), ...(reason && status !== 'passed' && { reason }) });
      }
    }
    const unhandled = vitest.state.getUnhandledErrors().map((e) => `unhandled error during the run: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
    return { results: new Map([...results.values()].map((r) => [r.name, r])), unhandled };
  } finally {
    await vitest.close();
  }
}
