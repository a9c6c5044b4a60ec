// What Microsoft Entra ID sends, as data and small builders (../shared/wire-reference.md).
import { uniqueName } from '../names.ts';
import { target } from '../suite.ts';
import { DEFAULT_TEST_DATA, type TestData } from '../target.ts';

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  adscimGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** An attribute path in a query, spaces as '+' (a value path such as emails[type eq "work"].value has some). */
const plusEncoded = (attribute: string) => encodeURIComponent(attribute).replace(/%20/g, '+');

/** The ways a `<attribute> eq "<value>"` filter reaches endpoints (wire-reference.md §0). */
export const filterEncodings = {
  /** Entra's provisioning service: spaces as '+', quotes as %22. */
  entra: (attribute: string, value: string) => `filter=${plusEncoded(attribute)}+eq+%22${encodeURIComponent(value)}%22`,
  /** The Microsoft SCIM Validator: raw double quotes in the query. */
  validator: (attribute: string, value: string) => `filter=${plusEncoded(attribute)}+eq+"${encodeURIComponent(value)}"`,
  /** Plain percent-encoding of the whole expression, as most HTTP libraries do it. */
  percent: (attribute: string, value: string) => `filter=${encodeURIComponent(`${attribute} eq "${value}"`)}`,
} as const;

export type FilterEncoding = keyof typeof filterEncodings;

/** GET path of a one-attribute equality lookup, in Entra's encoding unless told otherwise. */
export function lookupPath(endpoint: 'Users' | 'Groups', attribute: string, value: string, encoding: FilterEncoding = 'entra'): string {
  return `/${endpoint}?${filterEncodings[encoding](attribute, value)}`;
}

/** One email of a user, as a create body carries it. */
export interface SeedEmail {
  type: string;
  value: string;
  primary?: boolean;
}

export interface UserSeed {
  userName: string;
  externalId: string;
  givenName: string;
  familyName: string;
  /** The work email (Entra maps `mail` to emails[type eq "work"].value), sent as the primary email. */
  email: string;
  /** Further emails, sent after the work email (withHomeEmail). */
  otherEmails?: SeedEmail[];
  /**
   * A directory user without mail (withoutEmails): Entra skips null source attributes, so the body
   * carries no `emails` at all; `email` and `otherEmails` are then not sent.
   */
  noEmails?: true;
  employeeNumber: string;
  department: string;
  /** Entra sends the manager as a bare id string. */
  manager?: string;
}

/** The shape of the run's users (SCIM_USERNAME_TEMPLATE, SCIM_EMAIL_DOMAIN). */
function testData(): TestData {
  return target.testData ?? DEFAULT_TEST_DATA;
}

/** A user as an admin's directory would hold it, with run-unique names. */
export function userSeed(label: string, shape: TestData = testData()): UserSeed {
  const name = uniqueName(label);
  return {
    // By default mixed case, like a userPrincipalName: a server that folds case cannot pass "stored as sent".
    userName: shape.userNameTemplate.replaceAll('{name}', name),
    externalId: name,
    givenName: 'Given',
    familyName: `Family-${label}`,
    email: `${name}@${shape.emailDomain}`,
    employeeNumber: name.slice(-12),
    department: 'Conformance',
  };
}

// Variants of a seed, for createUser(label, change): data that finds the bugs the default user hides.

/** A directory user without mail: the create body carries no `emails` (wire-reference.md §3: null attributes are skipped). */
export function withoutEmails(seed: UserSeed): UserSeed {
  return { ...seed, noEmails: true };
}

/** A second email of another type: a home email next to the work email (<local>.home@<domain>). */
export function withHomeEmail(seed: UserSeed): UserSeed {
  const at = seed.email.lastIndexOf('@');
  const home = `${seed.email.slice(0, at)}.home${seed.email.slice(at)}`;
  return { ...seed, otherEmails: [...(seed.otherEmails ?? []), { type: 'home', value: home }] };
}

/** A userName that is not an email address: the run-unique name alone (as some directories' sAMAccountName). */
export function withPlainUserName(seed: UserSeed): UserSeed {
  return { ...seed, userName: seed.externalId };
}

/** Names beyond ASCII, with an apostrophe and a hyphen: givenName "Zoë", familyName "O'Brien-Ångström". */
export function withAccentedNames(seed: UserSeed): UserSeed {
  return { ...seed, givenName: 'Zoë', familyName: "O'Brien-Ångström" };
}

/** The emails a create body carries for a seed, the work email first; none for a user without mail. */
export function emailsOf(seed: UserSeed): SeedEmail[] {
  if (seed.noEmails) return [];
  return [{ type: 'work', value: seed.email, primary: true }, ...(seed.otherEmails ?? [])];
}

/**
 * The POST /Users body Entra sends (wire-reference.md §3) for a directory user with the usual
 * attributes: the default mapping (§9) sends displayName, title and preferredLanguage too, so real
 * creates carry them (the tutorial's sample omits them).
 */
export function createUserBody(seed: UserSeed): Record<string, unknown> {
  return {
    schemas: [SCHEMA.user, SCHEMA.enterprise],
    externalId: seed.externalId,
    userName: seed.userName,
    active: true,
    displayName: `${seed.givenName} ${seed.familyName}`,
    title: 'Conformance Engineer',
    preferredLanguage: 'en-US',
    ...emailsAttribute(seed),
    meta: { resourceType: 'User' },
    name: { formatted: `${seed.givenName} ${seed.familyName}`, familyName: seed.familyName, givenName: seed.givenName },
    roles: [],
    [SCHEMA.enterprise]: {
      employeeNumber: seed.employeeNumber,
      department: seed.department,
      ...(seed.manager !== undefined && { manager: seed.manager }),
    },
  };
}

/** `emails` as Entra writes its elements ({primary, type, value}); nothing for a user without mail. */
function emailsAttribute(seed: UserSeed): { emails?: Array<Record<string, unknown>> } {
  const emails = emailsOf(seed);
  return emails.length === 0 ? {} : { emails: emails.map((e) => ({ ...(e.primary && { primary: true }), type: e.type, value: e.value })) };
}

/** The POST /Groups body Entra sends, with the extra ADSCIM schema URI (wire-reference.md §7). */
export function createGroupBody(displayName: string, externalId: string): Record<string, unknown> {
  return { schemas: [SCHEMA.group, SCHEMA.adscimGroup], externalId, displayName, meta: { resourceType: 'Group' } };
}

/** A PatchOp message; Entra capitalises op names ("Replace"). */
export function patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [SCHEMA.patchOp], Operations: operations };
}
