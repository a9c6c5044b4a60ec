// Microsoft Entra ID with the aadOptscim062020 flag on the Tenant URL: RFC-shaped PATCH
// (lowercase ops, boolean active, member removal by filter, members without "$ref").
import { lowercaseOps, patchRequest, type ClientProfile } from './client-profile.ts';
import { createGroupBody, createUserBody, lookupPath, patchOp } from './entra.ts';
import { removeMemberByFilter } from './entra-lifecycle.ts';
import { pathlessReplace } from './user-update.ts';

const rfcPatchOp = (...operations: Array<Record<string, unknown>>) => patchOp(...lowercaseOps(operations));

/** The PATCH forms RFC 7644 §3.5.2 gives, as entra-2020 (and so the rfc profile) sends them. */
const rfcForms = {
  deactivate: (id: string) => patchRequest(`/Users/${id}`, rfcPatchOp({ op: 'replace', path: 'active', value: false })),
  reactivate: (id: string) => patchRequest(`/Users/${id}`, rfcPatchOp({ op: 'replace', path: 'active', value: true })),
  addMembers: (group: { id: string }, ids: readonly string[]) =>
    patchRequest(`/Groups/${group.id}`, rfcPatchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) })),
  removeMembers: (group: { id: string }, ids: readonly string[]) => patchRequest(`/Groups/${group.id}`, rfcPatchOp(...ids.map(removeMemberByFilter))),
  removeMembersByFilter: (group: { id: string }, ids: readonly string[]) => patchRequest(`/Groups/${group.id}`, rfcPatchOp(...ids.map(removeMemberByFilter))),
  renameGroup: (group: { id: string }, displayName: string) => patchRequest(`/Groups/${group.id}`, rfcPatchOp({ op: 'replace', path: 'displayName', value: displayName })),
};

export const entra2020Profile: ClientProfile = {
  name: 'entra-2020',
  filterEncoding: 'entra',
  testConnectionPath: (randomUserName) => lookupPath('Users', 'userName', randomUserName, 'entra'),
  createUserBody,
  createGroupBody,
  patchOp: rfcPatchOp,
  updateUser: (id, _current, changes) => pathlessReplace(id, changes),
  updatesUsersBy: 'PATCH',
  acceptsNotFoundForNoMatch: false,
  deletesUsers: true,
  ...rfcForms,
};
