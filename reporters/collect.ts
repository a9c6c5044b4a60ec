// Reads what the conformance project's tests left behind, through vitest's public reporter API
// (TestModule, TestSuite, TestCase): each check's meta (record, outcome, exchanges), hook and
// module errors, and any exchanges the harness filed on a suite or module. Only this module
// knows vitest's shapes; the run model works on CollectedTest.
import { relative } from 'node:path';
import type { TestCase, TestModule } from 'vitest/node';
import type { Exchange } from '../src/exchange.ts';
import type { CollectedTest, FileExchanges, RunError } from './run-model.ts';

/** The vitest project that runs specs/ (vitest.config.ts); the `self` project is never reported. */
export const CONFORMANCE_PROJECT = 'conformance';

export interface Collected {
  tests: CollectedTest[];
  errors: RunError[];
  fileExchanges: FileExchanges[];
}

export function isConformanceModule(module: TestModule): boolean {
  return module.project.name === CONFORMANCE_PROJECT;
}

function errorText(error: { message?: string; stack?: string } | undefined): string {
  return error?.message || error?.stack || String(error);
}

const STATE: Record<string, CollectedTest['state']> = { passed: 'pass', failed: 'fail', skipped: 'skip' };

function collectedTest(test: TestCase, file: string): CollectedTest {
  const meta = test.meta();
  const result = test.result();
  const diagnostic = test.diagnostic();
  return {
    file,
    name: test.name,
    ...(meta.check && { check: meta.check }),
    ...(meta.outcome && { outcome: meta.outcome }),
    exchanges: meta.exchanges ?? [],
    ...(STATE[result.state] && { state: STATE[result.state] }),
    mode: test.options.mode,
    ...(diagnostic && { durationMs: diagnostic.duration, startTime: diagnostic.startTime }),
    ...(result.errors && { errors: result.errors.map((e) => ({ message: errorText(e) })) }),
    ...(result.state === 'skipped' && result.note && { note: result.note }),
  };
}

/** Tests, suite/module errors and suite-level exchanges of the conformance modules, in file order. */
export function collect(modules: readonly TestModule[], root: string): Collected {
  const out: Collected = { tests: [], errors: [], fileExchanges: [] };
  for (const module of modules.filter(isConformanceModule)) {
    const file = relative(root, module.moduleId).split('\\').join('/');
    for (const test of module.children.allTests()) out.tests.push(collectedTest(test, file));
    const suites = [module, ...module.children.allSuites()];
    for (const suite of suites) for (const error of suite.errors()) out.errors.push({ file, message: errorText(error) });
    // The harness may file setup and cleanup exchanges on a suite; they belong in the HAR.
    const exchanges: Exchange[] = suites.flatMap((suite) => suite.meta().exchanges ?? []);
    if (exchanges.length > 0) out.fileExchanges.push({ file, exchanges });
  }
  return out;
}
