// The PATCH operations Microsoft Entra ID sends to disable and re-enable a user and to keep a
// group's name and members in step (wire-reference.md §5, §7). Each builder returns ONE operation
// object; wrap them with `patchOp(...ops)` from ./entra.ts. Entra's default (no aadOptscim062020
// flag) capitalises the op, sends `active` as the strings "True"/"False", and removes members by
// listing them in `value` with `"$ref": null`.

export interface LifecycleOperation extends Record<string, unknown> {
  op: string;
  path: string;
  value?: unknown;
}

/** A member reference as Entra sends it: `{"$ref": null, "value": "<id>"}`. */
export interface MemberReference extends Record<string, unknown> {
  $ref: null;
  value: string;
}

function memberReferences(ids: readonly string[]): MemberReference[] {
  return ids.map((id) => ({ $ref: null, value: id }));
}

/**
 * `{"op":"Replace","path":"active","value":"False"}`: Entra's default mapping
 * `Switch([IsSoftDeleted], , "False", "True", "True", "False")` yields a STRING, not a boolean.
 */
export function deactivate(): LifecycleOperation {
  return { op: 'Replace', path: 'active', value: 'False' };
}

/** `{"op":"Replace","path":"active","value":"True"}`: the user is restored or back in scope. */
export function reactivate(): LifecycleOperation {
  return { op: 'Replace', path: 'active', value: 'True' };
}

/** `{"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}, ...]}`: one or several members in one operation. */
export function addMembers(...userIds: string[]): LifecycleOperation {
  return { op: 'Add', path: 'members', value: memberReferences(userIds) };
}

/**
 * `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"<id>"}]}`: Entra's default
 * member removal. Not one of RFC 7644 §3.5.2.2's forms: a server that reads it as "remove the
 * attribute" drops every member (MicrosoftDocs/azure-docs #30826).
 */
export function removeMembers(...userIds: string[]): LifecycleOperation {
  return { op: 'Remove', path: 'members', value: memberReferences(userIds) };
}

/** `{"op":"remove","path":"members[value eq \"<id>\"]"}`: the RFC 7644 §3.5.2.2 form, as Entra sends it with aadOptscim062020. */
export function removeMemberByFilter(userId: string): LifecycleOperation {
  return { op: 'remove', path: `members[value eq "${userId}"]` };
}

/** `{"op":"Replace","path":"displayName","value":"<new name>"}`: the group was renamed in the directory. */
export function renameGroup(displayName: string): LifecycleOperation {
  return { op: 'Replace', path: 'displayName', value: displayName };
}
