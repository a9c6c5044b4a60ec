// Everything a spec file needs, from one import.
export { check } from './check.ts';
export { scim, target, wrongCredential } from './suite.ts';
export { client, expectNoMatch, filterQuery, lookupPath, matchingAttribute, profilesWhere, requireMapped } from './active-profile.ts';
export type { ScimResponse } from './client.ts';
export * from './expect.ts';
export * from './fixtures.ts';
export * from './readback.ts';
export * from './lookup.ts';
export * from './group-members.ts';
export * from './filter-query.ts';
export * from './capabilities.ts';
export * from './tenant-path.ts';
export { randomGuid, uniqueName } from './names.ts';
export { splitCustomAttribute } from './mapping.ts';
export * as entra from './profiles/entra.ts';
export * as patch from './profiles/entra-patch.ts';
export * as lifecycle from './profiles/entra-lifecycle.ts';
