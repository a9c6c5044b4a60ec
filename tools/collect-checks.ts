// Every check's metadata, as vitest collects the spec files (nothing is sent to any endpoint):
// for the generated docs and for the detection matrix, which needs each check's profiles.
import { createVitest } from 'vitest/node';
import type { CheckRecord } from '../src/check-meta.ts';

export async function collectChecks(): Promise<CheckRecord[]> {
  const vitest = await createVitest('test', { watch: false, project: ['conformance'], reporters: [] });
  try {
    const { testModules } = await vitest.collect();
    const checks: CheckRecord[] = [];
    for (const module of testModules) for (const test of module.children.allTests()) if (test.meta().check) checks.push(test.meta().check!);
    return checks;
  } finally {
    await vitest.close();
  }
}
