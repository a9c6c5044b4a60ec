// What differs between provisioning clients, as one small interface: each profile (entra,
// entra-2020, okta, rfc) answers it with the requests its client really sends
// (wire-reference.md §10). Spec files ask the running profile (`client` from src/harness.ts) and
// so read the same whichever profile runs; checks of one client's idiosyncrasy name their profiles.
import type { RequestSpec } from '../client.ts';
import type { Profile } from '../config.ts';
import type { FilterEncoding, UserSeed } from './entra.ts';
import type { UserChanges } from './user-update.ts';

/** A group as a membership change names it: Okta repeats its name with every change. */
export interface GroupRef {
  id: string;
  displayName: string;
}

export interface ClientProfile {
  name: Profile;
  /** How the client encodes `<attribute> eq "<value>"` in a lookup. */
  filterEncoding: FilterEncoding;
  /** The Test Connection request (a path: always a GET). */
  testConnectionPath(randomUserName: string): string;
  /** POST /Users body. */
  createUserBody(seed: UserSeed): Record<string, unknown>;
  /** POST /Groups body. */
  createGroupBody(displayName: string, externalId: string): Record<string, unknown>;
  /** A PatchOp message with the op names spelled as the client spells them (Entra: "Replace"). */
  patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown>;
  /**
   * The request that changes some of a user's attributes (paths: `name.familyName`, URN-qualified),
   * as the client sends it; `current` is the user as a fresh GET shows it (used by the PUT clients).
   */
  updateUser(id: string, current: Readonly<Record<string, unknown>>, changes: UserChanges): RequestSpec;
  /** How the client changes a user's attributes: PATCH operations, or GET then a full PUT. */
  updatesUsersBy: 'PATCH' | 'PUT';
  /** Whether the client takes 404 as "no such resource" in answer to a lookup (Okta does; Entra wants an empty ListResponse). */
  acceptsNotFoundForNoMatch: boolean;
  /** Whether the client ever sends DELETE /Users/{id} (Okta only deactivates). */
  deletesUsers: boolean;
  deactivate(userId: string): RequestSpec;
  reactivate(userId: string): RequestSpec;
  addMembers(group: GroupRef, userIds: readonly string[]): RequestSpec;
  removeMembers(group: GroupRef, userIds: readonly string[]): RequestSpec;
  /** Removal by the RFC 7644 §3.5.2.2 filter form, members[value eq "<id>"], spelled as this client spells it. */
  removeMembersByFilter(group: GroupRef, userIds: readonly string[]): RequestSpec;
  renameGroup(group: GroupRef, displayName: string): RequestSpec;
}

export const patchRequest = (path: string, body: Record<string, unknown>): RequestSpec => ({ method: 'PATCH', path, body });

/** RFC 7644 spells op names in lower case; clients other than Entra's default do too. */
export function lowercaseOps(operations: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return operations.map((o) => (typeof o.op === 'string' ? { ...o, op: o.op.toLowerCase() } : o));
}
