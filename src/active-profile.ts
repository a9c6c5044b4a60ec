// The profile this run replays (SCIM_PROFILE), for spec files: `client.deactivate(id)` is
// whatever the chosen client sends to deactivate a user.
import type { Profile } from './config.ts';
import type { ScimResponse } from './client.ts';
import { applicableOnlyIf, expectEmptyListResponse, NotApplicable } from './expect.ts';
import { filterParam } from './filter-query.ts';
import { CORE_SCHEMA, defines, requiredAttributes, type ResourceName } from './discovery.ts';
import { fitCreateBody } from './fit-body.ts';
import { applyMapping, isMapped, type MatchingAttribute } from './mapping.ts';
import { lookupPath as lookupPathIn, type FilterEncoding } from './profiles/entra.ts';
import { CLIENT_PROFILES, type ClientProfile } from './profiles/index.ts';
import { serverSchema } from './server-schema.ts';
import { target } from './suite.ts';

const profile = CLIENT_PROFILES[target.profile];
/** The rfc profile sends only what the server defines; the clients send what their mapping sends. */
const strict = target.profile === 'rfc';

/**
 * The running profile, its create bodies cut to the tenant's attribute mapping (SCIM_MAPPING) and
 * fitted to what the server publishes (src/fit-body.ts).
 */
export const client: ClientProfile = {
  ...profile,
  createUserBody: (seed) =>
    fitCreateBody(serverSchema(), 'User', applyMapping(profile.createUserBody(seed), target.mapping), { name: seed.externalId, givenName: seed.givenName, familyName: seed.familyName, email: seed.email }, strict),
  createGroupBody: (displayName, externalId) => fitCreateBody(serverSchema(), 'Group', profile.createGroupBody(displayName, externalId), { name: displayName }, strict),
};

/**
 * Why the server's discovery documents rule an attribute out, in the client's terms: a client
 * whose mapping sends it gets mapping advice; the rfc profile simply does not send it.
 */
export function notDefinedReason(resource: ResourceName, attribute: string): string {
  const published = `the server does not define ${attribute} (its /ResourceTypes and /Schemas publish no such ${resource} attribute or extension)`;
  if (strict) return `${published}, so the rfc profile does not send it`;
  return `${published}; ${mappingAdvice(attribute)}`;
}

/** What the admin should change: a mapping of the client that writes an attribute the server does not keep. */
export function mappingAdvice(attribute: string): string {
  return `if the ${CLIENT_NAMES[target.profile]} attribute mapping writes ${attribute}, remove that mapping: the server does not define it, so it ignores the value or refuses the update`;
}

/** Not applicable because the server does not define the attribute, with mapping advice for a client whose mapping sends it. */
export function requireDefined(attributes: readonly string[], resource: ResourceName = 'User'): void {
  const missing = attributes.filter((a) => !serverDefines(a, resource));
  if (missing.length > 0) notDefined(resource, missing);
}

/** Ends the check as not applicable: the server does not define these attributes (with mapping advice for a client). */
export function notDefined(resource: ResourceName, attributes: readonly string[]): never {
  const named = attributes.join(', ');
  throw new NotApplicable(notDefinedReason(resource, named), strict ? undefined : mappingAdvice(named));
}

/** Attributes every client's lifecycle depends on (matching, deactivation): their checks run whatever /Schemas say. */
const CLIENT_CRITICAL = new Set(['userName', 'active']);

const CLIENT_NAMES: Record<Profile, string> = { entra: 'Entra', 'entra-2020': 'Entra', okta: 'Okta', rfc: 'RFC' };

/** Whether the server marks a top-level User (or Group) attribute required: true in its /Schemas. */
export function serverRequires(attribute: string, resource: ResourceName = 'User'): boolean {
  return requiredAttributes(serverSchema(), CORE_SCHEMA[resource]).some((a) => a.name.toLowerCase() === attribute.toLowerCase());
}

/** Whether the server defines a User (or Group) attribute, per its discovery documents (unknown counts as defined). */
export function serverDefines(attribute: string, resource: ResourceName = 'User'): boolean {
  return defines(serverSchema(), resource, attribute);
}

/** The attribute the client matches users by (SCIM_MAPPING; userName by default). */
export const matchingAttribute: MatchingAttribute = target.mapping?.matchingAttribute ?? 'userName';

/**
 * Skips the check as not applicable unless each of these User attributes is written by the client
 * (the attribute mapping, SCIM_MAPPING) and defined by the server (its /Schemas): a check that an
 * attribute is stored proves nothing where RFC 7644 §3.3 lets the server ignore it.
 */
export function requireMapped(...attributes: string[]): void {
  const missing = attributes.filter((a) => !isMapped(target.mapping, a));
  applicableOnlyIf(missing.length === 0, `not in the attribute mapping (${target.mapping?.file}): ${missing.join(', ')}`);
  // What the client's provisioning rests on is never excused by discovery: an undefined active fails where it is used.
  requireDefined(attributes.filter((a) => !CLIENT_CRITICAL.has(a)));
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
