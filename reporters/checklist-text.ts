// Wording shared by the Markdown and HTML checklists, so that both say the same thing.
import type { Profile } from '../src/config.ts';
import type { CheckResult, RunModel, Totals } from './run-model.ts';
import { firstLine } from './run-model.ts';

export const PROFILE_NAMES: Record<Profile, string> = {
  entra: 'entra (Microsoft Entra ID provisioning)',
  'entra-2020': 'entra-2020 (Microsoft Entra ID, aadOptscim062020 behaviour)',
  okta: 'okta (Okta provisioning)',
  rfc: 'rfc (RFC 7643/7644 as written)',
};

/** What the run was allowed to do on the tenant: a reviewer must see a read-only run for what it is. */
export function runModeLine(model: Pick<RunModel, 'readOnly'>): string {
  return model.readOnly
    ? 'Read-only (GET requests only: nothing was created, updated or deleted; the provisioning steps were not tested)'
    : 'Full (test users and groups created, updated and deleted)';
}

/** The run's settings a reviewer must know to read the results: authentication and attribute mapping. */
export function setupLine(model: Pick<RunModel, 'auth' | 'mappingFile'>): string {
  const auth = { bearer: 'bearer token', basic: 'HTTP Basic', oauth: 'OAuth 2.0 client credentials' }[model.auth] ?? model.auth;
  return `${auth}; attribute mapping: ${model.mappingFile ?? 'the default (every attribute the suite sends)'}`;
}

/** "2026-11-28 14:01 UTC": unambiguous for a reader in any time zone. */
export function formatDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function totalsLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed, ${plural(t.warned, 'warning', 'warnings')}, ${t.skipped} skipped (${plural(t.checks, 'check', 'checks')})`;
}

/** What follows PASS/FAIL/WARN/SKIP in the result cell: the gist of the message or the reason. */
export function resultDetail(check: CheckResult): string {
  if (check.status === 'failed' || check.status === 'warned') return firstLine(check.message);
  if (check.status === 'skipped') return `${check.skip === 'blocked' ? 'blocked: ' : ''}${firstLine(check.message)}`;
  return '';
}
