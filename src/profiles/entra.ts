// What Microsoft Entra ID sends, as data and small builders (../shared/wire-reference.md).
import { uniqueName } from '../names.ts';

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

export interface UserSeed {
  userName: string;
  externalId: string;
  givenName: string;
  familyName: string;
  email: string;
  employeeNumber: string;
  department: string;
  /** Entra sends the manager as a bare id string. */
  manager?: string;
}

/** A user as an admin's directory would hold it, with run-unique names. */
export function userSeed(label: string): UserSeed {
  const name = uniqueName(label);
  return {
    // Mixed case, like a userPrincipalName: a server that folds case cannot pass "stored as sent".
    userName: `${name}.Test_User@TestUser.example.com`,
    externalId: name,
    givenName: 'Given',
    familyName: `Family-${label}`,
    email: `${name}@work.example.com`,
    employeeNumber: name.slice(-12),
    department: 'Conformance',
  };
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
    emails: [{ primary: true, type: 'work', value: seed.email }],
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

/** The POST /Groups body Entra sends, with the extra ADSCIM schema URI (wire-reference.md §7). */
export function createGroupBody(displayName: string, externalId: string): Record<string, unknown> {
  return { schemas: [SCHEMA.group, SCHEMA.adscimGroup], externalId, displayName, meta: { resourceType: 'Group' } };
}

/** A PatchOp message; Entra capitalises op names ("Replace"). */
export function patchOp(...operations: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [SCHEMA.patchOp], Operations: operations };
}
