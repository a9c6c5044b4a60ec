// Step 5, deactivate and delete: a user is unassigned, goes out of scope or is soft-deleted in the
// directory. The client does not delete the user then: it disables it with a PATCH of active
// (Entra: {"op":"Replace","path":"active","value":"False"}, a string from its default mapping;
// Okta: {"op":"replace","value":{"active":false}}) and expects the user to stay readable,
// inactive, and to come back when re-enabled. Only a hard delete in the directory sends
// DELETE /Users/{id} (Entra; Okta never deletes users), after which the user is gone for every operation.
import { beforeAll, describe } from 'vitest';
import {
  applicableOnlyIf,
  buildScenery,
  check,
  client,
  createGroup,
  expectEmptyListResponse,
  expectEqual,
  expectJsonObject,
  expectMemberIds,
  expectOnlyResource,
  expectStatus,
  expectThat,
  listsMember,
  lookupPath,
  once,
  patchRequest,
  profilesWhere,
  requireMapped,
  requires,
  sceneryFailure,
  sceneryUser,
  scim,
  succeeded,
  target,
} from '../src/harness.ts';

const DISABLE =
  'Entra: "For SCIM applications, a disable is a request to set the active property to false on a user"; its default mapping sends the string "False" (Switch([IsSoftDeleted], , "False", "True", "True", "False")); Okta deactivates with {"op":"replace","value":{"active":false}}';
const PATCH_ANSWER =
  'RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response code and the entire resource within the response body ... or MAY return HTTP status code 204 (No Content)"';
const BOOLEAN =
  'RFC 7643 §4.1.1: active is "A Boolean value indicating the User\'s administrative status"; RFC 7643 §2.3.2: a boolean is "The literal "true" or "false"" (Entra reads it back as a JSON boolean)';
const STAYS =
  'Entra: a user removed from scope, unassigned or soft-deleted is disabled "via an update", not deleted; it keeps matching the user by userName (GET /Users?filter=userName eq "...") and must find it';
const KEEPS_GROUPS =
  'Entra: "When a user goes from soft-deleted to active, the Microsoft Entra provisioning service activates the user in the target app, but doesn\'t automatically restore the dynamic membership group. The target application should maintain the dynamic membership group for the user in inactive state."';
const REACTIVATE =
  'Entra: "When a user goes from soft-deleted to active, the Microsoft Entra provisioning service activates the user in the target app"; its default mapping sends the string "True"';
const DELETE_204 = 'RFC 7644 §3.6: "In response to a successful DELETE, the server SHALL return a successful HTTP status code 204 (No Content)."';
const GONE =
  'RFC 7644 §3.6: "Service providers MAY choose not to permanently delete the resource but MUST return a 404 (Not Found) error code for all operations associated with the previously deleted resource."';
const OMITTED = 'RFC 7644 §3.6: "Service providers MUST omit the resource from future query results."';
const LEAVES_GROUPS =
  'RFC 7644 §3.6: a deleted resource answers 404 "for all operations associated with the previously deleted resource"; RFC 7643 §4.2: a member\'s "value" "contains the value of an \'id\' attribute of a SCIM resource" — a group that still lists the deleted user points at nothing (implied, not stated)';

/** RFC 7644 §3.5.2.3 in its plainest form: a lowercase replace of active with the JSON boolean. */
const PLAIN_DEACTIVATION = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] };

const NO_CONTENT =
  'RFC 9110 §15.3.5: "A 204 response is terminated by the end of the header section; it cannot contain content or trailers."; RFC 9110 §8.3: "The "Content-Type" header field indicates the media type of the associated representation: either the representation enclosed in the message content or the selected representation, as determined by the message semantics." — a 204 to DELETE has neither, so a Content-Type describes nothing (implied, not stated)';

/** Profiles whose client deletes users (Okta only deactivates). */
const DELETES_USERS = profilesWhere((p) => p.deletesUsers);

describe('05 Deactivate and delete user', () => {
  // Another user exists, so that an endpoint that ignores the filter returns it and fails DEACT-03 and DEACT-08.
  beforeAll(async () => {
    await sceneryUser('deact-bystander');
  });

  // The user Entra disables and re-enables, member of one group when groups are provisioned.
  const disabled = once(async () => {
    const user = await sceneryUser('deact');
    const id = requires(user.id, `POST /Users answered ${user.res.status} without an id; there is no user to deactivate`);
    const group = target.groups ? await createGroup('deact-group') : undefined;
    let memberBefore = false;
    if (group?.id) {
      await scim.request(client.addMembers({ id: group.id, displayName: group.displayName }, [id]));
      memberBefore = listsMember(await scim.get(`/Groups/${group.id}`), id);
    }
    return { id, userName: user.seed.userName, groupId: group?.id, memberBefore };
  });

  // The client's deactivation (DEACT-01 judges it); when refused, the plain RFC 7644 §3.5.2.3 form
  // deactivates the user instead, so that DEACT-02..05 still test what follows a deactivation.
  const deactivation = once(async () => {
    const { id } = await disabled();
    return buildScenery(client.deactivate(id), patchRequest(`/Users/${id}`, PLAIN_DEACTIVATION));
  });

  /** The deactivated user's id, or a skip when neither deactivation was accepted. */
  async function deactivatedId(): Promise<string> {
    const { id } = await disabled();
    const scenery = await deactivation();
    requires(succeeded(scenery), sceneryFailure('the user could not be deactivated', scenery));
    return id;
  }

  check(
    {
      id: 'DEACT-01',
      severity: 'must',
      requirement: `${DISABLE}; ${PATCH_ANSWER}`,
      title: 'PATCH /Users/{id} deactivating the user as the client sends it (Entra: {"op":"Replace","path":"active","value":"False"}, a string) answers 200 or 204',
    },
    async () => {
      requireMapped('active');
      const { asClientSends } = await deactivation();
      expectStatus(asClientSends, [200, 204]);
    },
  );

  check(
    {
      id: 'DEACT-02',
      severity: 'must',
      requirement: `${BOOLEAN}; ${DISABLE}`,
      title: 'After the deactivation, GET /Users/{id} answers 200 with "active": false (the JSON boolean, not the string "False")',
    },
    async () => {
      requireMapped('active');
      const id = await deactivatedId();
      const res = await scim.get(`/Users/${id}`);
      expectStatus(res, 200, 'GET /Users/{id} of the deactivated user');
      expectEqual(expectJsonObject(res).active, false, '"active"', res);
    },
  );

  check(
    {
      id: 'DEACT-03',
      severity: 'must',
      requirement: STAYS,
      title: 'The deactivated user is still found by GET /Users?filter=userName eq "..." (exactly that user, with another user present)',
    },
    async () => {
      const id = await deactivatedId();
      const { userName } = await disabled();
      const res = await scim.get(lookupPath('Users', 'userName', userName));
      expectOnlyResource(res, id, 'user');
    },
  );

  check(
    {
      id: 'DEACT-04',
      severity: 'should',
      groups: true,
      requirement: KEEPS_GROUPS,
      title: 'A group the user belonged to still lists the user as a member after the deactivation',
    },
    async () => {
      const id = await deactivatedId();
      const { groupId, memberBefore } = await disabled();
      const gid = requires(groupId, 'the group for this user could not be created');
      requires(memberBefore || undefined, 'the user never became a member of the group (PATCH Add members did not take), so there is no membership to keep');
      const res = await scim.get(`/Groups/${gid}`);
      expectThat(expectMemberIds(res).includes(id), `expected the inactive user ${id} to still be a member of the group`, res);
    },
  );

  check(
    {
      id: 'DEACT-05',
      severity: 'must',
      requirement: `${REACTIVATE}; ${BOOLEAN}`,
      title: 'PATCH /Users/{id} re-enabling the user as the client sends it (Entra: {"op":"Replace","path":"active","value":"True"}) answers 200 or 204, and GET /Users/{id} then shows "active": true',
    },
    async () => {
      requireMapped('active');
      const id = await deactivatedId();
      const res = await scim.request(client.reactivate(id));
      expectStatus(res, [200, 204], 'the re-enabling PATCH');
      const after = await scim.get(`/Users/${id}`);
      expectStatus(after, 200, 'GET /Users/{id} after the reactivation');
      expectEqual(expectJsonObject(after).active, true, '"active"', after);
    },
  );

  // A user hard-deleted in the directory, member of one group when groups are provisioned.
  const deleted = once(async () => {
    const user = await sceneryUser('deact-delete');
    const id = requires(user.id, `POST /Users answered ${user.res.status} without an id; there is no user to delete`);
    const group = target.groups ? await createGroup('deact-delete-group') : undefined;
    let memberBefore = false;
    if (group?.id) {
      await scim.request(client.addMembers({ id: group.id, displayName: group.displayName }, [id]));
      memberBefore = listsMember(await scim.get(`/Groups/${group.id}`), id);
    }
    const res = await scim.delete(`/Users/${id}`);
    return { id, userName: user.seed.userName, res, groupId: group?.id, memberBefore };
  });

  /** The deleted user's id, or a skip when the DELETE did not succeed (DEACT-06 reports that). */
  async function deletedId(): Promise<string> {
    const { id, res } = await deleted();
    requires(res.status < 300 ? res : undefined, `DELETE /Users/{id} answered ${res.status} (see DEACT-06)`);
    return id;
  }

  check(
    {
      id: 'DEACT-06',
      profiles: DELETES_USERS,
      severity: 'must',
      requirement: DELETE_204,
      title: 'DELETE /Users/{id} answers 204 No Content with an empty body',
    },
    async () => {
      const { res } = await deleted();
      expectStatus(res, 204);
      expectThat(res.text === '', `expected no body with 204 No Content, got ${res.text.length} characters`, res);
    },
  );

  check(
    {
      id: 'DEACT-07',
      profiles: DELETES_USERS,
      severity: 'must',
      requirement: GONE,
      title: 'After the DELETE, GET /Users/{id} answers 404',
    },
    async () => {
      const id = await deletedId();
      const res = await scim.get(`/Users/${id}`);
      expectStatus(res, 404, 'GET /Users/{id} of the deleted user');
    },
  );

  check(
    {
      id: 'DEACT-08',
      profiles: DELETES_USERS,
      severity: 'must',
      requirement: OMITTED,
      title: 'After the DELETE, GET /Users?filter=userName eq "<deleted userName>" answers 200 with an empty ListResponse',
    },
    async () => {
      await deletedId();
      const { userName } = await deleted();
      const res = await scim.get(lookupPath('Users', 'userName', userName));
      expectEmptyListResponse(res);
    },
  );

  check(
    {
      id: 'DEACT-09',
      profiles: DELETES_USERS,
      severity: 'must',
      requirement: GONE,
      title: 'A second DELETE /Users/{id} of the deleted user answers 404',
    },
    async () => {
      const id = await deletedId();
      const res = await scim.delete(`/Users/${id}`);
      expectStatus(res, 404, 'the second DELETE');
    },
  );

  check(
    {
      id: 'DEACT-10',
      profiles: DELETES_USERS,
      severity: 'should',
      groups: true,
      requirement: LEAVES_GROUPS,
      title: 'After DELETE /Users/{id}, GET /Groups/{id} of a group the user belonged to no longer lists the user',
    },
    async () => {
      const id = await deletedId();
      const { groupId, memberBefore } = await deleted();
      const gid = requires(groupId, 'the group for this user could not be created');
      requires(memberBefore || undefined, 'the user never became a member of the group (PATCH Add members did not take), so its removal proves nothing');
      const res = await scim.get(`/Groups/${gid}`);
      expectThat(!expectMemberIds(res).includes(id), `expected the deleted user ${id} to be gone from the group's members`, res);
    },
  );

  check(
    {
      id: 'DEACT-11',
      profiles: DELETES_USERS,
      severity: 'should',
      requirement: NO_CONTENT,
      title: 'The 204 answer to DELETE /Users/{id} carries no body and no Content-Type header',
    },
    async () => {
      const { res } = await deleted();
      // Another status is DEACT-06's failure; without a 204 there is nothing here to look at.
      applicableOnlyIf(res.status === 204, `DELETE /Users/{id} answered ${res.status}, not 204 (DEACT-06 judges that)`);
      expectThat(res.text === '', `expected no content with 204 No Content, got ${res.text.length} characters`, res);
      const type = res.headers['content-type'];
      expectThat(type === undefined, `expected no Content-Type with 204 No Content (there is no content for it to describe), got ${JSON.stringify(type)}`, res);
    },
  );
});
