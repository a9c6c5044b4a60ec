// Paging (RFC 7644 §3.4.2.4), sorting (§3.4.2.3), attributes/excludedAttributes (§3.4.2.5, §3.9), .search (§3.4.3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ENTERPRISE, LIST_RESPONSE, createUser, scim, start, type Json } from './helpers.ts';

let server: ReferenceServer;
const SEEDED = 23;

beforeAll(async () => {
  server = await start();
  server.seedUsers(SEEDED, 'page');
});
afterAll(() => server.close());

const list = async (query: string) => {
  const answer = await scim(server, 'GET', `/Users${query}`);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.schemas).toEqual([LIST_RESPONSE]);
  return answer.body;
};

describe('paging', () => {
  it('walks every page of 5 without overlap or gap, with startIndex = page*5+1', async () => {
    const seen: string[] = [];
    for (let page = 0; page * 5 < SEEDED; page++) {
      const body = await list(`?startIndex=${page * 5 + 1}&count=5`);
      expect(body.startIndex).toBe(page * 5 + 1);
      expect(body.totalResults).toBe(SEEDED);
      expect(body.itemsPerPage).toBe(body.Resources.length);
      expect(body.Resources.length).toBe(Math.min(5, SEEDED - page * 5));
      seen.push(...body.Resources.map((r: Json) => r.id));
    }
    expect(seen).toHaveLength(SEEDED);
    expect(new Set(seen).size).toBe(SEEDED);
  });

  it('count=0 returns totalResults and no resources', async () => {
    const body = await list('?count=0');
    expect(body).toMatchObject({ totalResults: SEEDED, itemsPerPage: 0, Resources: [] });
  });

  it('startIndex past the end returns an empty page with the right totalResults', async () => {
    const body = await list(`?startIndex=${SEEDED + 10}&count=5`);
    expect(body).toMatchObject({ totalResults: SEEDED, startIndex: SEEDED + 10, itemsPerPage: 0, Resources: [] });
  });

  it('startIndex=0 and negative startIndex are read as 1; a negative count as 0', async () => {
    const first = await list('?startIndex=1&count=3');
    for (const startIndex of ['0', '-4']) {
      const body = await list(`?startIndex=${startIndex}&count=3`);
      expect(body.startIndex).toBe(1);
      expect(body.Resources.map((r: Json) => r.id)).toEqual(first.Resources.map((r: Json) => r.id));
    }
    expect((await list('?count=-1')).Resources).toEqual([]);
  });

  it('count is capped at maxResults (200) and defaults to it', async () => {
    const big = await start();
    try {
      big.seedUsers(230);
      for (const query of ['?count=1000', '']) {
        const answer = await scim(big, 'GET', `/Users${query}`);
        expect(answer.body).toMatchObject({ totalResults: 230, itemsPerPage: 200 });
        expect(answer.body.Resources).toHaveLength(200);
      }
    } finally {
      await big.close();
    }
  });

  it('Okta Test Connector: startIndex=1&count=2', async () => {
    const body = await list('?startIndex=1&count=2');
    expect(body).toMatchObject({ totalResults: SEEDED, startIndex: 1, itemsPerPage: 2 });
  });

  it('a non-numeric count is 400 invalidValue', async () => {
    const answer = await scim(server, 'GET', '/Users?count=ten');
    expect(answer.status).toBe(400);
    expect(answer.body.scimType).toBe('invalidValue');
  });
});

describe('sorting', () => {
  it('sortBy=userName ascending and descending, case-insensitively', async () => {
    const extra = await createUser(server, 'AAA-first');
    try {
      const ascending = (await list('?sortBy=userName&count=200')).Resources.map((r: Json) => r.userName);
      expect(ascending[0]).toBe('AAA-first');
      expect(ascending.slice(1)).toEqual([...ascending.slice(1)].sort());
      const descending = (await list('?sortBy=userName&sortOrder=descending&count=200')).Resources.map((r: Json) => r.userName);
      expect(descending).toEqual([...ascending].reverse());
    } finally {
      await scim(server, 'DELETE', `/Users/${extra.id}`);
    }
  });

  it('resources without the sort value come last ascending, first descending', async () => {
    // Only this user has a nickName; the seeded ones have none.
    const extra = await createUser(server, 'has-nick', { nickName: 'Zed' });
    try {
      const ascending = (await list('?sortBy=nickName&count=200')).Resources;
      expect(ascending[0].userName).toBe('has-nick');
      const descending = (await list('?sortBy=nickName&sortOrder=descending&count=200')).Resources;
      expect(descending.at(-1).userName).toBe('has-nick');
      expect(descending[0].userName).not.toBe('has-nick');
    } finally {
      await scim(server, 'DELETE', `/Users/${extra.id}`);
    }
  });

  it('a multi-valued attribute sorts by its primary value, else its first', async () => {
    const sorter = await start();
    try {
      const make = (userName: string, emails: Json[]) => scim(sorter, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, emails });
      await make('u-b', [{ value: 'a@first.example' }, { value: 'z@primary.example', primary: true }]);
      await make('u-a', [{ value: 'm@only.example' }]);
      const sorted = (await scim(sorter, 'GET', '/Users?sortBy=emails.value')).body.Resources.map((r: Json) => r.userName);
      expect(sorted).toEqual(['u-a', 'u-b']);
    } finally {
      await sorter.close();
    }
  });

  it('an unknown sortOrder is 400 invalidValue', async () => {
    const answer = await scim(server, 'GET', '/Users?sortBy=userName&sortOrder=sideways');
    expect(answer.status).toBe(400);
    expect(answer.body.scimType).toBe('invalidValue');
  });
});

describe('attributes and excludedAttributes', () => {
  let user: Json;
  beforeAll(async () => {
    user = await createUser(server, 'projected', { password: 'Secret-1', nickName: 'Proj' });
  });

  it('attributes=userName keeps id and schemas (returned always) and nothing else', async () => {
    const answer = await scim(server, 'GET', `/Users/${user.id}?attributes=userName`);
    expect(Object.keys(answer.body).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('attributes=id returns only id and schemas (legacy Entra manager check)', async () => {
    const answer = await scim(server, 'GET', `/Users?filter=${encodeURIComponent(`id eq "${user.id}"`)}&attributes=id`);
    expect(answer.body.Resources).toEqual([{ schemas: user.schemas, id: user.id }]);
  });

  it('sub-attribute names select parts of complex and multi-valued attributes', async () => {
    const answer = await scim(server, 'GET', `/Users/${user.id}?attributes=name.givenName,emails.value,${ENTERPRISE}:department`);
    expect(answer.body.name).toEqual({ givenName: 'givenName' });
    expect(answer.body.emails).toEqual([{ value: 'projected@testuser.com' }]);
    expect(answer.body[ENTERPRISE]).toEqual({ department: 'Sales' });
    expect(answer.body).not.toHaveProperty('userName');
  });

  it('attribute names are case-insensitive', async () => {
    const answer = await scim(server, 'GET', `/Users/${user.id}?attributes=USERNAME,NickName`);
    expect(answer.body).toMatchObject({ userName: 'projected', nickName: 'Proj' });
    expect(answer.body).not.toHaveProperty('emails');
  });

  it('excludedAttributes removes attributes and sub-attributes but never id or schemas', async () => {
    const answer = await scim(server, 'GET', `/Users/${user.id}?excludedAttributes=emails,name.formatted,id,schemas,meta`);
    expect(answer.body.id).toBe(user.id);
    expect(answer.body.schemas).toEqual(user.schemas);
    expect(answer.body).not.toHaveProperty('emails');
    expect(answer.body).not.toHaveProperty('meta');
    expect(answer.body.name).toEqual({ familyName: 'familyName', givenName: 'givenName' });
    expect(answer.body.userName).toBe('projected');
  });

  it('excluding a whole extension by its URN', async () => {
    const answer = await scim(server, 'GET', `/Users/${user.id}?excludedAttributes=${ENTERPRISE}`);
    expect(answer.body).not.toHaveProperty(ENTERPRISE);
    expect(answer.body.userName).toBe('projected');
  });

  it('password is never returned, asked for or not', async () => {
    expect(user).not.toHaveProperty('password');
    const asked = await scim(server, 'GET', `/Users/${user.id}?attributes=password,userName`);
    expect(asked.body).not.toHaveProperty('password');
    expect(asked.body.userName).toBe('projected');
  });

  it('applies to list, POST and PATCH answers too', async () => {
    const listed = await list(`?filter=${encodeURIComponent('userName eq "projected"')}&attributes=displayName,externalId`);
    expect(Object.keys(listed.Resources[0]).sort()).toEqual(['externalId', 'id', 'schemas']);
    const posted = await scim(server, 'POST', '/Users?attributes=userName', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'posted-projection', displayName: 'x' });
    expect(posted.status).toBe(201);
    expect(Object.keys(posted.body).sort()).toEqual(['id', 'schemas', 'userName']);
    const patched = await scim(server, 'PATCH', `/Users/${user.id}?excludedAttributes=emails,${ENTERPRISE}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'nickName', value: 'Projected' }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.nickName).toBe('Projected');
    expect(patched.body).not.toHaveProperty('emails');
    expect(patched.body).not.toHaveProperty(ENTERPRISE);
  });
});

describe('POST /Users/.search', () => {
  it('takes the query as a SearchRequest body', async () => {
    const answer = await scim(server, 'POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName sw "page-"',
      attributes: ['userName'],
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: 3,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.totalResults).toBe(SEEDED);
    expect(answer.body.Resources.map((r: Json) => r.userName)).toEqual(['page-00023', 'page-00022', 'page-00021']);
    expect(Object.keys(answer.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('a body without the SearchRequest schema is 400 invalidSyntax', async () => {
    const answer = await scim(server, 'POST', '/Users/.search', { filter: 'userName pr' });
    expect(answer.status).toBe(400);
    expect(answer.body.scimType).toBe('invalidSyntax');
  });
});
