// Transport rules: bearer auth, media types, error shape, unknown endpoints and methods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ERROR, TOKEN, USER_SCHEMA, createUser, errorOf, scim, start } from './helpers.ts';

let server: ReferenceServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

describe('bearer authentication', () => {
  it('a request without Authorization is 401 with a SCIM Error, and that request really had no token', async () => {
    server.reset();
    const answer = await scim(server, 'GET', '/Users', undefined, { headers: {}, replaceHeaders: true });
    expect(errorOf(answer)).toEqual({ status: 401, bodyStatus: '401', scimType: undefined, schemas: [ERROR] });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(answer.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers['authorization']).toBeUndefined();
  });

  it.each([['Bearer wrong-token'], [`Bearer ${TOKEN}x`], [`Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`], [TOKEN], ['Bearer']])(
    'Authorization: %s is 401',
    async (authorization) => {
      const answer = await scim(server, 'GET', '/Users', undefined, { headers: { Authorization: authorization } });
      expect(errorOf(answer)).toMatchObject({ status: 401, bodyStatus: '401', schemas: [ERROR] });
    },
  );

  it('discovery endpoints need the token too; the scheme name is case-insensitive', async () => {
    expect((await scim(server, 'GET', '/ServiceProviderConfig', undefined, { headers: {}, replaceHeaders: true })).status).toBe(401);
    expect((await scim(server, 'GET', '/ServiceProviderConfig', undefined, { headers: { Authorization: `bearer ${TOKEN}` } })).status).toBe(200);
  });
});

describe('media types', () => {
  it('every JSON answer is application/scim+json; charset=utf-8 (success and error)', async () => {
    for (const path of ['/Users', '/ServiceProviderConfig', '/Users/nope', '/Nowhere']) {
      const answer = await scim(server, 'GET', path);
      expect(answer.headers.get('content-type'), path).toBe('application/scim+json; charset=utf-8');
    }
  });

  it('accepts application/json and application/scim+json with parameters', async () => {
    for (const [i, contentType] of ['application/json', 'application/scim+json; charset=utf-8', 'Application/JSON;charset=UTF-8'].entries()) {
      const answer = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: `media-${i}` }, { headers: { 'Content-Type': contentType } });
      expect(answer.status, contentType).toBe(201);
    }
  });

  it('refuses other request media types with 415', async () => {
    const answer = await scim(server, 'POST', '/Users', JSON.stringify({ schemas: [USER_SCHEMA], userName: 'xml' }), { headers: { 'Content-Type': 'application/xml' } });
    expect(errorOf(answer)).toMatchObject({ status: 415, bodyStatus: '415', schemas: [ERROR] });
  });

  it('an empty body on POST is 400 invalidSyntax', async () => {
    const answer = await scim(server, 'POST', '/Users', '');
    expect(errorOf(answer)).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });
});

describe('endpoints and methods', () => {
  it('unknown endpoints are 404 with a SCIM Error, inside and outside the base path', async () => {
    expect(errorOf(await scim(server, 'GET', '/Widgets'))).toEqual({ status: 404, bodyStatus: '404', scimType: undefined, schemas: [ERROR] });
    const outside = await fetch(new URL('/elsewhere', server.baseUrl), { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(outside.status).toBe(404);
    expect((await outside.json()).schemas).toEqual([ERROR]);
  });

  it('unsupported methods are 405 with Allow', async () => {
    const put = await scim(server, 'PUT', '/Users', { schemas: [USER_SCHEMA], userName: 'x' });
    expect(errorOf(put)).toMatchObject({ status: 405, bodyStatus: '405' });
    expect(put.headers.get('allow')).toBe('GET, POST');
    const post = await scim(server, 'POST', '/ServiceProviderConfig', {});
    expect(errorOf(post)).toMatchObject({ status: 405, bodyStatus: '405' });
    const deleteAll = await scim(server, 'DELETE', '/Groups');
    expect(deleteAll.status).toBe(405);
  });

  it('/Me and /Bulk are 501 Not Implemented (bulk is advertised as unsupported)', async () => {
    expect(errorOf(await scim(server, 'GET', '/Me'))).toMatchObject({ status: 501, bodyStatus: '501' });
    expect(errorOf(await scim(server, 'POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }))).toMatchObject({ status: 501 });
  });

  it('tolerates a trailing slash and a doubled slash after the base URL', async () => {
    expect((await scim(server, 'GET', '/Users/')).status).toBe(200);
    expect((await scim(server, 'GET', '//Users')).status).toBe(200);
  });

  it('ignores unknown query parameters such as aadOptscim062020', async () => {
    const answer = await scim(server, 'GET', `/Users?aadOptscim062020&filter=${encodeURIComponent('userName eq "nobody"')}`);
    expect(answer.status).toBe(200);
    expect(answer.body.totalResults).toBe(0);
  });
});

describe('server API', () => {
  it('received logs method, url, headers and body of every request in order', async () => {
    server.reset();
    await scim(server, 'GET', '/Users?count=1');
    await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'logged' });
    expect(server.received.map((r) => [r.method, r.url])).toEqual([
      ['GET', '/scim/v2/Users?count=1'],
      ['POST', '/scim/v2/Users'],
    ]);
    expect(server.received[1]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(server.received[1]!.body)).toEqual({ schemas: [USER_SCHEMA], userName: 'logged' });
  });

  it('reset empties the store and the log', async () => {
    await createUser(server, 'to-be-forgotten');
    server.reset();
    expect(server.received).toHaveLength(0);
    expect((await scim(server, 'GET', '/Users?count=0')).body.totalResults).toBe(0);
    const again = await scim(server, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'to-be-forgotten' });
    expect(again.status).toBe(201);
  });

  it('seedUsers inserts n distinct users, even when called twice with one prefix', async () => {
    server.reset();
    server.seedUsers(3, 'bulk');
    server.seedUsers(2, 'bulk');
    const answer = await scim(server, 'GET', '/Users?sortBy=userName');
    expect(answer.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['bulk-00001', 'bulk-00002', 'bulk-00003', 'bulk-00004', 'bulk-00005']);
    expect(answer.body.Resources[0]).toMatchObject({ active: true, schemas: [USER_SCHEMA], meta: { resourceType: 'User' } });
  });

  it('honours host and basePath options and closes promptly with a keep-alive socket open', async () => {
    const custom = await (await import('../../reference/server.ts')).startReferenceServer({ token: 't', basePath: 'custom/base/', host: '127.0.0.1' });
    expect(custom.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/custom\/base$/);
    const answer = await fetch(`${custom.baseUrl}/ServiceProviderConfig`, { headers: { Authorization: 'Bearer t', Connection: 'keep-alive' } });
    expect(answer.status).toBe(200);
    const started = Date.now();
    await custom.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${custom.baseUrl}/ServiceProviderConfig`)).rejects.toThrow();
  });

  it('refuses unknown fault names and an empty token', async () => {
    const { startReferenceServer } = await import('../../reference/server.ts');
    await expect(startReferenceServer({ token: 't', faults: ['no-such-fault'] })).rejects.toThrow(/Unknown fault "no-such-fault".*empty-filter-404/);
    await expect(startReferenceServer({ token: '' })).rejects.toThrow(/token/);
  });
});
