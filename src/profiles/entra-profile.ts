// Microsoft Entra ID's provisioning service, default behaviour (no aadOptscim062020 flag).
import { patchRequest, type ClientProfile } from './client-profile.ts';
import { replacePerPath } from './user-update.ts';
import { createGroupBody, createUserBody, lookupPath, patchOp } from './entra.ts';
import { addMembers, deactivate, reactivate, removeMemberByFilter, removeMembers, renameGroup } from './entra-lifecycle.ts';

export const entraProfile: ClientProfile = {
  name: 'entra',
  filterEncoding: 'entra',
  testConnectionPath: (randomUserName) => lookupPath('Users', 'userName', randomUserName, 'entra'),
  createUserBody,
  createGroupBody,
  patchOp,
  updateUser: (id, _current, changes) => replacePerPath(id, changes),
  updatesUsersBy: 'PATCH',
  acceptsNotFoundForNoMatch: false,
  deletesUsers: true,
  deactivate: (id) => patchRequest(`/Users/${id}`, patchOp(deactivate())),
  reactivate: (id) => patchRequest(`/Users/${id}`, patchOp(reactivate())),
  addMembers: (group, ids) => patchRequest(`/Groups/${group.id}`, patchOp(addMembers(...ids))),
  removeMembers: (group, ids) => patchRequest(`/Groups/${group.id}`, patchOp(removeMembers(...ids))),
  // Entra sends this form only with aadOptscim062020; an endpoint for Entra must take both.
  removeMembersByFilter: (group, ids) => patchRequest(`/Groups/${group.id}`, patchOp(...ids.map(removeMemberByFilter))),
  renameGroup: (group, displayName) => patchRequest(`/Groups/${group.id}`, patchOp(renameGroup(displayName))),
};
