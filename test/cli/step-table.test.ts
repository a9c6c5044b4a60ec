// The console's closing table (src/run-suite.ts renderStepTable) on fabricated tasks: mapping
// advice is listed once per piece of advice, with the checks it made not applicable.
import { describe, expect, it } from 'vitest';
import type { RunnerTestCase } from 'vitest';
import { renderStepTable } from '../../src/run-suite.ts';

const advice = 'if the Entra attribute mapping writes nickName, remove that mapping: the server does not define it, so it ignores the value or refuses the update';

function skipped(id: string, withAdvice: boolean): RunnerTestCase {
  return {
    type: 'test',
    name: `${id} t`,
    mode: 'run',
    result: { state: 'skip' },
    meta: {
      check: { id, title: 't', requirement: 'r', severity: 'must', step: 'update-user', stepTitle: 'Update user (PATCH)' },
      outcome: { status: 'skipped', skip: 'not-applicable', message: 'm', ...(withAdvice && { advice }) },
    },
  } as unknown as RunnerTestCase;
}

describe('the closing table', () => {
  it('lists mapping advice once, naming the checks it made not applicable', () => {
    const table = renderStepTable([skipped('PATCH-07', true), skipped('PATCH-20', true), skipped('PATCH-08', false)]);
    expect(table).toContain('mapping advice (not failures: RFC 7644 §3.3 lets the server ignore these attributes):');
    expect(table).toContain(`  ${advice} (PATCH-07, PATCH-20 not applicable)`);
    expect(table.split(advice)).toHaveLength(2);
  });

  it('says nothing of mapping advice when there is none', () => {
    expect(renderStepTable([skipped('PATCH-08', false)])).not.toContain('mapping advice');
  });
});
