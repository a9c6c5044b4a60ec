// Sorts a failed or warned check into the three kinds a reader triages differently: the
// endpoint broke a rule (fix the endpoint), the endpoint could not be reached or refused our
// credentials (fix the URL, network or token, then rerun), or the suite itself broke (report
// a bug here). Allure categories, JUnit <failure>/<error> and summary.json all use this.
import type { CheckOutcome, FailureCategory } from '../src/check-meta.ts';
import { carriesCredential, type Exchange } from '../src/exchange.ts';

export const CATEGORY_TITLES: Record<FailureCategory, string> = {
  'non-conformance': 'Endpoint non-conformance',
  unreachable: 'Endpoint unreachable or unauthorised',
  'suite-error': 'Suite error',
};

/**
 * check.ts files a 401/403 answer to a request that carried the configured token as
 * non-conformance (an expectStatus failed); for triage it is an access problem, since every
 * later check will fail the same way. A wrong or missing token on purpose (CONN-04/05) is not:
 * those requests do not carry the placeholder.
 */
function refusedOurToken(exchanges: readonly Exchange[]): boolean {
  const last = exchanges.at(-1);
  if (!last?.response) return false;
  const sentToken = Object.entries(last.request.headers).some(
    ([name, value]) => name.toLowerCase() === 'authorization' && carriesCredential(value),
  );
  return sentToken && (last.response.status === 401 || last.response.status === 403);
}

/** The triage category of a failed or warned check; undefined for passed and skipped ones. */
export function triage(outcome: CheckOutcome | undefined, exchanges: readonly Exchange[] = []): FailureCategory | undefined {
  if (!outcome || (outcome.status !== 'failed' && outcome.status !== 'warned')) return undefined;
  const category = outcome.category ?? 'suite-error';
  if (category === 'non-conformance' && refusedOurToken(exchanges)) return 'unreachable';
  return category;
}
