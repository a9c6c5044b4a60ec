// Step 6, group membership (only when the app provisions groups). Entra looks a group up by
// displayName with excludedAttributes=members, creates it with an empty member list and its extra
// ADSCIM schema URI, then keeps it in step with PATCH: Add members (several in one operation),
// Remove members by listing them in "value" (its default, not an RFC form), rename with Replace
// displayName, and finally DELETE. Other clients spell the same changes their way (Okta restates
// the group's id and name with every membership change); the running profile sends its own.
// Every change is proven by a fresh GET, never by the PATCH answer.
import { beforeAll, describe } from 'vitest';
import {
  check,
  client,
  createGroup,
  entra,
  expectEmptyListResponse,
  expectJsonObject,
  expectListResponse,
  expectMemberIds,
  expectNoMatch,
  expectOnlyResource,
  expectSchema,
  expectScimError,
  expectStatus,
  expectThat,
  lifecycle,
  listsMember,
  memberIdsOf,
  once,
  randomGuid,
  requires,
  sceneryUser,
  scim,
  target,
  timesListed,
  uniqueName,
} from '../src/harness.ts';

const PATCH_ANSWER =
  'RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response code and the entire resource within the response body ... or MAY return HTTP status code 204 (No Content)"; Entra: "Update to the group PATCH request should yield an HTTP 204 No Content in the response"';
const CREATE =
  'RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP response SHALL be returned with HTTP status code 201 (Created)"; Entra: "Groups are created with an empty members list" and caches the returned id';
const LOOKUP =
  'Entra: matches groups with GET /Groups?excludedAttributes=members&filter=displayName eq "..." ("Use the displayName attribute to query groups") and must find exactly the one group';
const NO_MATCH = 'Entra: "Response to a query/filter request should always be a ListResponse"; RFC 7644 §3.4.2: a query that matches nothing answers 200 with totalResults 0';
const UNIQUE =
  'Entra: "Groups must have uniqueness on the \'displayName\' value to match with Microsoft Entra ID and the SCIM application ... a requirement for integrating a SCIM endpoint with Microsoft Entra ID"; RFC 7644 §3.3: on a conflict "the service provider MUST return HTTP status code 409 (Conflict) with a "scimType" error code of "uniqueness""';
const ADD = 'RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value is added to the attribute."';
const ADD_AGAIN =
  'RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes SHOULD be made to the resource, and a success response SHOULD be returned."';
const REMOVE_BY_VALUE =
  'Entra: removes a member with {"op":"Remove","path":"members","value":[{"$ref":null,"value":"<id>"}]} (its default); a server that reads it as "remove all members" breaks membership (MicrosoftDocs/azure-docs #30826, AzureAD/SCIMReferenceCode #10)';
const REMOVE_BY_FILTER =
  'RFC 7644 §3.5.2.2: "If the target location is a multi-valued attribute and a complex filter is specified comparing a "value", the values matched by the filter are removed."; Entra sends this form with aadOptscim062020';
const EXCLUDED =
  'RFC 7644 §3.4.2.5: "SCIM clients MAY use one of these two OPTIONAL parameters, which MUST be supported by SCIM service providers"; excludedAttributes is "A multi-valued list of strings indicating the names of resource attributes to be removed from the default set of attributes to return" (members is returned "default", RFC 7643 §8.7.1); Entra: "Requests to retrieve groups specify that the members attribute is to be excluded from any resource provided in response to the request"';
const RENAME =
  'RFC 7644 §3.5.2.3: "The "replace" operation replaces the value at the target location specified by the "path"." (without a path, "the "value" parameter contains a list of one or more attributes that are to be replaced"); Entra renames with {"op":"Replace","path":"displayName",...}, Okta with {"op":"replace","value":{"id":"...","displayName":"..."}}';
const DELETE_204 = 'RFC 7644 §3.6: "In response to a successful DELETE, the server SHALL return a successful HTTP status code 204 (No Content)."';
const GONE =
  'RFC 7644 §3.6: "Service providers MAY choose not to permanently delete the resource but MUST return a 404 (Not Found) error code for all operations associated with the previously deleted resource."';

/** Entra's group lookup: excludedAttributes=members, then the displayName filter in its encoding. */
const groupLookup = (displayName: string) => `/Groups?excludedAttributes=members&${entra.filterEncodings[client.filterEncoding]('displayName', displayName)}`;

describe('06 Group membership', () => {
  // Another group exists, so that an endpoint that ignores the filter returns it and fails GROUP-03.
  beforeAll(async () => {
    if (target.groups) await createGroup('group-bystander');
  });

  // The group as the client creates it (Entra: its POST /Groups body with the ADSCIM schema URI),
  // or when the server refuses that body, with the core Group schema alone (GROUP-01 fails then).
  const group = once(() => createGroup('group'));
  const groupId = async () => {
    const created = await group();
    const plainToo = created.res !== created.asClientSends ? `, and so did the core-only body after the client's got ${created.asClientSends.status}` : '';
    return requires(created.id, `POST /Groups answered ${created.res.status} without an id${plainToo}`);
  };
  /** The group as a membership change names it (Okta repeats its id and name). */
  const groupRef = async () => ({ id: await groupId(), displayName: (await group()).displayName });

  // Three users to be members.
  const userId = (label: string) =>
    once(async () => {
      const user = await sceneryUser(label);
      return requires(user.id, `POST /Users for the member "${label}" answered ${user.res.status} without an id`);
    });
  const alice = userId('member-a');
  const bob = userId('member-b');
  const carol = userId('member-c');

  /** The group's member ids now, from a fresh GET /Groups/{id}. */
  const membersNow = async (id: string, what: string) => {
    const res = await scim.get(`/Groups/${id}`);
    return { res, ids: expectMemberIds(res, what) };
  };

  // Alice, Bob and Carol as members, for the checks after GROUP-07: GROUP-06/07 add them as the
  // client does; whoever that did not add is added here with the plain RFC 7644 §3.5.2.1 form.
  const members = once(async () => {
    const id = await groupId();
    const wanted = [await alice(), await bob(), await carol()];
    const now = await scim.get(`/Groups/${id}`);
    const missing = wanted.filter((m) => !listsMember(now, m));
    if (missing.length > 0) {
      const plainAdd = { schemas: [entra.SCHEMA.patchOp], Operations: [{ op: 'add', path: 'members', value: missing.map((value) => ({ value })) }] };
      await scim.patch(`/Groups/${id}`, plainAdd);
    }
  });

  check(
    {
      id: 'GROUP-01',
      severity: 'must',
      groups: true,
      requirement: CREATE,
      title: 'POST /Groups with the body the client sends (Entra: core and ADSCIM schema URIs, externalId, displayName) answers 201 with an id and no members',
    },
    async () => {
      const { asClientSends: res } = await group();
      expectStatus(res, 201);
      const body = expectJsonObject(res);
      expectThat(typeof body.id === 'string' && body.id !== '', `expected a non-empty string "id", got ${JSON.stringify(body.id)}`, res);
      expectThat(memberIdsOf(body, res).length === 0, `expected the new group to have no members, got ${JSON.stringify(body.members)}`, res);
    },
  );

  check(
    {
      id: 'GROUP-02',
      severity: 'must',
      groups: true,
      requirement:
        'RFC 7643 §4.2 (Group: schemas, displayName, members); RFC 7643 §3.1: "When accepted by a service provider (e.g., after a SCIM create), the attributes "id" and "meta" (and its associated sub-attributes) MUST be assigned values by the service provider."',
      title: 'The 201 answer to POST /Groups is a valid SCIM Group (schemas, id, displayName, meta)',
    },
    async () => {
      const { res } = await group();
      requires(res.status < 300 ? res : undefined, `POST /Groups answered ${res.status}, also with the core Group schema alone`);
      expectSchema(res, 'group-response');
    },
  );

  check(
    {
      id: 'GROUP-03',
      severity: 'must',
      groups: true,
      requirement: LOOKUP,
      title: 'GET /Groups?excludedAttributes=members&filter=displayName eq "<new group>" answers exactly that group (with another group present)',
    },
    async () => {
      const id = await groupId();
      const { displayName } = await group();
      expectOnlyResource(await scim.get(groupLookup(displayName)), id, 'group');
    },
  );

  check(
    {
      id: 'GROUP-04',
      severity: 'must',
      groups: true,
      requirement: NO_MATCH,
      title: 'GET /Groups?excludedAttributes=members&filter=displayName eq "<no such group>" answers 200 with an empty ListResponse (Okta, which reads 404 as no match, also takes 404)',
    },
    async () => {
      expectNoMatch(await scim.get(groupLookup(`no-such-group-${randomGuid()}`)));
    },
  );

  check(
    {
      id: 'GROUP-05',
      severity: 'must',
      groups: true,
      requirement: UNIQUE,
      title: 'A second POST /Groups with the same displayName answers 409 with scimType "uniqueness"',
    },
    async () => {
      await groupId();
      // The body that created the group, so that only the name can make it a duplicate.
      const { body } = await group();
      const res = await scim.post('/Groups', 'externalId' in body ? { ...body, externalId: uniqueName('group-dup-ext') } : body);
      // A duplicate that was created would make later lookups by this name ambiguous: remove it now.
      const duplicateId = (res.json as { id?: unknown } | undefined)?.id;
      if (res.status < 300 && typeof duplicateId === 'string') await scim.delete(`/Groups/${duplicateId}`);
      expectScimError(res, 409, 'uniqueness');
    },
  );

  check(
    {
      id: 'GROUP-06',
      severity: 'must',
      groups: true,
      requirement: `${ADD}; ${PATCH_ANSWER}`,
      title: 'PATCH /Groups/{id} adding a member as the client sends it (Entra: {"op":"Add","path":"members","value":[{"$ref":null,"value":"<user>"}]}) answers 200 or 204, and GET /Groups/{id} lists the user',
    },
    async () => {
      const id = await groupId();
      const a = await alice();
      const res = await scim.request(client.addMembers(await groupRef(), [a]));
      expectStatus(res, [200, 204], 'PATCH Add one member');
      const after = await membersNow(id, 'GET /Groups/{id} after the Add');
      expectThat(after.ids.includes(a), `expected ${a} among the members, got ${JSON.stringify(after.ids)}`, after.res);
    },
  );

  check(
    {
      id: 'GROUP-07',
      severity: 'must',
      groups: true,
      requirement: `Entra: several members arrive in one Add operation; ${ADD}`,
      title: 'One Add operation with two members answers 200 or 204, and GET /Groups/{id} lists both new members and keeps the earlier one',
    },
    async () => {
      const id = await groupId();
      const [b, c] = [await bob(), await carol()];
      const before = await membersNow(id, 'GET /Groups/{id} before the Add');
      const res = await scim.request(client.addMembers(await groupRef(), [b, c]));
      expectStatus(res, [200, 204], 'PATCH Add two members');
      const after = await membersNow(id, 'GET /Groups/{id} after the Add');
      const expected = [...before.ids, b, c];
      const missing = expected.filter((m) => !after.ids.includes(m));
      expectThat(missing.length === 0, `expected ${JSON.stringify(expected)} among the members; missing ${JSON.stringify(missing)}`, after.res);
    },
  );

  check(
    {
      id: 'GROUP-08',
      severity: 'should',
      groups: true,
      requirement: ADD_AGAIN,
      title: 'Adding a user who is already a member answers 200 or 204 and leaves the user listed once',
    },
    async () => {
      const id = await groupId();
      const a = await alice();
      await members();
      const before = await membersNow(id, 'GET /Groups/{id} before the second Add');
      requires(before.ids.includes(a) || undefined, 'the user is not a member, not even after a plain RFC add, so adding it again proves nothing');
      const res = await scim.request(client.addMembers(await groupRef(), [a]));
      expectStatus(res, [200, 204], 'PATCH Add of an existing member');
      const after = await membersNow(id, 'GET /Groups/{id} after the second Add');
      expectThat(timesListed(after.ids, a) === 1, `expected ${a} listed once, got ${timesListed(after.ids, a)} times`, after.res);
      expectThat(after.ids.length === before.ids.length, `expected ${before.ids.length} members as before, got ${after.ids.length}`, after.res);
    },
  );

  check(
    {
      id: 'GROUP-09',
      severity: 'must',
      groups: true,
      requirement: EXCLUDED,
      title: 'GET /Groups?excludedAttributes=members&filter=displayName eq "..." of a group with members returns it without "members"',
    },
    async () => {
      const id = await groupId();
      const { displayName } = await group();
      await members();
      requires((await membersNow(id, 'GET /Groups/{id}')).ids.length > 0 || undefined, 'the group has no members, not even after a plain RFC add, so excluding them proves nothing');
      const res = await scim.get(groupLookup(displayName));
      const found = expectOnlyResource(res, id, 'group');
      expectThat(!('members' in found), `expected no "members" in the group returned, got ${JSON.stringify(found.members)}`, res);
    },
  );

  check(
    {
      id: 'GROUP-10',
      severity: 'must',
      groups: true,
      requirement: EXCLUDED,
      title: 'GET /Groups/{id}?excludedAttributes=members of a group with members answers 200 without "members"',
    },
    async () => {
      const id = await groupId();
      await members();
      requires((await membersNow(id, 'GET /Groups/{id}')).ids.length > 0 || undefined, 'the group has no members, not even after a plain RFC add, so excluding them proves nothing');
      const res = await scim.get(`/Groups/${id}?excludedAttributes=members`);
      expectStatus(res, 200);
      const body = expectJsonObject(res);
      expectThat(!('members' in body), `expected no "members", got ${JSON.stringify(body.members)}`, res);
    },
  );

  check(
    {
      id: 'GROUP-11',
      severity: 'must',
      profiles: ['entra'],
      groups: true,
      requirement: `${REMOVE_BY_VALUE}; ${PATCH_ANSWER}`,
      title: 'PATCH {"op":"Remove","path":"members","value":[{"$ref":null,"value":"<member>"}]} (Entra\'s default) removes exactly that member and keeps the others',
    },
    async () => {
      const id = await groupId();
      const b = await bob();
      await members();
      const before = await membersNow(id, 'GET /Groups/{id} before the Remove');
      const others = before.ids.filter((m) => m !== b);
      requires(before.ids.includes(b) && others.length > 0 ? true : undefined, 'the group does not hold this member and another one, not even after a plain RFC add');
      const res = await scim.patch(`/Groups/${id}`, entra.patchOp(lifecycle.removeMembers(b)));
      expectStatus(res, [200, 204], 'PATCH Remove by value');
      const after = await membersNow(id, 'GET /Groups/{id} after the Remove');
      expectThat(!after.ids.includes(b), `expected ${b} to be removed, but it is still a member`, after.res);
      const lost = others.filter((m) => !after.ids.includes(m));
      expectThat(lost.length === 0, `expected the other members to stay, but ${JSON.stringify(lost)} were removed too`, after.res);
    },
  );

  check(
    {
      id: 'GROUP-12',
      severity: 'must',
      groups: true,
      requirement: `${REMOVE_BY_FILTER}; ${PATCH_ANSWER}`,
      title: 'PATCH {"op":"remove","path":"members[value eq \\"<member>\\"]"} removes exactly that member and keeps the others',
    },
    async () => {
      const id = await groupId();
      const c = await carol();
      await members();
      const before = await membersNow(id, 'GET /Groups/{id} before the remove');
      const others = before.ids.filter((m) => m !== c);
      requires(before.ids.includes(c) && others.length > 0 ? true : undefined, 'the group does not hold this member and another one, not even after a plain RFC add');
      const res = await scim.request(client.removeMembersByFilter(await groupRef(), [c]));
      expectStatus(res, [200, 204], 'PATCH remove by members[value eq ...]');
      const after = await membersNow(id, 'GET /Groups/{id} after the remove');
      expectThat(!after.ids.includes(c), `expected ${c} to be removed, but it is still a member`, after.res);
      const lost = others.filter((m) => !after.ids.includes(m));
      expectThat(lost.length === 0, `expected the other members to stay, but ${JSON.stringify(lost)} were removed too`, after.res);
    },
  );

  // The rename the client sends when the group's name changes in the directory.
  const rename = once(async () => {
    const ref = await groupRef();
    const { id, displayName: oldName } = ref;
    const newName = uniqueName('group-renamed');
    const res = await scim.request(client.renameGroup(ref, newName));
    return { id, oldName, newName, res };
  });

  check(
    {
      id: 'GROUP-13',
      severity: 'must',
      groups: true,
      requirement: `${RENAME}; ${PATCH_ANSWER}`,
      title: 'PATCH /Groups/{id} renaming the group as the client sends it (Entra: {"op":"Replace","path":"displayName","value":"<new name>"}) answers 200 or 204, and the lookup by the new name finds exactly the group',
    },
    async () => {
      const { id, newName, res } = await rename();
      expectStatus(res, [200, 204], 'PATCH Replace displayName');
      expectOnlyResource(await scim.get(groupLookup(newName)), id, 'group');
    },
  );

  check(
    {
      id: 'GROUP-14',
      severity: 'must',
      groups: true,
      requirement: `${RENAME}; ${LOOKUP}`,
      title: 'After the rename, the lookup by the old displayName answers an empty ListResponse (Okta, which reads 404 as no match, also takes 404)',
    },
    async () => {
      const { oldName, res } = await rename();
      requires(res.status < 300 ? res : undefined, `the rename answered ${res.status} (see GROUP-13)`);
      expectNoMatch(await scim.get(groupLookup(oldName)));
    },
  );

  check(
    {
      id: 'GROUP-17',
      severity: 'must',
      groups: true,
      profiles: ['okta'],
      requirement: `Okta (SCIM 2.0 reference, wire-reference.md §7, §10): a membership change is one PATCH that restates the group, {"op":"replace","value":{"id":"<group>","displayName":"<name>"}}, before the member operations, so a rename made in Okta arrives with the next membership change; ${RENAME}; ${ADD}`,
      title: 'One PATCH /Groups/{id} restating the group under a new displayName and adding a member answers 200 or 204, and a fresh GET shows both the new name and the member',
    },
    async () => {
      const created = await createGroup('group-okta-restate');
      const id = requires(created.id, `POST /Groups answered ${created.res.status} without an id (see GROUP-01)`);
      const a = await alice();
      const newName = uniqueName('group-okta-renamed');
      const res = await scim.request(client.addMembers({ id, displayName: newName }, [a]));
      expectStatus(res, [200, 204], 'PATCH restating the group and adding a member');
      const after = await scim.get(`/Groups/${id}`);
      expectStatus(after, 200, 'GET /Groups/{id} after the PATCH');
      expectThat(expectJsonObject(after).displayName === newName, `expected displayName ${JSON.stringify(newName)}, got ${JSON.stringify(expectJsonObject(after).displayName)}`, after);
      expectThat(expectMemberIds(after).includes(a), `expected ${a} among the members`, after);
    },
  );

  const deletion = once(async () => {
    const id = await groupId();
    return { id, res: await scim.delete(`/Groups/${id}`) };
  });

  check(
    {
      id: 'GROUP-15',
      severity: 'must',
      groups: true,
      requirement: DELETE_204,
      title: 'DELETE /Groups/{id} answers 204 No Content with an empty body',
    },
    async () => {
      const { res } = await deletion();
      expectStatus(res, 204);
      expectThat(res.text === '', `expected no body with 204 No Content, got ${res.text.length} characters`, res);
    },
  );

  check(
    {
      id: 'GROUP-16',
      severity: 'must',
      groups: true,
      requirement: GONE,
      title: 'After the DELETE, GET /Groups/{id} answers 404',
    },
    async () => {
      const { id, res } = await deletion();
      requires(res.status < 300 ? res : undefined, `DELETE /Groups/{id} answered ${res.status} (see GROUP-15)`);
      expectStatus(await scim.get(`/Groups/${id}`), 404, 'GET /Groups/{id} of the deleted group');
    },
  );
});
