// /Groups as Entra and Okta drive them (wire-reference.md §7): create, lookup, membership PATCHes, rename, delete.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ADSCIM_GROUP, ERROR, GROUP_SCHEMA, createGroup, createUser, errorOf, patchOp, scim, start, type Json } from './helpers.ts';

let server: ReferenceServer;
let u1: Json, u2: Json, u3: Json;

beforeAll(async () => {
  server = await start();
});
beforeEach(async () => {
  server.reset();
  u1 = await createUser(server, 'member.one', { displayName: 'Member One' });
  u2 = await createUser(server, 'member.two', { displayName: 'Member Two' });
  u3 = await createUser(server, 'member.three');
});
afterAll(() => server.close());

const memberIds = (group: Json) => (group.members as Json[]).map((m) => m.value);

async function patchGroup(id: string, ...operations: Json[]): Promise<Json> {
  const answer = await scim(server, 'PATCH', `/Groups/${id}`, patchOp(...operations));
  expect(answer.status, answer.text).toBe(200);
  const read = await scim(server, 'GET', `/Groups/${id}`);
  expect(read.body).toEqual(answer.body);
  return answer.body;
}

describe('create and read', () => {
  it('POST as Entra sends it (extra ADSCIM schema URI, client meta) → 201 with id and "members": []', async () => {
    const answer = await scim(server, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA, ADSCIM_GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe(answer.body.meta.location);
    expect(answer.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      members: [],
      meta: { resourceType: 'Group', location: `${server.baseUrl}/Groups/${answer.body.id}` },
    });
  });

  it('members come back with value, absolute $ref, type User and display', async () => {
    const group = await createGroup(server, 'With Members', [u1.id, u3.id]);
    expect(group.members).toEqual([
      { value: u1.id, $ref: `${server.baseUrl}/Users/${u1.id}`, type: 'User', display: 'Member One' },
      { value: u3.id, $ref: `${server.baseUrl}/Users/${u3.id}`, type: 'User', display: 'member.three' },
    ]);
  });

  it('a member that is not an existing user is 400 invalidValue', async () => {
    const answer = await scim(server, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: 'no-such-user' }] });
    expect(errorOf(answer)).toEqual({ status: 400, bodyStatus: '400', scimType: 'invalidValue', schemas: [ERROR] });
  });

  it('displayName is required (400 invalidValue) and unique in any case (409 uniqueness)', async () => {
    const missing = await scim(server, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], externalId: 'x' });
    expect(errorOf(missing)).toMatchObject({ status: 400, scimType: 'invalidValue' });
    await createGroup(server, 'Engineering');
    const duplicate = await scim(server, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'ENGINEERING' });
    expect(errorOf(duplicate)).toEqual({ status: 409, bodyStatus: '409', scimType: 'uniqueness', schemas: [ERROR] });
  });

  it('lookup with excludedAttributes=members, by filter and by id', async () => {
    const group = await createGroup(server, 'Lookup Me', [u1.id]);
    const listed = await scim(server, 'GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Lookup Me"')}`);
    expect(listed.body.totalResults).toBe(1);
    expect(listed.body.Resources[0]).not.toHaveProperty('members');
    expect(listed.body.Resources[0].id).toBe(group.id);
    const byId = await scim(server, 'GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(byId.status).toBe(200);
    expect(byId.body).not.toHaveProperty('members');
    expect(byId.body.displayName).toBe('Lookup Me');
  });

  it('users show their groups (readOnly, RFC 7643 §4.1.2)', async () => {
    const group = await createGroup(server, 'Visible', [u2.id]);
    const read = await scim(server, 'GET', `/Users/${u2.id}`);
    expect(read.body.groups).toEqual([{ value: group.id, $ref: `${server.baseUrl}/Groups/${group.id}`, display: 'Visible', type: 'direct' }]);
  });
});

describe('membership PATCH', () => {
  it('Entra Add of several members in one op', async () => {
    const group = await createGroup(server, 'Team');
    const body = await patchGroup(group.id, { op: 'Add', path: 'members', value: [{ $ref: null, value: u1.id }, { $ref: null, value: u2.id }] });
    expect(memberIds(body)).toEqual([u1.id, u2.id]);
  });

  it('adding a member who is already there is harmless: no duplicate, no error', async () => {
    const group = await createGroup(server, 'Team', [u1.id]);
    const body = await patchGroup(
      group.id,
      { op: 'Add', path: 'members', value: [{ $ref: null, value: u1.id }] },
      { op: 'add', path: 'members', value: [{ value: u1.id, display: 'Member One' }, { value: u2.id }, { value: u2.id }] },
    );
    expect(memberIds(body)).toEqual([u1.id, u2.id]);
  });

  it('Entra default removal {"op":"Remove","path":"members","value":[...]} removes exactly those members', async () => {
    const group = await createGroup(server, 'Team', [u1.id, u2.id, u3.id]);
    const body = await patchGroup(group.id, { op: 'Remove', path: 'members', value: [{ $ref: null, value: u2.id }] });
    expect(memberIds(body)).toEqual([u1.id, u3.id]);
  });

  it('remove of members[value eq "..."] removes exactly that one', async () => {
    const group = await createGroup(server, 'Team', [u1.id, u2.id, u3.id]);
    const body = await patchGroup(group.id, { op: 'remove', path: `members[value eq "${u3.id}"]` });
    expect(memberIds(body)).toEqual([u1.id, u2.id]);
  });

  it('remove of a member who is not there is harmless', async () => {
    const group = await createGroup(server, 'Team', [u1.id]);
    const body = await patchGroup(
      group.id,
      { op: 'Remove', path: 'members', value: [{ $ref: null, value: u2.id }] },
      { op: 'remove', path: `members[value eq "${u3.id}"]` },
    );
    expect(memberIds(body)).toEqual([u1.id]);
  });

  it('remove with path "members" and no value removes all members', async () => {
    const group = await createGroup(server, 'Team', [u1.id, u2.id]);
    expect((await patchGroup(group.id, { op: 'remove', path: 'members' })).members).toEqual([]);
  });

  it('replace of members replaces the whole list', async () => {
    const group = await createGroup(server, 'Team', [u1.id, u2.id]);
    const body = await patchGroup(group.id, { op: 'replace', path: 'members', value: [{ value: u3.id }] });
    expect(memberIds(body)).toEqual([u3.id]);
  });

  it('Okta: remove one and add one in a single request, with a pathless rename carrying id', async () => {
    const group = await createGroup(server, 'Okta Team', [u1.id]);
    const body = await patchGroup(
      group.id,
      { op: 'replace', value: { id: group.id, displayName: 'Okta Team Renamed' } },
      { op: 'remove', path: `members[value eq "${u1.id}"]` },
      { op: 'add', path: 'members', value: [{ value: u2.id, display: 'member.two' }] },
    );
    expect(body.displayName).toBe('Okta Team Renamed');
    expect(body.id).toBe(group.id);
    expect(memberIds(body)).toEqual([u2.id]);
  });

  it('adding a member that is not a user is 400 invalidValue and changes nothing', async () => {
    const group = await createGroup(server, 'Team', [u1.id]);
    const answer = await scim(server, 'PATCH', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ value: 'nobody' }] }));
    expect(errorOf(answer)).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(memberIds((await scim(server, 'GET', `/Groups/${group.id}`)).body)).toEqual([u1.id]);
  });
});

describe('rename and delete', () => {
  it('Replace displayName renames; a rename onto another group name (any case) is 409 uniqueness', async () => {
    const group = await createGroup(server, 'Old Name');
    await createGroup(server, 'Taken Name');
    const renamed = await patchGroup(group.id, { op: 'Replace', path: 'displayName', value: 'Old Name updatedDisplayName' });
    expect(renamed.displayName).toBe('Old Name updatedDisplayName');
    const clash = await scim(server, 'PATCH', `/Groups/${group.id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'taken name' }));
    expect(errorOf(clash)).toMatchObject({ status: 409, scimType: 'uniqueness' });
  });

  it('DELETE /Groups/{id} → 204 → 404, users stay', async () => {
    const group = await createGroup(server, 'Short Lived', [u1.id]);
    const deleted = await scim(server, 'DELETE', `/Groups/${group.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(errorOf(await scim(server, 'GET', `/Groups/${group.id}`))).toMatchObject({ status: 404, bodyStatus: '404' });
    expect((await scim(server, 'GET', `/Users/${u1.id}`)).status).toBe(200);
  });

  it('a deleted user is removed from every group', async () => {
    const a = await createGroup(server, 'A', [u1.id, u2.id]);
    const b = await createGroup(server, 'B', [u2.id]);
    expect((await scim(server, 'DELETE', `/Users/${u2.id}`)).status).toBe(204);
    expect(memberIds((await scim(server, 'GET', `/Groups/${a.id}`)).body)).toEqual([u1.id]);
    expect((await scim(server, 'GET', `/Groups/${b.id}`)).body.members).toEqual([]);
    const byMember = await scim(server, 'GET', `/Groups?filter=${encodeURIComponent(`members.value eq "${u2.id}"`)}`);
    expect(byMember.body.totalResults).toBe(0);
  });

  it('PUT replaces the group, members included', async () => {
    const group = await createGroup(server, 'Put Group', [u1.id]);
    const answer = await scim(server, 'PUT', `/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], displayName: 'Put Group', members: [{ value: u3.id }] });
    expect(answer.status).toBe(200);
    expect(memberIds(answer.body)).toEqual([u3.id]);
    expect(answer.body).not.toHaveProperty('externalId');
  });
});
