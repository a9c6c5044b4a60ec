// /Users: create as Entra and Okta send it, read, replace, delete, uniqueness, input rules.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ENTERPRISE, ERROR, USER_SCHEMA, createUser, entraUser, errorOf, patchOp, scim, start, type Json } from './helpers.ts';

let server: ReferenceServer;
beforeAll(async () => {
  server = await start();
});
beforeEach(() => server.reset());
afterAll(() => server.close());

describe('POST /Users', () => {
  it('answers 201 with id, meta and a Location equal to meta.location', async () => {
    const answer = await scim(server, 'POST', '/Users', entraUser('Test_User_1'));
    expect(answer.status).toBe(201);
    const user = answer.body;
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('location')).toBe(`${server.baseUrl}/Users/${user.id}`);
    expect(user.meta).toEqual({ resourceType: 'User', created: user.meta.created, lastModified: user.meta.created, location: `${server.baseUrl}/Users/${user.id}` });
    expect(Number.isNaN(Date.parse(user.meta.created))).toBe(false);
  });

  it('stores what Entra sends as sent, manager as {value}, schemas with the extension', async () => {
    const user = await createUser(server, 'Test_User_2');
    expect(user).toMatchObject({
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: 'ext-Test_User_2',
      userName: 'Test_User_2',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_2@testuser.com' }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      [ENTERPRISE]: { employeeNumber: '1001', department: 'Sales', manager: { value: '123456' } },
    });
    const read = await scim(server, 'GET', `/Users/${user.id}`);
    expect(read.body).toEqual(user);
  });

  it('lists only the core schema when there is no extension data', async () => {
    const answer = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'plain' });
    expect(answer.body.schemas).toEqual([USER_SCHEMA]);
    expect(answer.body).not.toHaveProperty(ENTERPRISE);
  });

  it('ignores client-sent id and meta, and the readOnly groups attribute', async () => {
    const answer = await scim(server, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      id: 'client-chosen',
      userName: 'okta-style',
      meta: { resourceType: 'Group', created: '2001-01-01T00:00:00Z' },
      groups: [],
      locale: 'en-US',
      password: 'Secret-1',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.id).not.toBe('client-chosen');
    expect(answer.body.meta.resourceType).toBe('User');
    expect(answer.body.meta.created).not.toBe('2001-01-01T00:00:00Z');
    expect(answer.body.locale).toBe('en-US');
    expect(answer.body).not.toHaveProperty('password');
    expect(answer.body).not.toHaveProperty('groups');
  });

  it('reads "True"/"False" strings as booleans and ignores unknown attributes', async () => {
    const answer = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'strings', active: 'False', favouriteColour: 'blue' });
    expect(answer.body.active).toBe(false);
    expect(answer.body).not.toHaveProperty('favouriteColour');
  });

  it('missing userName is 400 invalidValue', async () => {
    const answer = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], displayName: 'No Name' });
    expect(errorOf(answer)).toEqual({ status: 400, bodyStatus: '400', scimType: 'invalidValue', schemas: [ERROR] });
  });

  it('a value of the wrong type is 400 invalidValue', async () => {
    const answer = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'typed', emails: 'a@b.c' });
    expect(errorOf(answer)).toMatchObject({ status: 400, scimType: 'invalidValue' });
    const notBoolean = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'typed', active: 'yes' });
    expect(errorOf(notBoolean)).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('two primary emails are 400 invalidValue (RFC 7643 §2.4)', async () => {
    const answer = await scim(server, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'two-primaries',
      emails: [{ value: 'a@x.y', primary: true }, { value: 'b@x.y', primary: true }],
    });
    expect(errorOf(answer)).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('unparseable JSON and a body without the User schema are 400 invalidSyntax', async () => {
    const broken = await scim(server, 'POST', '/Users', '{"schemas": [');
    expect(errorOf(broken)).toMatchObject({ status: 400, bodyStatus: '400', scimType: 'invalidSyntax' });
    const noSchemas = await scim(server, 'POST', '/Users', { userName: 'no-schemas' });
    expect(errorOf(noSchemas)).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    const wrongSchema = await scim(server, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], userName: 'x' });
    expect(errorOf(wrongSchema)).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });
});

describe('uniqueness', () => {
  it('a duplicate userName in any case is 409 uniqueness', async () => {
    await createUser(server, 'Dup.User');
    for (const userName of ['Dup.User', 'dup.user', 'DUP.USER']) {
      const answer = await scim(server, 'POST', '/Users', entraUser(userName));
      expect(errorOf(answer)).toEqual({ status: 409, bodyStatus: '409', scimType: 'uniqueness', schemas: [ERROR] });
    }
  });

  it('is enforced on PUT and PATCH too, but a user may keep its own name', async () => {
    await createUser(server, 'taken');
    const other = await createUser(server, 'other');
    const put = await scim(server, 'PUT', `/Users/${other.id}`, { schemas: [USER_SCHEMA], userName: 'TAKEN' });
    expect(errorOf(put)).toMatchObject({ status: 409, scimType: 'uniqueness' });
    const patch = await scim(server, 'PATCH', `/Users/${other.id}`, patchOp({ op: 'Replace', path: 'userName', value: 'Taken' }));
    expect(errorOf(patch)).toMatchObject({ status: 409, scimType: 'uniqueness' });
    const pathless = await scim(server, 'PATCH', `/Users/${other.id}`, patchOp({ op: 'replace', value: { userName: 'taken' } }));
    expect(errorOf(pathless)).toMatchObject({ status: 409, scimType: 'uniqueness' });
    const same = await scim(server, 'PATCH', `/Users/${other.id}`, patchOp({ op: 'replace', path: 'userName', value: 'OTHER' }));
    expect(same.status).toBe(200);
    expect(same.body.userName).toBe('OTHER');
  });
});

describe('GET /Users/{id}', () => {
  it('returns the user; an unknown id is 404 with a SCIM Error whose status is a string', async () => {
    const user = await createUser(server, 'readable');
    expect((await scim(server, 'GET', `/Users/${user.id}`)).body.userName).toBe('readable');
    const missing = await scim(server, 'GET', `/Users/${crypto.randomUUID()}`);
    expect(errorOf(missing)).toEqual({ status: 404, bodyStatus: '404', scimType: undefined, schemas: [ERROR] });
    expect(typeof missing.body.detail).toBe('string');
  });
});

describe('PUT /Users/{id}', () => {
  it('replaces the resource; id, meta.created stay; readOnly input is ignored; lastModified moves', async () => {
    const user = await createUser(server, 'replaceable');
    const answer = await scim(server, 'PUT', `/Users/${user.id}`, {
      schemas: [USER_SCHEMA],
      id: 'ignored',
      userName: 'replaceable',
      displayName: 'Replaced',
      active: false,
      meta: { created: '2001-01-01T00:00:00Z' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(user.id);
    expect(answer.body.displayName).toBe('Replaced');
    expect(answer.body.active).toBe(false);
    expect(answer.body).not.toHaveProperty('emails');
    expect(answer.body).not.toHaveProperty(ENTERPRISE);
    expect(answer.body.meta.created).toBe(user.meta.created);
    expect(Date.parse(answer.body.meta.lastModified)).toBeGreaterThan(Date.parse(user.meta.lastModified));
    expect((await scim(server, 'GET', `/Users/${user.id}`)).body).toEqual(answer.body);
  });

  it('an unknown id is 404', async () => {
    const answer = await scim(server, 'PUT', `/Users/${crypto.randomUUID()}`, { schemas: [USER_SCHEMA], userName: 'x' });
    expect(errorOf(answer)).toMatchObject({ status: 404, bodyStatus: '404' });
  });
});

describe('DELETE /Users/{id}', () => {
  it('answers 204 with an empty body, then 404 on GET, PATCH, PUT and DELETE', async () => {
    const user = await createUser(server, 'doomed');
    const deleted = await scim(server, 'DELETE', `/Users/${user.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', patchOp({ op: 'Replace', path: 'active', value: 'False' })],
      ['PUT', { schemas: [USER_SCHEMA], userName: 'doomed' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await scim(server, method, `/Users/${user.id}`, body);
      expect(errorOf(answer), method).toMatchObject({ status: 404, bodyStatus: '404', schemas: [ERROR] });
    }
    const search = await scim(server, 'GET', `/Users?filter=${encodeURIComponent('userName eq "doomed"')}`);
    expect(search.body.totalResults).toBe(0);
  });

  it('frees the userName for a new user', async () => {
    const user = await createUser(server, 'recycled');
    await scim(server, 'DELETE', `/Users/${user.id}`);
    const again = await scim(server, 'POST', '/Users', entraUser('recycled'));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(user.id);
  });
});

describe('deactivation keeps the user (wire-reference §5)', () => {
  it('active "False" then "True": the user stays readable and its active flag is a boolean', async () => {
    const user: Json = await createUser(server, 'sleepy');
    const off = await scim(server, 'PATCH', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.body.active).toBe(false);
    const read = await scim(server, 'GET', `/Users/${user.id}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
    const found = await scim(server, 'GET', `/Users?filter=${encodeURIComponent('active eq false')}`);
    expect(found.body.Resources.map((u: Json) => u.id)).toEqual([user.id]);
    const on = await scim(server, 'PATCH', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
    expect(on.body.active).toBe(true);
  });
});
