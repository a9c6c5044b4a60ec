// GET /Users?filter=... : every operator, logic, caseExact rules, value paths, URN names, encodings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ENTERPRISE, LIST_RESPONSE, USER_SCHEMA, filterQuery, rawGet, scim, start, type Json } from './helpers.ts';

let server: ReferenceServer;
const users: Record<string, Json> = {};

beforeAll(async () => {
  server = await start();
  const bodies: Json[] = [
    {
      userName: 'Alice.Smith',
      externalId: 'ExtAlice',
      displayName: 'Alice Smith',
      nickName: 'Al',
      active: true,
      name: { givenName: 'Alice', familyName: 'Smith' },
      emails: [
        { type: 'work', value: 'alice@contoso.com', primary: true },
        { type: 'home', value: 'alice@home.example' },
      ],
      [ENTERPRISE]: { employeeNumber: '100', manager: 'm-1' },
    },
    {
      userName: 'bob.jones',
      externalId: 'extbob',
      displayName: 'Bob Jones',
      title: 'Engineer',
      active: false,
      emails: [{ type: 'work', value: 'bob@contoso.com' }],
      [ENTERPRISE]: { employeeNumber: '200' },
    },
    { userName: 'carol', externalId: 'ExtCarol', active: true, emails: [{ type: 'home', value: 'carol@fabrikam.com' }] },
  ];
  for (const body of bodies) {
    const answer = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA, ENTERPRISE], ...body });
    expect(answer.status).toBe(201);
    users[body.userName] = answer.body;
  }
});
afterAll(() => server.close());

async function matching(filter: string): Promise<string[]> {
  const answer = await scim(server, 'GET', `/Users${filterQuery(filter)}`);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.schemas).toEqual([LIST_RESPONSE]);
  expect(answer.body.totalResults).toBe(answer.body.Resources.length);
  return answer.body.Resources.map((r: Json) => r.userName).sort();
}

describe('comparison operators', () => {
  it.each([
    ['userName eq "bob.jones"', ['bob.jones']],
    ['userName ne "bob.jones"', ['Alice.Smith', 'carol']],
    ['displayName co "Jon"', ['bob.jones']],
    ['userName sw "ali"', ['Alice.Smith']],
    ['userName ew "JONES"', ['bob.jones']],
    ['title pr', ['bob.jones']],
    ['displayName pr', ['Alice.Smith', 'bob.jones']],
    ['userName gt "bob.jones"', ['carol']],
    ['userName ge "bob.jones"', ['bob.jones', 'carol']],
    ['userName lt "bob.jones"', ['Alice.Smith']],
    ['userName le "BOB.JONES"', ['Alice.Smith', 'bob.jones']],
    ['active eq false', ['bob.jones']],
    ['active ne false', ['Alice.Smith', 'carol']],
    ['nickName eq null', ['bob.jones', 'carol']],
  ])('%s', async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });

  it('compares dateTime attributes as instants', async () => {
    const created = users['bob.jones'].meta.created as string;
    expect(await matching(`meta.created ge "${created}"`)).toEqual(['bob.jones', 'carol']);
    expect(await matching(`meta.created lt "${created}"`)).toEqual(['Alice.Smith']);
    expect(await matching('meta.lastModified gt "2000-01-01T00:00:00Z"')).toEqual(['Alice.Smith', 'bob.jones', 'carol']);
  });
});

describe('logical operators and grouping', () => {
  it.each([
    ['userName eq "carol" or userName eq "bob.jones"', ['bob.jones', 'carol']],
    ['active eq true and emails.value co "contoso"', ['Alice.Smith']],
    ['not (active eq true)', ['bob.jones']],
    ['(userName eq "carol" or userName eq "bob.jones") and active eq true', ['carol']],
    ['userName eq "carol" or userName eq "bob.jones" and active eq true', ['carol']],
    ['not (userName sw "a") and not (userName sw "b")', ['carol']],
    ['USERNAME EQ "carol" OR Active Eq False', ['bob.jones', 'carol']],
  ])('%s', async (filter, expected) => {
    expect(await matching(filter)).toEqual(expected);
  });
});

describe('caseExact comes from the schema (RFC 7643 §7, §8.7.1)', () => {
  it('userName is case-insensitive: the user is actually found', async () => {
    const answer = await scim(server, 'GET', `/Users${filterQuery('userName eq "ALICE.SMITH"')}`);
    expect(answer.body.totalResults).toBe(1);
    expect(answer.body.Resources[0].id).toBe(users['Alice.Smith'].id);
  });

  it('emails.value, displayName and name parts are case-insensitive', async () => {
    expect(await matching('emails.value eq "ALICE@CONTOSO.COM"')).toEqual(['Alice.Smith']);
    expect(await matching('displayName eq "bob jones"')).toEqual(['bob.jones']);
    expect(await matching('name.familyName eq "SMITH"')).toEqual(['Alice.Smith']);
  });

  it('externalId and id are caseExact', async () => {
    expect(await matching('externalId eq "ExtAlice"')).toEqual(['Alice.Smith']);
    expect(await matching('externalId eq "extalice"')).toEqual([]);
    const id = users['carol'].id as string;
    expect(await matching(`id eq "${id}"`)).toEqual(['carol']);
    expect(await matching(`id eq "${id.toUpperCase()}"`)).toEqual([]);
  });
});

describe('attribute names', () => {
  it.each(['username', 'USERNAME', 'UserName'])('%s eq matches userName', async (name) => {
    expect(await matching(`${name} eq "carol"`)).toEqual(['carol']);
  });

  it('accepts URN-qualified core and extension attribute names', async () => {
    expect(await matching(`${ENTERPRISE}:employeeNumber eq "200"`)).toEqual(['bob.jones']);
    expect(await matching(`${ENTERPRISE}:manager.value eq "m-1"`)).toEqual(['Alice.Smith']);
    expect(await matching(`${USER_SCHEMA}:userName eq "carol"`)).toEqual(['carol']);
    expect(await matching(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:EMPLOYEENUMBER eq "100"`)).toEqual(['Alice.Smith']);
  });

  it('filters on schemas (RFC 7644 §3.4.2.2 example): users with enterprise data', async () => {
    expect(await matching(`schemas eq "${ENTERPRISE}"`)).toEqual(['Alice.Smith', 'bob.jones']);
  });

  it('compares a complex attribute without sub-attribute by its value (emails co, manager eq)', async () => {
    expect(await matching('emails co "fabrikam"')).toEqual(['carol']);
    expect(await matching('manager eq "m-1"')).toEqual(['Alice.Smith']);
  });
});

describe('value paths', () => {
  it('emails[type eq "work"].value eq ... matches within one element', async () => {
    expect(await matching('emails[type eq "work"].value eq "alice@contoso.com"')).toEqual(['Alice.Smith']);
    // Alice has this address, but as her home address: no match.
    expect(await matching('emails[type eq "work"].value eq "alice@home.example"')).toEqual([]);
    expect(await matching('emails[TYPE eq "WORK"].Value eq "BOB@contoso.com"')).toEqual(['bob.jones']);
  });

  it('emails[type eq "work" and value co "contoso"] and emails.value eq', async () => {
    expect(await matching('emails[type eq "work" and value co "contoso"]')).toEqual(['Alice.Smith', 'bob.jones']);
    expect(await matching('emails[type eq "home"]')).toEqual(['Alice.Smith', 'carol']);
    expect(await matching('emails.value eq "carol@fabrikam.com"')).toEqual(['carol']);
  });

  it('value path combined with other expressions', async () => {
    expect(await matching('emails[type eq "work"].value co "contoso" and active eq true')).toEqual(['Alice.Smith']);
    expect(await matching('emails[type eq "home"].value pr or title pr')).toEqual(['Alice.Smith', 'bob.jones', 'carol']);
  });
});

describe('malformed filters are 400 invalidFilter', () => {
  it.each([
    'userName eq',
    'userName xx "a"',
    '(userName eq "a"',
    'userName eq "a" )',
    'userName eq "a" and',
    'noSuchAttribute eq "a"',
    'active gt true',
    'name eq "x"',
    'emails[type eq "work"',
    'externalId eq jyoung',
  ])('%s', async (filter) => {
    const answer = await scim(server, 'GET', `/Users${filterQuery(filter)}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter' });
  });
});

describe('filter encodings seen on the wire (wire-reference §0)', () => {
  it('userName+eq+%22...%22 (plus for spaces, encoded quotes)', async () => {
    const answer = await rawGet(server, '/Users?filter=userName+eq+%22bob.jones%22');
    expect(answer.status).toBe(200);
    expect(answer.body.Resources.map((r: Json) => r.userName)).toEqual(['bob.jones']);
  });

  it('raw quotes as the Microsoft SCIM Validator sends them', async () => {
    const answer = await rawGet(server, '/Users?filter=userName+eq+"alice.smith"');
    expect(answer.status).toBe(200);
    expect(answer.body.totalResults).toBe(1);
    expect(answer.body.Resources[0].userName).toBe('Alice.Smith');
  });

  it('%20 for spaces, and an encoded @ inside raw quotes', async () => {
    const byName = await rawGet(server, '/Users?filter=userName%20eq%20%22carol%22');
    expect(byName.body.Resources.map((r: Json) => r.userName)).toEqual(['carol']);
    const byEmail = await rawGet(server, '/Users?filter=emails.value+eq+"carol%40fabrikam.com"');
    expect(byEmail.body.Resources.map((r: Json) => r.userName)).toEqual(['carol']);
  });

  it('externalId+eq+%22...%22 matches caseExact', async () => {
    const answer = await rawGet(server, '/Users?filter=externalId+eq+%22extbob%22');
    expect(answer.body.Resources.map((r: Json) => r.userName)).toEqual(['bob.jones']);
  });

  it('a random GUID (Entra Test Connection) gives 200 and an empty ListResponse', async () => {
    const answer = await rawGet(server, `/Users?filter=userName+eq+%22${crypto.randomUUID()}%22`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ schemas: [LIST_RESPONSE], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });
});

describe('Groups filters', () => {
  it('displayName eq is case-insensitive, and excludedAttributes=members drops members', async () => {
    const created = await scim(server, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Sales Team',
      members: [{ value: users['carol'].id }],
    });
    expect(created.status).toBe(201);
    const answer = await scim(server, 'GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "sales team"')}`);
    expect(answer.body.totalResults).toBe(1);
    expect(answer.body.Resources[0].displayName).toBe('Sales Team');
    expect(answer.body.Resources[0]).not.toHaveProperty('members');
    const byMember = await scim(server, 'GET', `/Groups${filterQuery(`members.value eq "${users['carol'].id}"`)}`);
    expect(byMember.body.Resources.map((g: Json) => g.id)).toEqual([created.body.id]);
  });
});
