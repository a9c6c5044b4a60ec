// The discovery model (src/discovery.ts) and the bodies fitted to it (src/fit-body.ts), on
// documents shaped like those real servers publish: a server without the enterprise extension or
// nickName, one that marks displayName required, one without discovery endpoints at all.
import { describe, expect, it, vi } from 'vitest';
import type { ScimResponse } from '../../src/client.ts';
import { defines, readServerSchema, splitSchemaPath } from '../../src/discovery.ts';
import { fitCreateBody } from '../../src/fit-body.ts';
import { createGroupBody, createUserBody, SCHEMA } from '../../src/profiles/entra.ts';

// The builders need no run: only uniqueName (via src/names.ts) reads the suite's target.
vi.mock('../../src/suite.ts', () => ({ target: { runId: 'scimc-discovery' } }));

const answer = (status: number, json: unknown): ScimResponse => ({ status, headers: {}, text: JSON.stringify(json), json, exchange: {} as never, retried: [] });
const list = (resources: unknown[]) => answer(200, { schemas: [SCHEMA.listResponse], totalResults: resources.length, Resources: resources });

const userSchema = (extra: object[] = []) => ({
  id: SCHEMA.user,
  attributes: [
    { name: 'userName', type: 'string', required: true },
    { name: 'name', type: 'complex', subAttributes: [{ name: 'givenName', type: 'string' }, { name: 'familyName', type: 'string' }] },
    { name: 'emails', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }, { name: 'type', type: 'string' }, { name: 'primary', type: 'boolean' }] },
    { name: 'active', type: 'boolean' },
    { name: 'externalId', type: 'string' },
    ...extra,
  ],
});
const groupSchema = { id: SCHEMA.group, attributes: [{ name: 'displayName', type: 'string', required: true }, { name: 'members', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }] }] };
const userType = (extensions: object[] = []) => ({ name: 'User', endpoint: '/Users', schema: SCHEMA.user, schemaExtensions: extensions });
const groupType = { name: 'Group', endpoint: '/Groups', schema: SCHEMA.group };

/** A server that publishes the core User without nickName, title or the enterprise extension (as small SaaS endpoints do). */
const minimal = readServerSchema(list([userType(), groupType]), list([userSchema(), groupSchema]));

const seed = { userName: 'u@example.com', externalId: 'u-1', givenName: 'Zoë', familyName: "O'Brien", email: 'u@work.example.com', employeeNumber: '1', department: 'D' };
const hints = { name: seed.externalId, givenName: seed.givenName, familyName: seed.familyName, email: seed.email };

describe('what the server defines', () => {
  it('knows core attributes and sub-attributes, without regard to case, through value filters', () => {
    expect(defines(minimal, 'User', 'userName')).toBe(true);
    expect(defines(minimal, 'User', 'USERNAME')).toBe(true);
    expect(defines(minimal, 'User', 'name.familyName')).toBe(true);
    expect(defines(minimal, 'User', 'emails[type eq "work"].value')).toBe(true);
    expect(defines(minimal, 'User', `${SCHEMA.user}:name.givenName`)).toBe(true);
  });

  it('counts the common attributes of RFC 7643 §3.1 (id, externalId, meta) as defined though no schema lists them', () => {
    const withoutExternalId = readServerSchema(list([userType()]), list([{ id: SCHEMA.user, attributes: [{ name: 'userName', type: 'string' }] }]));
    expect(defines(withoutExternalId, 'User', 'externalId')).toBe(true);
    expect(defines(withoutExternalId, 'User', 'meta.created')).toBe(true);
    expect(defines(withoutExternalId, 'User', `${SCHEMA.user.toLowerCase()}:externalId`)).toBe(true);
  });

  it('says no for attributes, sub-attributes and extensions it does not publish', () => {
    expect(defines(minimal, 'User', 'nickName')).toBe(false);
    expect(defines(minimal, 'User', 'name.middleName')).toBe(false);
    expect(defines(minimal, 'User', 'addresses[type eq "work"].formatted')).toBe(false);
    expect(defines(minimal, 'User', SCHEMA.enterprise)).toBe(false);
    expect(defines(minimal, 'User', `${SCHEMA.enterprise}:department`)).toBe(false);
  });

  it('needs the sub-attribute a value filter names: emails[type eq "work"].value needs emails.type', () => {
    const typeless = readServerSchema(list([userType()]), list([{ id: SCHEMA.user, attributes: [{ name: 'emails', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }] }] }]));
    expect(defines(typeless, 'User', 'emails.value')).toBe(true);
    expect(defines(typeless, 'User', 'emails[type eq "work"].value')).toBe(false);
  });

  it('reads an extension as in use when the resource type lists no extensions at all but /Schemas serves it', () => {
    const enterprise = { id: SCHEMA.enterprise, attributes: [{ name: 'department', type: 'string' }] };
    expect(defines(readServerSchema(list([userType()]), list([userSchema(), enterprise])), 'User', `${SCHEMA.enterprise}:department`)).toBe(true);
    expect(defines(minimal, 'User', `${SCHEMA.enterprise}:department`)).toBe(false);
  });

  it('never adds a readOnly required attribute to a body', () => {
    const model = readServerSchema(list([userType()]), list([userSchema([{ name: 'groups', type: 'complex', multiValued: true, required: true, mutability: 'readOnly' }])]));
    expect(fitCreateBody(model, 'User', { schemas: [SCHEMA.user], userName: 'u' }, hints, false)).not.toHaveProperty('groups');
  });

  it('knows the attributes of an extension the User resource type lists and /Schemas serves', () => {
    const enterprise = { id: SCHEMA.enterprise, attributes: [{ name: 'department', type: 'string' }, { name: 'manager', type: 'complex', subAttributes: [{ name: 'value', type: 'string' }] }] };
    const model = readServerSchema(list([userType([{ schema: SCHEMA.enterprise, required: false }])]), list([userSchema(), enterprise]));
    expect(defines(model, 'User', `${SCHEMA.enterprise}:department`)).toBe(true);
    expect(defines(model, 'User', `${SCHEMA.enterprise}:manager.value`)).toBe(true);
    expect(defines(model, 'User', `${SCHEMA.enterprise}:employeeNumber`)).toBe(false);
  });

  it('counts everything as defined when /Schemas cannot be read, and says why', () => {
    const model = readServerSchema(answer(404, {}), answer(404, {}));
    expect(model.unreadable).toBe('GET /Schemas answered 404');
    expect(defines(model, 'User', 'nickName')).toBe(true);
    expect(defines(model, 'User', `${SCHEMA.enterprise}:department`)).toBe(true);
  });

  it('splits URN-qualified paths at the attribute, whatever dots the URN holds', () => {
    expect(splitSchemaPath(`${SCHEMA.enterprise}:manager.value`)).toEqual([SCHEMA.enterprise, 'manager.value']);
    expect(splitSchemaPath('emails[type eq "a:b"].value')).toEqual([undefined, 'emails[type eq "a:b"].value']);
  });
});

describe('create bodies fitted to the server', () => {
  it('leaves out, for a strict client, what the server does not define: extension, attributes, sub-attributes, meta', () => {
    const body = fitCreateBody(minimal, 'User', createUserBody(seed), hints, true);
    expect(body.schemas).toEqual([SCHEMA.user]);
    expect(body).not.toHaveProperty(SCHEMA.enterprise);
    expect(body).not.toHaveProperty('title');
    expect(body).not.toHaveProperty('meta');
    expect(body.name).toEqual({ givenName: 'Zoë', familyName: "O'Brien" });
    expect(body.emails).toEqual([{ primary: true, type: 'work', value: seed.email }]);
  });

  it('keeps what a client sends (the request under test) when it is not strict', () => {
    const body = fitCreateBody(minimal, 'User', createUserBody(seed), hints, false);
    expect(body).toEqual(createUserBody(seed));
  });

  it('adds the attributes the server marks required, with plausible values', () => {
    const model = readServerSchema(list([userType()]), list([userSchema([{ name: 'displayName', type: 'string', required: true }, { name: 'costCenter', type: 'integer', required: true }])]));
    const { displayName: _d, ...withoutDisplayName } = createUserBody(seed);
    const body = fitCreateBody(model, 'User', withoutDisplayName, hints, false);
    expect(body.displayName).toBe("Zoë O'Brien");
    expect(body.costCenter).toBe(1);
  });

  it('adds a required extension with its required attributes and lists it in schemas', () => {
    const ext = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
    const model = readServerSchema(list([userType([{ schema: ext, required: true }])]), list([userSchema(), { id: ext, attributes: [{ name: 'badge', type: 'string', required: true }] }]));
    const body = fitCreateBody(model, 'User', { schemas: [SCHEMA.user], userName: 'u' }, hints, true);
    expect(body.schemas).toEqual([SCHEMA.user, ext]);
    expect(body[ext]).toEqual({ badge: 'u-1' });
  });

  it("drops Entra's ADSCIM group schema URI for a strict client", () => {
    const body = fitCreateBody(minimal, 'Group', createGroupBody('g', 'g-ext'), { name: 'g' }, true);
    expect(body).toEqual({ schemas: [SCHEMA.group], externalId: 'g-ext', displayName: 'g' });
  });
});
