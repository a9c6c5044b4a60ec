// The users the suite creates: the default seed as before, its variants (no emails, a home email,
// a plain userName, names beyond ASCII), and the shape SCIM_USERNAME_TEMPLATE / SCIM_EMAIL_DOMAIN give it.
import { describe, expect, test, vi } from 'vitest';
import type { Target } from '../../src/target.ts';

// The builders need no run: only uniqueName (src/names.ts) and the test-data shape read the suite's target.
const suite = vi.hoisted(() => ({ target: { runId: 'scimc-seeds' } as Partial<Target> }));
vi.mock('../../src/suite.ts', () => suite);

const { emailsOf, userSeed, withAccentedNames, withHomeEmail, withPlainUserName, withoutEmails } = await import('../../src/profiles/entra.ts');
const { CLIENT_PROFILES } = await import('../../src/profiles/index.ts');

const { entra, 'entra-2020': entra2020, okta, rfc } = CLIENT_PROFILES;
const NAME = /^scimc-seeds-seed-\d+$/;

describe('user seeds', () => {
  test('the default seed is the user of before: a UPN-like mixed-case userName and one primary work email', () => {
    const seed = userSeed('seed');
    expect(seed.externalId).toMatch(NAME);
    expect(seed.userName).toBe(`${seed.externalId}.Test_User@TestUser.example.com`);
    expect(seed.email).toBe(`${seed.externalId}@work.example.com`);
    expect(entra.createUserBody(seed).emails).toEqual([{ primary: true, type: 'work', value: seed.email }]);
    expect(Object.keys(entra.createUserBody(seed))).toEqual([
      'schemas', 'externalId', 'userName', 'active', 'displayName', 'title', 'preferredLanguage', 'emails', 'meta', 'name', 'roles',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]);
    expect(okta.createUserBody(seed).emails).toEqual([{ primary: true, value: seed.email, type: 'work' }]);
  });

  test('without emails: no profile sends `emails` at all (Entra skips null attributes)', () => {
    const seed = withoutEmails(userSeed('seed'));
    expect(emailsOf(seed)).toEqual([]);
    for (const profile of [entra, entra2020, okta, rfc]) expect(profile.createUserBody(seed), profile.name).not.toHaveProperty('emails');
  });

  test('with a home email: the work email (primary) first, then a home email in the same domain', () => {
    const seed = withHomeEmail(userSeed('seed'));
    const home = `${seed.externalId}.home@work.example.com`;
    expect(entra.createUserBody(seed).emails).toEqual([
      { primary: true, type: 'work', value: seed.email },
      { type: 'home', value: home },
    ]);
    expect(okta.createUserBody(seed).emails).toEqual([
      { primary: true, value: seed.email, type: 'work' },
      { value: home, type: 'home' },
    ]);
  });

  test('a plain userName is the run-unique name alone; names beyond ASCII reach every name attribute as given', () => {
    const plain = withPlainUserName(userSeed('seed'));
    expect(plain.userName).toBe(plain.externalId);
    expect(plain.userName).not.toContain('@');
    const body = entra.createUserBody(withAccentedNames(userSeed('seed')));
    expect(body.name).toEqual({ formatted: "Zoë O'Brien-Ångström", familyName: "O'Brien-Ångström", givenName: 'Zoë' });
    expect(body.displayName).toBe("Zoë O'Brien-Ångström");
    expect(okta.createUserBody(withAccentedNames(userSeed('seed'))).name).toEqual({ givenName: 'Zoë', familyName: "O'Brien-Ångström" });
  });

  test('variants combine and leave the seed they start from alone', () => {
    const seed = userSeed('seed');
    const both = withAccentedNames(withHomeEmail(withPlainUserName(seed)));
    expect(both).toMatchObject({ userName: seed.externalId, givenName: 'Zoë', email: seed.email });
    expect(emailsOf(both).map((e) => e.type)).toEqual(['work', 'home']);
    expect(seed).not.toHaveProperty('otherEmails');
    expect(seed.userName).toContain('@');
  });

  test('SCIM_USERNAME_TEMPLATE and SCIM_EMAIL_DOMAIN (the target\'s testData) shape the userName and the emails', () => {
    suite.target.testData = { userNameTemplate: '{name}@contoso.com', emailDomain: 'mail.contoso.com' };
    try {
      const seed = withHomeEmail(userSeed('seed'));
      expect(seed.userName).toBe(`${seed.externalId}@contoso.com`);
      expect(emailsOf(seed).map((e) => e.value)).toEqual([`${seed.externalId}@mail.contoso.com`, `${seed.externalId}.home@mail.contoso.com`]);
      // A template without "@" gives plain userNames.
      expect(userSeed('seed', { userNameTemplate: '{name}', emailDomain: 'example.org' })).toMatchObject({ userName: expect.stringMatching(NAME), email: expect.stringMatching(/@example\.org$/) });
    } finally {
      delete suite.target.testData;
    }
  });
});
