// Everything a spec file needs, from one import.
export { check } from './check.ts';
export { scim, target } from './suite.ts';
export * from './expect.ts';
export * from './fixtures.ts';
export { randomGuid, uniqueName } from './names.ts';
export * as entra from './profiles/entra.ts';
