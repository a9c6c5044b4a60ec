// The three ways clients send a change of user attributes (wire-reference.md §4, §10): Entra one
// "Replace" per path, Entra with aadOptscim062020 one pathless "replace" with dotted and URN keys,
// Okta the whole user, as a fresh GET showed it, with the changes, by PUT.
import type { RequestSpec } from '../client.ts';
import { lowercaseOps, patchRequest } from './client-profile.ts';
import { patchOp } from './entra.ts';

/** Attribute paths (`nickName`, `name.familyName`, `urn:...:enterprise:2.0:User:department`) and their new values. */
export type UserChanges = Readonly<Record<string, unknown>>;

/** `{"op":"Replace","path":<path>,"value":...}` for each change, in one PatchOp (Entra's default; RFC 7644 spells it "replace"). */
export const replacePerPath = (id: string, changes: UserChanges, op: 'Replace' | 'replace' = 'Replace'): RequestSpec =>
  patchRequest(`/Users/${id}`, patchOp(...Object.entries(changes).map(([path, value]) => ({ op, path, value }))));

/** One `{"op":"replace","value":{<path>: ...}}` (Entra with aadOptscim062020). */
export const pathlessReplace = (id: string, changes: UserChanges): RequestSpec => patchRequest(`/Users/${id}`, patchOp(...lowercaseOps([{ op: 'replace', value: { ...changes } }])));

/** PUT of `current` (meta left out: the server assigns it) with each change written at its path. */
export function putWhole(id: string, current: Readonly<Record<string, unknown>>, changes: UserChanges): RequestSpec {
  const { meta: _meta, ...user } = structuredClone(current) as Record<string, unknown>;
  for (const [path, value] of Object.entries(changes)) setAt(user, path, value);
  return { method: 'PUT', path: `/Users/${id}`, body: user };
}

/** Writes `value` at a dotted path; a URN-qualified path lands in its extension object. */
function setAt(resource: Record<string, unknown>, path: string, value: unknown): void {
  const urn = /^(urn:.+):([^:]+)$/i.exec(path);
  const [container, attributePath] = urn ? [objectAt(resource, urn[1]!), urn[2]!] : [resource, path];
  const names = attributePath.split('.');
  const last = names.pop()!;
  const parent = names.reduce(objectAt, container);
  parent[last] = value;
}

function objectAt(holder: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = holder[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  holder[key] = created;
  return created;
}
