// Each profile's builders, request by request: the forms of wire-reference.md §10 without a server.
import { describe, expect, test, vi } from 'vitest';
import { CLIENT_PROFILES } from '../../src/profiles/index.ts';

// The builders need no run: only uniqueName (via src/names.ts) reads the suite's target.
vi.mock('../../src/suite.ts', () => ({ target: { runId: 'scimc-builders' } }));

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ADSCIM = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const current = { schemas: ['s'], id: 'u1', userName: 'a@example.com', name: { givenName: 'A', familyName: 'B' }, meta: { resourceType: 'User' } };
const changes = { 'name.familyName': 'C', [`${ENTERPRISE}:department`]: 'D' };
const { entra, 'entra-2020': entra2020, okta, rfc } = CLIENT_PROFILES;

describe('profile builders', () => {
  test('updateUser: Entra one capitalised Replace per path, entra-2020 one pathless replace, Okta the whole user by PUT, rfc lowercase replace per path', () => {
    expect(entra.updateUser('u1', current, changes)).toMatchObject({
      method: 'PATCH',
      path: '/Users/u1',
      body: { Operations: [{ op: 'Replace', path: 'name.familyName', value: 'C' }, { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'D' }] },
    });
    expect(entra2020.updateUser('u1', current, changes)).toMatchObject({ method: 'PATCH', body: { Operations: [{ op: 'replace', value: changes }] } });
    expect(okta.updateUser('u1', current, changes)).toEqual({
      method: 'PUT',
      path: '/Users/u1',
      body: { schemas: ['s'], id: 'u1', userName: 'a@example.com', name: { givenName: 'A', familyName: 'C' }, [ENTERPRISE]: { department: 'D' } },
    });
    expect(current.name.familyName).toBe('B');
    expect(rfc.updateUser('u1', current, changes)).toMatchObject({ method: 'PATCH', body: { Operations: [{ op: 'replace', path: 'name.familyName' }, { op: 'replace' }] } });
  });

  test('createGroupBody: the ADSCIM schema URI from Entra only; Okta with an empty member list', () => {
    expect(entra.createGroupBody('g', 'x').schemas).toContain(ADSCIM);
    expect(entra2020.createGroupBody('g', 'x').schemas).toContain(ADSCIM);
    expect(okta.createGroupBody('g', 'x')).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'g', members: [] });
    expect(rfc.createGroupBody('g', 'x').schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Group']);
  });

  test('deactivate: Entra the string "False", entra-2020 and rfc a boolean at path active, Okta a pathless replace', () => {
    expect(entra.deactivate('u1').body).toMatchObject({ Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(entra2020.deactivate('u1').body).toMatchObject({ Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(rfc.deactivate('u1').body).toMatchObject({ Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(okta.deactivate('u1').body).toMatchObject({ Operations: [{ op: 'replace', value: { active: false } }] });
  });

  test('only Okta keeps users (no DELETE) and takes 404 for no match', () => {
    expect(Object.values(CLIENT_PROFILES).filter((p) => !p.deletesUsers).map((p) => p.name)).toEqual(['okta']);
    expect(Object.values(CLIENT_PROFILES).filter((p) => p.acceptsNotFoundForNoMatch).map((p) => p.name)).toEqual(['okta']);
  });
});
