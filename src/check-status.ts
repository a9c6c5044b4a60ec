// The one rule that turns a finished vitest test into a check's status, for every reader: the
// console and exit status (src/run-suite.ts), the reports (reporters/run-model.ts), the peer
// comparison and the detection matrix. Vitest's state decides; check()'s recorded outcome refines
// a pass into a warning (a should-check that failed passes its vitest test).
import type { CheckOutcome, CheckStatus } from './check-meta.ts';

export function checkStatus(state: string | undefined, outcome: CheckOutcome | undefined): CheckStatus {
  if (state === 'fail') return 'failed';
  if (state === 'pass') return outcome?.status === 'warned' ? 'warned' : 'passed';
  return 'skipped';
}
