// /ServiceProviderConfig, /Schemas, /ResourceTypes (RFC 7643 §5-§7, RFC 7644 §4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference/server.ts';
import { ENTERPRISE, GROUP_SCHEMA, LIST_RESPONSE, USER_SCHEMA, errorOf, scim, start, type Json } from './helpers.ts';

let server: ReferenceServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const attributeNamed = (schema: Json, name: string) => (schema.attributes as Json[]).find((a) => a.name === name);

describe('ServiceProviderConfig', () => {
  it('advertises what the server does', async () => {
    const answer = await scim(server, 'GET', '/ServiceProviderConfig');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: false },
      meta: { resourceType: 'ServiceProviderConfig', location: `${server.baseUrl}/ServiceProviderConfig` },
    });
    expect(answer.body.authenticationSchemes).toHaveLength(1);
    expect(answer.body.authenticationSchemes[0]).toMatchObject({ type: 'oauthbearertoken', name: expect.any(String), description: expect.any(String) });
  });

  it('a filter on a discovery endpoint is 403 (RFC 7644 §4)', async () => {
    expect(errorOf(await scim(server, 'GET', '/Schemas?filter=id%20pr'))).toMatchObject({ status: 403, bodyStatus: '403' });
  });
});

describe('Schemas', () => {
  it('lists User, EnterpriseUser and Group as a ListResponse', async () => {
    const answer = await scim(server, 'GET', '/Schemas');
    expect(answer.body.schemas).toEqual([LIST_RESPONSE]);
    expect(answer.body.totalResults).toBe(3);
    expect(answer.body.Resources.map((s: Json) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA]);
    for (const schema of answer.body.Resources) {
      expect(schema.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
      expect(schema.meta).toEqual({ resourceType: 'Schema', location: `${server.baseUrl}/Schemas/${schema.id}` });
    }
  });

  it('carries full attribute definitions (RFC 7643 §7)', async () => {
    const user = (await scim(server, 'GET', `/Schemas/${USER_SCHEMA}`)).body;
    expect(attributeNamed(user, 'userName')).toMatchObject({ type: 'string', multiValued: false, required: true, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'server' });
    expect(attributeNamed(user, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attributeNamed(user, 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    const emails = attributeNamed(user, 'emails');
    expect(emails).toMatchObject({ type: 'complex', multiValued: true });
    expect(emails.subAttributes.map((a: Json) => a.name)).toEqual(['value', 'display', 'type', 'primary']);
    for (const attribute of user.attributes) {
      for (const key of ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness']) {
        expect(attribute, `${attribute.name}.${key}`).toHaveProperty(key);
      }
    }
    const enterprise = (await scim(server, 'GET', `/Schemas/${ENTERPRISE}`)).body;
    expect(attributeNamed(enterprise, 'manager').subAttributes.map((a: Json) => a.name)).toEqual(['value', '$ref', 'displayName']);
    const group = (await scim(server, 'GET', `/Schemas/${GROUP_SCHEMA}`)).body;
    expect(attributeNamed(group, 'members').subAttributes.map((a: Json) => a.name)).toEqual(['value', '$ref', 'display', 'type']);
  });

  it('an unknown schema URN is 404', async () => {
    expect(errorOf(await scim(server, 'GET', '/Schemas/urn:example:nothing'))).toMatchObject({ status: 404, bodyStatus: '404' });
  });
});

describe('ResourceTypes', () => {
  it('lists User (with the enterprise extension) and Group', async () => {
    const answer = await scim(server, 'GET', '/ResourceTypes');
    expect(answer.body.totalResults).toBe(2);
    const [user, group] = answer.body.Resources;
    expect(user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: 'ResourceType', location: `${server.baseUrl}/ResourceTypes/User` },
    });
    expect(group).toMatchObject({ id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA, schemaExtensions: [] });
  });

  it('GET /ResourceTypes/User works; "Users" (a known client mistake) is 404', async () => {
    expect((await scim(server, 'GET', '/ResourceTypes/User')).body.endpoint).toBe('/Users');
    expect(errorOf(await scim(server, 'GET', '/ResourceTypes/Users'))).toMatchObject({ status: 404, bodyStatus: '404' });
  });
});
