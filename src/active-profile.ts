// The profile this run replays (SCIM_PROFILE), for spec files: `client.deactivate(id)` is
// whatever the chosen client sends to deactivate a user.
import type { Profile } from './config.ts';
import { CLIENT_PROFILES, type ClientProfile } from './profiles/index.ts';
import { filterParam } from './filter-query.ts';
import { lookupPath as lookupPathIn, type FilterEncoding } from './profiles/entra.ts';
import { target } from './suite.ts';

export const client = CLIENT_PROFILES[target.profile];

/** GET path of a one-attribute equality lookup, encoded as the running client encodes it. */
export function lookupPath(endpoint: 'Users' | 'Groups', attribute: string, value: string, encoding: FilterEncoding = client.filterEncoding): string {
  return lookupPathIn(endpoint, attribute, value, encoding);
}

/** `filter=<expression>` for any filter expression, encoded as the running client encodes its lookups. */
export function filterQuery(expression: string): string {
  return filterParam(expression, client.filterEncoding === 'percent' ? 'percent' : 'entra');
}

/** The profiles whose client does something, for a check's `profiles`: profilesWhere((p) => p.deletesUsers). */
export function profilesWhere(test: (profile: ClientProfile) => boolean): Profile[] {
  return Object.values(CLIENT_PROFILES)
    .filter(test)
    .map((p) => p.name);
}
