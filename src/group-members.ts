// Reading a group's membership from an answer: the `value` (the member's id, RFC 7643 §4.2) of
// every element of `members`. An absent or null `members` is an empty group (RFC 7643 §2.5:
// unassigned attributes may be omitted or null).
import type { ScimResponse } from './client.ts';
import { expectJsonObject, expectStatus, fail } from './expect.ts';

/** The member ids of a group body; fails when `members` is neither absent, null nor a list of objects with a string `value`. */
export function memberIdsOf(group: Record<string, unknown>, res?: ScimResponse): string[] {
  const members = group.members;
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) fail(`expected "members" to be a list, got ${JSON.stringify(members).slice(0, 200)}`, res);
  return members.map((member: unknown, i) => {
    const value = (member as { value?: unknown } | null)?.value;
    if (typeof value !== 'string') fail(`expected members[${i}].value to be the member's id (a string), got ${JSON.stringify(member).slice(0, 200)}`, res);
    return value;
  });
}

/** A GET /Groups/{id} answer: 200 with a JSON object; answers the ids of its members. */
export function expectMemberIds(res: ScimResponse, what = 'GET /Groups/{id}'): string[] {
  expectStatus(res, 200, what);
  return memberIdsOf(expectJsonObject(res), res);
}

/** How often `id` is listed (a member listed twice is a duplicate). */
export function timesListed(ids: readonly string[], id: string): number {
  return ids.filter((x) => x === id).length;
}

/** Whether a GET /Groups/{id} answer lists `id` as a member; false for any other answer. For setting up scenery, never throws. */
export function listsMember(res: ScimResponse, id: string): boolean {
  const members = (res.json as { members?: unknown } | undefined)?.members;
  return res.status === 200 && Array.isArray(members) && members.some((m: unknown) => (m as { value?: unknown } | null)?.value === id);
}
