// PATCH /Users/{id} with every body of wire-reference.md §4 and §5, and the RFC 7644 §3.5.2 error cases.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ENTERPRISE, ERROR, createUser, errorOf, patchOp, scim, start, type Json } from './helpers.ts';

let server: ReferenceServer;
let user: Json;

beforeAll(async () => {
  server = await start();
});
beforeEach(async () => {
  server.reset();
  user = await createUser(server, 'patch.me');
});
afterAll(() => server.close());

/** PATCH, expect 200, and check that a fresh GET shows the same resource. */
async function patch(...operations: Json[]): Promise<Json> {
  const answer = await scim(server, 'PATCH', `/Users/${user.id}`, patchOp(...operations));
  expect(answer.status, answer.text).toBe(200);
  const read = await scim(server, 'GET', `/Users/${user.id}`);
  expect(read.body).toEqual(answer.body);
  return answer.body;
}

async function patchError(...operations: Json[]) {
  const before = (await scim(server, 'GET', `/Users/${user.id}`)).body;
  const answer = await scim(server, 'PATCH', `/Users/${user.id}`, patchOp(...operations));
  // A failed PATCH changes nothing (RFC 7644 §3.5.2: operations are applied atomically).
  expect((await scim(server, 'GET', `/Users/${user.id}`)).body).toEqual(before);
  return errorOf(answer);
}

describe('Entra default (capitalised ops)', () => {
  it('Replace emails[type eq "work"].value updates the work email in place; Replace name.familyName', async () => {
    const body = await patch(
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    );
    expect(body.emails).toEqual([{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    expect(body.name).toEqual({ formatted: 'givenName familyName', familyName: 'updatedFamilyName', givenName: 'givenName' });
  });

  it('Replace userName', async () => {
    expect((await patch({ op: 'Replace', path: 'userName', value: 'renamed@testuser.com' })).userName).toBe('renamed@testuser.com');
  });

  it('Add nickName', async () => {
    expect((await patch({ op: 'Add', path: 'nickName', value: 'Babs' })).nickName).toBe('Babs');
  });

  it('Add addresses[type eq "work"].formatted creates the work address', async () => {
    const body = await patch({ op: 'Add', path: 'addresses[type eq "work"].formatted', value: 'Columbus' });
    expect(body.addresses).toEqual([{ type: 'work', formatted: 'Columbus' }]);
  });

  it('several Adds to one absent filtered element merge into one element', async () => {
    const body = await patch(
      { op: 'Add', path: 'addresses[type eq "work"].formatted', value: '1 Main St, Columbus' },
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Columbus' },
      { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' },
    );
    expect(body.addresses).toEqual([{ type: 'work', formatted: '1 Main St, Columbus', streetAddress: '1 Main St', locality: 'Columbus' }]);
    expect(body.phoneNumbers).toEqual([
      { type: 'work', value: '+1 555 0100' },
      { type: 'mobile', value: '+1 555 0199' },
    ]);
  });

  it('Add to an existing work email updates it: never two work emails', async () => {
    const body = await patch({ op: 'Add', path: 'emails[type eq "work"].value', value: 'second@testuser.com' });
    expect(body.emails).toEqual([{ primary: true, type: 'work', value: 'second@testuser.com' }]);
  });

  it('capitalised sub-attribute names: emails[type eq "other"].Value, addresses[type eq "other"].Formatted', async () => {
    const body = await patch(
      { op: 'Add', path: 'emails[type eq "other"].Value', value: 'other@example.com' },
      { op: 'Add', path: 'addresses[type eq "other"].Formatted', value: 'Elsewhere' },
      { op: 'Replace', path: 'Emails[Type eq "work"].VALUE', value: 'work@example.com' },
    );
    expect(body.emails).toEqual([
      { primary: true, type: 'work', value: 'work@example.com' },
      { type: 'other', value: 'other@example.com' },
    ]);
    expect(body.addresses).toEqual([{ type: 'other', formatted: 'Elsewhere' }]);
  });

  it('Add manager as a bare string is stored and returned as {"value": ...}', async () => {
    const body = await patch({ op: 'Add', path: `${ENTERPRISE}:manager`, value: '271' });
    expect(body[ENTERPRISE].manager).toEqual({ value: '271' });
  });

  it('manager set (Add), change (Replace), remove (Replace with empty), as the Microsoft validator does', async () => {
    expect((await patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: 'mgr-2' }))[ENTERPRISE].manager).toEqual({ value: 'mgr-2' });
    expect((await patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'mgr-3' } }))[ENTERPRISE].manager).toEqual({ value: 'mgr-3' });
    const cleared = await patch({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' });
    expect(cleared[ENTERPRISE]).not.toHaveProperty('manager');
    expect(cleared[ENTERPRISE].employeeNumber).toBe('1001');
  });

  it('Add roles with a JSON string value (observed)', async () => {
    const role = '{"id":"827f0d2e-be15-4d8f-a8e0-f8697d5cd21b","value":"Admin","displayName":"Admin"}';
    expect((await patch({ op: 'Add', path: 'roles', value: [{ value: role }] })).roles).toEqual([{ value: role }]);
  });

  it('one op per path: displayName, work email, givenName, familyName, externalId, employeeNumber', async () => {
    const body = await patch(
      { op: 'Replace', path: 'displayName', value: 'New Display' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@contoso.com' },
      { op: 'Replace', path: 'name.givenName', value: 'New' },
      { op: 'Replace', path: 'name.familyName', value: 'Name' },
      { op: 'Replace', path: 'externalId', value: 'new-external' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'E-42' },
    );
    expect(body).toMatchObject({
      displayName: 'New Display',
      emails: [{ type: 'work', value: 'new@contoso.com', primary: true }],
      name: { givenName: 'New', familyName: 'Name' },
      externalId: 'new-external',
      [ENTERPRISE]: { employeeNumber: 'E-42' },
    });
  });

  it('an empty-string value is stored as sent', async () => {
    const body = await patch({ op: 'Add', path: 'emails[type eq "work"].value', value: '' });
    expect(body.emails).toEqual([{ primary: true, type: 'work', value: '' }]);
  });

  it('Replace active "False" / "True" stores booleans', async () => {
    expect((await patch({ op: 'Replace', path: 'active', value: 'False' })).active).toBe(false);
    expect((await patch({ op: 'Replace', path: 'active', value: 'TRUE' })).active).toBe(true);
  });
});

describe('Entra aadOptscim062020 (lowercase ops)', () => {
  it('pathless replace with dotted and URN-qualified keys', async () => {
    const body = await patch({
      op: 'replace',
      value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' },
    });
    expect(body).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua', formatted: 'givenName familyName' } });
    expect(body[ENTERPRISE]).toEqual({ employeeNumber: 'Aklq', department: 'Sales', manager: { value: '123456' } });
  });

  it('replace emails[type eq "work"].primary true', async () => {
    await patch({ op: 'add', path: 'emails', value: [{ type: 'home', value: 'home@example.com', primary: true }] });
    const body = await patch({ op: 'replace', path: 'emails[type eq "work"].primary', value: true });
    expect(body.emails).toEqual([
      { primary: true, type: 'work', value: 'patch.me@testuser.com' },
      { type: 'home', value: 'home@example.com', primary: false },
    ]);
  });

  it('pathless replace {"active": false, "userName": ...}, also with "False" strings', async () => {
    const body = await patch({ op: 'replace', value: { active: false, userName: 'someone' } });
    expect(body).toMatchObject({ active: false, userName: 'someone' });
    expect((await patch({ op: 'replace', value: { active: 'True' } })).active).toBe(true);
  });

  it('add to a URN-qualified department path', async () => {
    expect((await patch({ op: 'add', path: `${ENTERPRISE}:department`, value: 'Tech Infrastructure' }))[ENTERPRISE].department).toBe('Tech Infrastructure');
  });

  it('replace active false (boolean) and Okta pathless {"active": false}', async () => {
    expect((await patch({ op: 'replace', path: 'active', value: false })).active).toBe(false);
    expect((await patch({ op: 'replace', value: { active: true } })).active).toBe(true);
  });
});

describe('other RFC 7644 §3.5.2 forms', () => {
  it('pathless add with a nested extension object and a bare-string manager', async () => {
    const body = await patch({ op: 'add', value: { nickName: 'Nick', [ENTERPRISE]: { costCenter: 'CC-1', manager: 'boss' } } });
    expect(body.nickName).toBe('Nick');
    expect(body[ENTERPRISE]).toMatchObject({ costCenter: 'CC-1', manager: { value: 'boss' }, department: 'Sales' });
  });

  it('a path that is the extension URN takes an object of extension attributes', async () => {
    const body = await patch({ op: 'replace', path: ENTERPRISE, value: { division: 'North' } });
    expect(body[ENTERPRISE]).toMatchObject({ division: 'North', employeeNumber: '1001' });
  });

  it('replace of a complex attribute keeps the sub-attributes it does not name', async () => {
    const body = await patch({ op: 'replace', path: 'name', value: { givenName: 'Only' } });
    expect(body.name).toEqual({ formatted: 'givenName familyName', familyName: 'familyName', givenName: 'Only' });
  });

  it('add to a multi-valued attribute appends; replace replaces the whole list; the new primary wins', async () => {
    const added = await patch({ op: 'add', path: 'emails', value: [{ type: 'home', value: 'h@example.com', primary: true }] });
    expect(added.emails).toEqual([
      { primary: false, type: 'work', value: 'patch.me@testuser.com' },
      { type: 'home', value: 'h@example.com', primary: true },
    ]);
    const replaced = await patch({ op: 'replace', path: 'emails', value: [{ type: 'other', value: 'o@example.com' }] });
    expect(replaced.emails).toEqual([{ type: 'other', value: 'o@example.com' }]);
  });

  it('remove of an attribute, a sub-attribute, a filtered element and a URN path', async () => {
    await patch({ op: 'add', path: 'emails', value: [{ type: 'home', value: 'h@example.com' }] });
    const body = await patch(
      { op: 'remove', path: 'externalId' },
      { op: 'remove', path: 'name.formatted' },
      { op: 'remove', path: 'emails[type eq "home"]' },
      { op: 'Remove', path: `${ENTERPRISE}:manager` },
    );
    expect(body).not.toHaveProperty('externalId');
    expect(body.name).toEqual({ familyName: 'familyName', givenName: 'givenName' });
    expect(body.emails).toEqual([{ primary: true, type: 'work', value: 'patch.me@testuser.com' }]);
    expect(body[ENTERPRISE]).toEqual({ employeeNumber: '1001', department: 'Sales' });
  });

  it('removing what is absent is not an error', async () => {
    const body = await patch({ op: 'remove', path: 'nickName' }, { op: 'remove', path: 'phoneNumbers[type eq "fax"]' }, { op: 'remove', path: 'addresses' });
    expect(body.userName).toBe('patch.me');
  });

  it('every PATCH moves meta.lastModified strictly forward, even two in a row', async () => {
    const first = await patch({ op: 'replace', path: 'nickName', value: 'a' });
    const second = await patch({ op: 'replace', path: 'nickName', value: 'b' });
    expect(Date.parse(first.meta.lastModified)).toBeGreaterThan(Date.parse(user.meta.lastModified));
    expect(Date.parse(second.meta.lastModified)).toBeGreaterThan(Date.parse(first.meta.lastModified));
    expect(second.meta.created).toBe(user.meta.created);
  });

  it('"Operations" and "op" names are read in any case', async () => {
    const answer = await scim(server, 'PATCH', `/Users/${user.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      operations: [{ OP: 'REPLACE', Path: 'nickName', Value: 'caps' }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.nickName).toBe('caps');
  });
});

describe('errors (RFC 7644 §3.5.2, §3.12)', () => {
  it('a body without the PatchOp schema is 400 invalidSyntax', async () => {
    const answer = await scim(server, 'PATCH', `/Users/${user.id}`, { Operations: [{ op: 'replace', path: 'nickName', value: 'x' }] });
    expect(errorOf(answer)).toEqual({ status: 400, bodyStatus: '400', scimType: 'invalidSyntax', schemas: [ERROR] });
  });

  it('missing or empty Operations is 400 invalidSyntax', async () => {
    for (const body of [{ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }, patchOp()]) {
      expect(errorOf(await scim(server, 'PATCH', `/Users/${user.id}`, body))).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    }
  });

  it('an unknown op is 400 invalidSyntax', async () => {
    expect(await patchError({ op: 'move', path: 'nickName', value: 'x' })).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });

  it('remove without a path is 400 noTarget', async () => {
    expect(await patchError({ op: 'Remove' })).toMatchObject({ status: 400, bodyStatus: '400', scimType: 'noTarget' });
  });

  it('a replace whose value filter matches no existing value is 400 noTarget', async () => {
    expect(await patchError({ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@y.z' })).toMatchObject({ status: 400, scimType: 'noTarget' });
  });

  it.each(['noSuchAttribute', 'name.noSuchPart', 'emails[type eq "work"', 'emails[type eq].value', 'userName[value eq "x"]', 'emails[type eq "work"].nope', 'a.b.c'])(
    'bad path %s is 400 invalidPath',
    async (path) => {
      expect(await patchError({ op: 'replace', path, value: 'x' })).toMatchObject({ status: 400, bodyStatus: '400', scimType: 'invalidPath' });
    },
  );

  it('a path to a readOnly attribute is 400 mutability', async () => {
    for (const path of ['id', 'meta.created', 'groups']) {
      expect(await patchError({ op: 'replace', path, value: 'x' })).toMatchObject({ status: 400, scimType: 'mutability' });
    }
  });

  it('add or replace without a value, or with a value of the wrong type, is 400 invalidValue', async () => {
    expect(await patchError({ op: 'add', path: 'nickName' })).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(await patchError({ op: 'replace', path: 'active', value: 'maybe' })).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(await patchError({ op: 'replace', value: 'not an object' })).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('removing the required userName is 400 mutability (RFC 7644 §3.5.2.2)', async () => {
    expect(await patchError({ op: 'remove', path: 'userName' })).toMatchObject({ status: 400, scimType: 'mutability' });
  });

  it('one failing operation undoes the ones before it', async () => {
    expect(await patchError({ op: 'replace', path: 'nickName', value: 'kept?' }, { op: 'remove' })).toMatchObject({ scimType: 'noTarget' });
  });

  it('an unknown id is 404', async () => {
    const answer = await scim(server, 'PATCH', `/Users/${crypto.randomUUID()}`, patchOp({ op: 'replace', path: 'nickName', value: 'x' }));
    expect(errorOf(answer)).toMatchObject({ status: 404, bodyStatus: '404' });
  });
});
