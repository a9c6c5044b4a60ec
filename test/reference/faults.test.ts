// Every fault switch changes exactly the behaviour it names: the same observation is made on a
// clean server and on one with the fault on, and the two must differ as the catalogue says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, Faults, type FaultName } from '../../reference/faults.ts';
import type { ReferenceServer } from '../../reference/server.ts';
import { USER_SCHEMA, createUser, filterQuery, patchOp, scim, start } from './helpers.ts';

interface Scenario {
  observe(server: ReferenceServer): Promise<unknown>;
  clean: unknown;
  broken: unknown;
}

const SCENARIOS: Record<FaultName, Scenario> = {
  'empty-filter-404': {
    observe: async (s) => (await scim(s, 'GET', `/Users${filterQuery('userName eq "nobody-at-all"')}`)).status,
    clean: 200,
    broken: 404,
  },
  'username-case-sensitive': {
    async observe(s) {
      await createUser(s, 'Case.Sensitive');
      return (await scim(s, 'GET', `/Users${filterQuery('userName eq "case.sensitive"')}`)).body.totalResults;
    },
    clean: 1,
    broken: 0,
  },
  'patch-op-case-sensitive': {
    async observe(s) {
      const user = await createUser(s, 'patched');
      const capitalised = await scim(s, 'PATCH', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      const lowercase = await scim(s, 'PATCH', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
      return [capitalised.status, capitalised.body.scimType, lowercase.status];
    },
    clean: [200, undefined, 200],
    broken: [400, 'invalidSyntax', 200],
  },
  'delete-200': {
    async observe(s) {
      const user = await createUser(s, 'deleted');
      const answer = await scim(s, 'DELETE', `/Users/${user.id}`);
      return [answer.status, answer.text === '', (await scim(s, 'GET', `/Users/${user.id}`)).status];
    },
    clean: [204, true, 404],
    broken: [200, false, 404],
  },
  'no-location': {
    observe: async (s) => (await scim(s, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'located' })).headers.has('location'),
    clean: true,
    broken: false,
  },
  'auth-not-enforced': {
    async observe(s) {
      const none = await scim(s, 'GET', '/Users', undefined, { headers: {}, replaceHeaders: true });
      const wrong = await scim(s, 'GET', '/Users', undefined, { headers: { Authorization: 'Bearer wrong' } });
      return [none.status, wrong.status];
    },
    clean: [401, 401],
    broken: [200, 200],
  },
  'content-type-json': {
    async observe(s) {
      const ok = await scim(s, 'GET', '/Users');
      const error = await scim(s, 'GET', '/Users/unknown');
      return [ok.headers.get('content-type'), error.headers.get('content-type')];
    },
    clean: ['application/scim+json; charset=utf-8', 'application/scim+json; charset=utf-8'],
    broken: ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
  },
  'create-200': {
    observe: async (s) => (await scim(s, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'created' })).status,
    clean: 201,
    broken: 200,
  },
  'unknown-id-500': {
    async observe(s) {
      const answer = await scim(s, 'GET', `/Users/${crypto.randomUUID()}`);
      return [answer.status, answer.body.status];
    },
    clean: [404, '404'],
    broken: [500, '500'],
  },
  'error-status-number': {
    observe: async (s) => (await scim(s, 'GET', `/Users/${crypto.randomUUID()}`)).body.status,
    clean: '404',
    broken: 404,
  },
  'filter-ignored': {
    async observe(s) {
      await createUser(s, 'wanted');
      await createUser(s, 'unwanted');
      return (await scim(s, 'GET', `/Users${filterQuery('userName eq "wanted"')}`)).body.totalResults;
    },
    clean: 1,
    broken: 2,
  },
  'soft-delete': {
    async observe(s) {
      const user = await createUser(s, 'lingering');
      const deleted = await scim(s, 'DELETE', `/Users/${user.id}`);
      return [deleted.status, (await scim(s, 'GET', `/Users/${user.id}`)).status];
    },
    clean: [204, 404],
    broken: [204, 200],
  },
};

let clean: ReferenceServer;
beforeAll(async () => {
  clean = await start();
});
afterAll(() => clean.close());

describe('fault catalogue', () => {
  it('names are unique, each says what it breaks, and each has a scenario here', () => {
    const names = FAULTS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(SCENARIOS).sort()).toEqual([...names].sort());
    for (const fault of FAULTS) {
      expect(fault.breaks.length, fault.name).toBeGreaterThan(20);
      expect(Array.isArray(fault.catches)).toBe(true);
    }
  });

  it('Faults.has answers for active names only and rejects unknown ones', () => {
    const faults = new Faults(['delete-200', ' soft-delete ', '']);
    expect(faults.has('delete-200')).toBe(true);
    expect(faults.has('soft-delete')).toBe(true);
    expect(faults.has('create-200')).toBe(false);
    expect(faults.list().sort()).toEqual(['delete-200', 'soft-delete']);
    expect(() => new Faults(['delete200'])).toThrow(/Unknown fault "delete200"\. Known faults: .*delete-200/);
  });
});

describe.each(FAULTS.map((f) => f.name))('fault %s', (name) => {
  const scenario = SCENARIOS[name];
  let faulty: ReferenceServer;
  beforeAll(async () => {
    faulty = await start([name]);
  });
  afterAll(() => faulty.close());

  it('leaves the clean behaviour on a clean server', async () => {
    clean.reset();
    expect(await scenario.observe(clean)).toEqual(scenario.clean);
  });

  it('breaks it when switched on', async () => {
    expect(await scenario.observe(faulty)).toEqual(scenario.broken);
  });
});
