// The profile this run replays (SCIM_PROFILE), for spec files: `client.deactivate(id)` is
// whatever the chosen client sends to deactivate a user.
import type { Profile } from './config.ts';
import type { ScimResponse } from './client.ts';
import { applicableOnlyIf, expectEmptyListResponse } from './expect.ts';
import { filterParam } from './filter-query.ts';
import { applyMapping, isMapped, type MatchingAttribute } from './mapping.ts';
import { lookupPath as lookupPathIn, type FilterEncoding } from './profiles/entra.ts';
import { CLIENT_PROFILES, type ClientProfile } from './profiles/index.ts';
import { target } from './suite.ts';

const profile = CLIENT_PROFILES[target.profile];

/** The running profile, its user bodies cut to the tenant's attribute mapping (SCIM_MAPPING). */
export const client: ClientProfile = { ...profile, createUserBody: (seed) => applyMapping(profile.createUserBody(seed), target.mapping) };

/** The attribute the client matches users by (SCIM_MAPPING; userName by default). */
export const matchingAttribute: MatchingAttribute = target.mapping?.matchingAttribute ?? 'userName';

/** Skips the check as not applicable when the mapping does not write one of these attributes. */
export function requireMapped(...attributes: string[]): void {
  const missing = attributes.filter((a) => !isMapped(target.mapping, a));
  applicableOnlyIf(missing.length === 0, `not in the attribute mapping (${target.mapping?.file}): ${missing.join(', ')}`);
}

/** GET path of a one-attribute equality lookup, encoded as the running client encodes it. */
export function lookupPath(endpoint: 'Users' | 'Groups', attribute: string, value: string, encoding: FilterEncoding = client.filterEncoding): string {
  return lookupPathIn(endpoint, attribute, value, encoding);
}

/** `filter=<expression>` for any filter expression, encoded as the running client encodes its lookups. */
export function filterQuery(expression: string): string {
  return filterParam(expression, client.filterEncoding === 'percent' ? 'percent' : 'entra');
}

/**
 * A lookup that must find nothing: an empty ListResponse, or for a client that reads 404 as "not
 * found" (Okta) a 404 too.
 */
export function expectNoMatch(res: ScimResponse): void {
  if (client.acceptsNotFoundForNoMatch && res.status === 404) return;
  expectEmptyListResponse(res);
}

/** The profiles whose client does something, for a check's `profiles`: profilesWhere((p) => p.deletesUsers). */
export function profilesWhere(test: (profile: ClientProfile) => boolean): Profile[] {
  return Object.values(CLIENT_PROFILES)
    .filter(test)
    .map((p) => p.name);
}
