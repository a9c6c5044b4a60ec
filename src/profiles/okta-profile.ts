// Okta's SCIM 2.0 provisioning (wire-reference.md §1, §3, §4, §5, §7): the Test Connector pages
// with count=2, create carries a password and "groups": [], profile updates are GET then a full
// PUT, deactivation is a pathless replace of {"active": false}, users are never deleted, and every
// group membership change repeats the group's id and name in a pathless replace.
import { patchRequest, type ClientProfile, type GroupRef } from './client-profile.ts';
import { emailsOf, patchOp, SCHEMA, type UserSeed } from './entra.ts';
import { putWhole } from './user-update.ts';

/** Okta's create body: no enterprise extension unless mapped; a password it generates. */
function createUserBody(seed: UserSeed): Record<string, unknown> {
  return {
    schemas: [SCHEMA.user],
    userName: seed.userName,
    name: { givenName: seed.givenName, familyName: seed.familyName },
    ...emailsAttribute(seed),
    displayName: `${seed.givenName} ${seed.familyName}`,
    locale: 'en-US',
    externalId: seed.externalId,
    groups: [],
    password: `Okta-${seed.externalId.slice(-8)}-pw1!`,
    active: true,
  };
}

/** `emails` as Okta writes its elements ({primary, value, type}); nothing for a user without an email. */
function emailsAttribute(seed: UserSeed): { emails?: Array<Record<string, unknown>> } {
  const emails = emailsOf(seed);
  return emails.length === 0 ? {} : { emails: emails.map((e) => ({ ...(e.primary && { primary: true }), value: e.value, type: e.type })) };
}

/** Okta's group push: the core schema only, the name, and an empty member list (members follow by PATCH). */
const createGroupBody = (displayName: string) => ({ schemas: [SCHEMA.group], displayName, members: [] });

/** {"op":"replace","value":{"id":"...","displayName":"..."}}: sent with every membership change. */
const restateGroup = (group: GroupRef, displayName = group.displayName) => ({ op: 'replace', value: { id: group.id, displayName } });

/** Okta removes members only by the filter form, after restating the group. */
const removeByFilter = (group: GroupRef, ids: readonly string[]) =>
  patchRequest(`/Groups/${group.id}`, patchOp(restateGroup(group), ...ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }))));

export const oktaProfile: ClientProfile = {
  name: 'okta',
  filterEncoding: 'percent',
  // The Test Connector lists two users; it does not filter.
  testConnectionPath: () => '/Users?startIndex=1&count=2',
  createUserBody,
  createGroupBody,
  patchOp,
  updateUser: putWhole,
  updatesUsersBy: 'PUT',
  acceptsNotFoundForNoMatch: true,
  deletesUsers: false,
  deactivate: (id) => patchRequest(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } })),
  reactivate: (id) => patchRequest(`/Users/${id}`, patchOp({ op: 'replace', value: { active: true } })),
  addMembers: (group, ids) =>
    patchRequest(`/Groups/${group.id}`, patchOp(restateGroup(group), { op: 'add', path: 'members', value: ids.map((value) => ({ value, display: value })) })),
  removeMembers: (group, ids) => removeByFilter(group, ids),
  removeMembersByFilter: (group, ids) => removeByFilter(group, ids),
  renameGroup: (group, displayName) => patchRequest(`/Groups/${group.id}`, patchOp(restateGroup(group, displayName))),
};

