import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS, SCHEMA_NAMES, validate, type SchemaName } from '../src/schemas.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

type Json = Record<string, unknown>;

const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  spc: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

function errorsOf(name: SchemaName, value: unknown): string[] {
  const result = validate(name, value);
  if (result.valid) throw new Error(`expected ${name} to reject ${JSON.stringify(value).slice(0, 200)}`);
  return result.errors;
}

function expectValid(name: SchemaName, value: unknown): void {
  expect(validate(name, value)).toEqual({ valid: true });
}

/** The value is rejected and one of the lines contains `message`. */
function expectInvalid(name: SchemaName, value: unknown, message: string): string[] {
  const errors = errorsOf(name, value);
  expect(errors).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  return errors;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A copy of `base` with `changes` applied at the top level (undefined deletes the member). */
function withProps(base: Json, changes: Json): Json {
  const copy = clone(base);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Bodies from RFC 7643 §8, RFC 7644 and /work/shared/wire-reference.md

const rfcMinimalUser: Json = {
  schemas: [URN.user],
  id: '2819c223-7f76-453a-919d-413861904646',
  userName: 'bjensen@example.com',
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff590"',
    location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
  },
};

// RFC 7643 §8.2 prints the certificate over several lines; the JSON value has no whitespace.
const rfcCertificate = [
  'MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAwTjELMAkGA1UEBhMCVVMx',
  'EzARBgNVBAgMCkNhbGlmb3JuaWExFDASBgNVBAoMC2V4YW1wbGUuY29tMRQwEgYD',
  'VQQDDAtleGFtcGxlLmNvbTAeFw0xMTEwMjIwNjI0MzFaFw0xMjEwMDQwNjI0MzFa',
  'MH8xCzAJBgNVBAYTAlVTMRMwEQYDVQQIDApDYWxpZm9ybmlhMRQwEgYDVQQKDAtl',
  'eGFtcGxlLmNvbTEhMB8GA1UEAwwYTXMuIEJhcmJhcmEgSiBKZW5zZW4gSUlJMSIw',
  'IAYJKoZIhvcNAQkBFhNiamVuc2VuQGV4YW1wbGUuY29tMIIBIjANBgkqhkiG9w0B',
  'AQEFAAOCAQ8AMIIBCgKCAQEA7Kr+Dcds/JQ5GwejJFcBIP682X3xpjis56AK02bc',
  '1FLgzdLI8auoR+cC9/Vrh5t66HkQIOdA4unHh0AaZ4xL5PhVbXIPMB5vAPKpzz5i',
  'PSi8xO8SL7I7SDhcBVJhqVqr3HgllEG6UClDdHO7nkLuwXq8HcISKkbT5WFTVfFZ',
  'zidPl8HZ7DhXkZIRtJwBweq4bvm3hM1Os7UQH05ZS6cVDgweKNwdLLrT51ikSQG3',
  'DYrl+ft781UQRIqxgwqCfXEuDiinPh0kkvIi5jivVu1Z9QiwlYEdRbLJ4zJQBmDr',
  'SGTMYn4lRc2HgHO4DqB/bnMVorHB0CC6AV1QoFK4GPe1LwIDAQABo3sweTAJBgNV',
  'HRMEAjAAMCwGCWCGSAGG+EIBDQQfFh1PcGVuU1NMIEdlbmVyYXRlZCBDZXJ0aWZp',
  'Y2F0ZTAdBgNVHQ4EFgQU8pD0U0vsZIsaA16lL8En8bx0F/gwHwYDVR0jBBgwFoAU',
  'dGeKitcaF7gnzsNwDx708kqaVt0wDQYJKoZIhvcNAQEFBQADgYEAA81SsFnOdYJt',
  'Ng5Tcq+/ByEDrBgnusx0jloUhByPMEVkoMZ3J7j1ZgI8rAbOkNngX8+pKfTiDz1R',
  'C4+dx8oU6Za+4NJXUjlL5CvV6BEYb1+QAEJwitTVvxB/A67g42/vzgAtoRUeDov1',
  '+GFiBZ+GNF/cAYKcMtGcrs2i97ZkJMo=',
].join('');

const rfcFullUser: Json = {
  schemas: [URN.user],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: '701984',
  userName: 'bjensen@example.com',
  name: {
    formatted: 'Ms. Barbara J Jensen, III',
    familyName: 'Jensen',
    givenName: 'Barbara',
    middleName: 'Jane',
    honorificPrefix: 'Ms.',
    honorificSuffix: 'III',
  },
  displayName: 'Babs Jensen',
  nickName: 'Babs',
  profileUrl: 'https://login.example.com/bjensen',
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  addresses: [
    {
      type: 'work',
      streetAddress: '100 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA',
      primary: true,
    },
    {
      type: 'home',
      streetAddress: '456 Hollywood Blvd',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'USA',
      formatted: '456 Hollywood Blvd\nHollywood, CA 91608 USA',
    },
  ],
  phoneNumbers: [
    { value: '555-555-5555', type: 'work' },
    { value: '555-555-4444', type: 'mobile' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  photos: [
    { value: 'https://photos.example.com/profilephoto/72930000000Ccne/F', type: 'photo' },
    { value: 'https://photos.example.com/profilephoto/72930000000Ccne/T', type: 'thumbnail' },
  ],
  userType: 'Employee',
  title: 'Tour Guide',
  preferredLanguage: 'en-US',
  locale: 'en-US',
  timezone: 'America/Los_Angeles',
  active: true,
  password: 't1meMa$heen',
  groups: [
    {
      value: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
      $ref: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
      display: 'Tour Guides',
    },
    {
      value: 'fc348aa8-3835-40eb-a20b-c726e15c55b5',
      $ref: 'https://example.com/v2/Groups/fc348aa8-3835-40eb-a20b-c726e15c55b5',
      display: 'Employees',
    },
    {
      value: '71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7',
      $ref: 'https://example.com/v2/Groups/71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7',
      display: 'US Employees',
    },
  ],
  x509Certificates: [{ value: rfcCertificate }],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"a330bc54f0671c9"',
    location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
  },
};

const rfcEnterpriseExtension: Json = {
  employeeNumber: '701984',
  costCenter: '4130',
  organization: 'Universal Studios',
  division: 'Theme Park',
  department: 'Tour Operations',
  manager: {
    value: '26118915-6090-4610-87e4-49d8ca9f808d',
    $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d',
    displayName: 'John Smith',
  },
};

// RFC 7643 §8.3: the full user with the enterprise extension and relative group references.
const rfcEnterpriseUser: Json = withProps(rfcFullUser, {
  schemas: [URN.user, URN.enterprise],
  groups: [
    { value: 'e9e30dba-f08f-4109-8486-d5c6a331660a', $ref: '../Groups/e9e30dba-f08f-4109-8486-d5c6a331660a', display: 'Tour Guides' },
    { value: 'fc348aa8-3835-40eb-a20b-c726e15c55b5', $ref: '../Groups/fc348aa8-3835-40eb-a20b-c726e15c55b5', display: 'Employees' },
  ],
  [URN.enterprise]: rfcEnterpriseExtension,
});

// RFC 7644 §3.4.1: the answer to GET /Users/{id}.
const rfc7644GetUser: Json = {
  schemas: [URN.user],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen',
  meta: {
    resourceType: 'User',
    created: '2011-08-01T18:29:49.793Z',
    lastModified: '2011-08-01T18:29:49.793Z',
    location: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
    version: 'W/"f250dd84f0671c3"',
  },
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  userName: 'bjensen',
  phoneNumbers: [{ value: '555-555-8377', type: 'work' }],
  emails: [{ value: 'bjensen@example.com', type: 'work' }],
};

const userName = 'Test_User_5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

// wire-reference.md §3: what a correct server answers to Entra's POST /Users (manager as a complex).
const entraCreatedUser: Json = {
  schemas: [URN.user, URN.enterprise],
  id: '8c3f3f0e-5c1b-4b6e-9d8e-2a4b6c8d0e1f',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
  meta: {
    resourceType: 'User',
    created: '2026-11-28T13:45:01.123Z',
    lastModified: '2026-11-28T13:45:01.123Z',
    location: 'https://scim.example.com/scim/v2/Users/8c3f3f0e-5c1b-4b6e-9d8e-2a4b6c8d0e1f',
  },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
  [URN.enterprise]: { employeeNumber: '1337', department: 'Tech Infrastructure', manager: { value: '123456' } },
};

// wire-reference.md §3: the body Entra POSTs (manager as a bare string, no id).
const entraCreateRequest: Json = {
  schemas: [URN.user, URN.enterprise],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
  [URN.enterprise]: { employeeNumber: '1337', department: 'Tech Infrastructure', manager: '123456' },
};

const rfcGroup: Json = {
  schemas: [URN.group],
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  displayName: 'Tour Guides',
  members: [
    {
      value: '2819c223-7f76-453a-919d-413861904646',
      $ref: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646',
      display: 'Babs Jensen',
    },
    {
      value: '902c246b-6245-4190-8e05-00816be7344a',
      $ref: 'https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a',
      display: 'Mandy Pepperidge',
    },
  ],
  meta: {
    resourceType: 'Group',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff592"',
    location: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
  },
};

const adscimGroup = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const entraCreatedGroup: Json = {
  schemas: [URN.group, adscimGroup],
  id: '3f1e8f6a-2b7c-4d9e-8f0a-1b2c3d4e5f60',
  externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
  displayName: 'displayName',
  members: [],
  meta: {
    resourceType: 'Group',
    created: '2026-11-28T13:45:02Z',
    lastModified: '2026-11-28T13:45:02Z',
    location: 'https://scim.example.com/scim/v2/Groups/3f1e8f6a-2b7c-4d9e-8f0a-1b2c3d4e5f60',
  },
};

const entraEmptyList: Json = {
  schemas: [URN.listResponse],
  totalResults: 0,
  Resources: [],
  startIndex: 1,
  itemsPerPage: 20,
};

const entraNotFound: Json = {
  schemas: [URN.error],
  status: '404',
  detail: 'Resource 2819c223-7f76-453a-919d-413861904646 not found',
};

function patch(...operations: Json[]): Json {
  return { schemas: [URN.patchOp], Operations: operations };
}

const rfcServiceProviderConfig: Json = {
  schemas: [URN.spc],
  documentationUri: 'http://example.com/help/scim.html',
  patch: { supported: true },
  bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: true },
  sort: { supported: true },
  etag: { supported: true },
  authenticationSchemes: [
    {
      name: 'OAuth Bearer Token',
      description: 'Authentication scheme using the OAuth Bearer Token Standard',
      specUri: 'http://www.rfc-editor.org/info/rfc6750',
      documentationUri: 'http://example.com/help/oauth.html',
      type: 'oauthbearertoken',
      primary: true,
    },
    {
      name: 'HTTP Basic',
      description: 'Authentication scheme using the HTTP Basic Standard',
      specUri: 'http://www.rfc-editor.org/info/rfc2617',
      documentationUri: 'http://example.com/help/httpBasic.html',
      type: 'httpbasic',
    },
  ],
  meta: {
    location: 'https://example.com/v2/ServiceProviderConfig',
    resourceType: 'ServiceProviderConfig',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff594"',
  },
};

const rfcUserResourceType: Json = {
  schemas: [URN.resourceType],
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: URN.user,
  schemaExtensions: [{ schema: URN.enterprise, required: true }],
  meta: { location: 'https://example.com/v2/ResourceTypes/User', resourceType: 'ResourceType' },
};

const rfcGroupResourceType: Json = {
  schemas: [URN.resourceType],
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: URN.group,
  meta: { location: 'https://example.com/v2/ResourceTypes/Group', resourceType: 'ResourceType' },
};

// RFC 7643 §8.7.1 (abridged to a representative set of attributes), plus "schemas", which the
// RFC's listing leaves out but §3 and §7 require.
const rfcUserSchema: Json = {
  schemas: [URN.schema],
  id: URN.user,
  name: 'User',
  description: 'User Account',
  attributes: [
    {
      name: 'userName',
      type: 'string',
      multiValued: false,
      description: 'Unique identifier for the User, typically used by the user to directly authenticate to the service provider.',
      required: true,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'server',
    },
    {
      name: 'name',
      type: 'complex',
      multiValued: false,
      description: "The components of the user's real name.",
      required: false,
      subAttributes: [
        {
          name: 'formatted',
          type: 'string',
          multiValued: false,
          description: 'The full name, formatted for display.',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        {
          name: 'familyName',
          type: 'string',
          multiValued: false,
          description: 'The family name of the User.',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
    {
      name: 'profileUrl',
      type: 'reference',
      referenceTypes: ['external'],
      multiValued: false,
      description: "A fully qualified URL pointing to a page representing the User's online profile.",
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
    {
      name: 'active',
      type: 'boolean',
      multiValued: false,
      description: "A Boolean value indicating the User's administrative status.",
      required: false,
      mutability: 'readWrite',
      returned: 'default',
    },
    {
      name: 'password',
      type: 'string',
      multiValued: false,
      description: "The User's cleartext password.",
      required: false,
      caseExact: false,
      mutability: 'writeOnly',
      returned: 'never',
      uniqueness: 'none',
    },
    {
      name: 'emails',
      type: 'complex',
      multiValued: true,
      description: 'Email addresses for the user.',
      required: false,
      subAttributes: [
        {
          name: 'value',
          type: 'string',
          multiValued: false,
          description: 'Email addresses for the user.',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        {
          name: 'type',
          type: 'string',
          multiValued: false,
          description: "A label indicating the attribute's function, e.g., 'work' or 'home'.",
          required: false,
          caseExact: false,
          canonicalValues: ['work', 'home', 'other'],
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        {
          name: 'primary',
          type: 'boolean',
          multiValued: false,
          description: "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.",
          required: false,
          mutability: 'readWrite',
          returned: 'default',
        },
      ],
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
    {
      name: 'groups',
      type: 'complex',
      multiValued: true,
      description: 'A list of groups to which the user belongs.',
      required: false,
      subAttributes: [
        {
          name: '$ref',
          type: 'reference',
          referenceTypes: ['User', 'Group'],
          multiValued: false,
          description: 'The URI of the corresponding Group resource.',
          required: false,
          caseExact: false,
          mutability: 'readOnly',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      mutability: 'readOnly',
      returned: 'default',
    },
    {
      name: 'x509Certificates',
      type: 'complex',
      multiValued: true,
      description: 'A list of certificates issued to the User.',
      required: false,
      caseExact: false,
      subAttributes: [
        {
          name: 'value',
          type: 'binary',
          multiValued: false,
          description: 'The value of an X.509 certificate.',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
  ],
  meta: { resourceType: 'Schema', location: '/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User' },
};

const rfcEnterpriseSchema: Json = {
  schemas: [URN.schema],
  id: URN.enterprise,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    {
      name: 'employeeNumber',
      type: 'string',
      multiValued: false,
      description: 'Numeric or alphanumeric identifier assigned to a person.',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
    {
      name: 'manager',
      type: 'complex',
      multiValued: false,
      description: "The User's manager.",
      required: false,
      subAttributes: [
        {
          name: 'value',
          type: 'string',
          multiValued: false,
          description: "The id of the SCIM resource representing the User's manager.",
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        {
          name: '$ref',
          type: 'reference',
          referenceTypes: ['User'],
          multiValued: false,
          description: "The URI of the SCIM resource representing the User's manager.",
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'none',
        },
        {
          name: 'displayName',
          type: 'string',
          multiValued: false,
          description: "The displayName of the User's manager.",
          required: false,
          caseExact: false,
          mutability: 'readOnly',
          returned: 'default',
          uniqueness: 'none',
        },
      ],
      mutability: 'readWrite',
      returned: 'default',
    },
  ],
  meta: { resourceType: 'Schema', location: '/v2/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' },
};

// ---------------------------------------------------------------------------------------------

describe('schema files', () => {
  const dir = new URL('../schemas/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.schema.json'));

  it('has one file per schema name, plus common definitions and the summary report', () => {
    const names = files.map((f) => f.replace(/\.schema\.json$/, '')).sort();
    expect(names).toEqual([...SCHEMA_NAMES, 'common', 'summary'].sort());
  });

  it.each(files)('%s is draft 2020-12 with a stable $id, a title and an RFC-quoting description', (file) => {
    const schema = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Json;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://scim-conformance.dev/schemas/${file}`);
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toMatch(/RFC 764[34] §/);
  });

  it.each(SCHEMA_NAMES)('%s compiles and rejects a non-object body', (name) => {
    expect(validate(name, 'not an object')).toEqual({ valid: false, errors: ['must be object (got string "not an object")'] });
  });
});

describe('user (RFC 7643 §4.1)', () => {
  it('accepts the RFC 7643 §8.1, §8.2 and §8.3 examples and the RFC 7644 §3.4.1 GET answer', () => {
    expectValid('user', rfcMinimalUser);
    expectValid('user', rfcFullUser);
    expectValid('user', rfcEnterpriseUser);
    expectValid('user', rfc7644GetUser);
  });

  it("accepts a create request without id, with password and groups [] (Okta's create)", () => {
    expectValid('user', {
      schemas: [URN.user],
      userName: 'okta.user@example.com',
      name: { givenName: 'Okta', familyName: 'User' },
      emails: [{ primary: true, value: 'okta.user@example.com', type: 'work' }],
      displayName: 'Okta User',
      locale: 'en-US',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
  });

  it('accepts null for optional attributes (RFC 7643 §2.5: null is unassigned)', () => {
    expectValid(
      'user',
      withProps(rfcMinimalUser, { active: null, nickName: null, name: null, emails: null, externalId: null, [URN.enterprise]: null }),
    );
  });

  it('accepts unknown attributes and other extension containers', () => {
    expectValid(
      'user',
      withProps(rfcMinimalUser, {
        schemas: [URN.user, 'urn:example:params:scim:schemas:extension:acme:2.0:User'],
        vendorFlag: 42,
        'urn:example:params:scim:schemas:extension:acme:2.0:User': { badge: 'A-1' },
      }),
    );
  });

  it('rejects active sent as the string "False"', () => {
    const errors = errorsOf('user', withProps(rfcMinimalUser, { active: 'False' }));
    expect(errors).toEqual(['/active must be boolean (got string "False")']);
  });

  it('requires a non-empty userName', () => {
    expectInvalid('user', withProps(rfcMinimalUser, { userName: undefined }), "must have required property 'userName'");
    expectInvalid('user', withProps(rfcMinimalUser, { userName: '' }), '/userName must not be empty');
    expectInvalid('user', withProps(rfcMinimalUser, { userName: null }), '/userName must be string (got null)');
  });

  it('requires schemas to be a non-empty array of unique URIs containing the core User URN', () => {
    expectInvalid('user', withProps(rfcMinimalUser, { schemas: undefined }), "must have required property 'schemas'");
    expectInvalid('user', withProps(rfcMinimalUser, { schemas: [URN.group] }), `/schemas must contain "${URN.user}"`);
    expectInvalid('user', withProps(rfcMinimalUser, { schemas: [] }), '/schemas must not be empty');
    expectInvalid('user', withProps(rfcMinimalUser, { schemas: [URN.user, URN.user] }), '/schemas must not contain duplicates');
    expectInvalid('user', withProps(rfcMinimalUser, { schemas: [URN.user, 'not a uri'] }), '/schemas/1 must match format "uri"');
    expectInvalid('user', withProps(rfcMinimalUser, { schemas: URN.user }), '/schemas must be array (got string');
  });

  it('requires id, when present, to be a non-empty string without "bulkId" (RFC 7643 §3.1)', () => {
    expectInvalid('user', withProps(rfcMinimalUser, { id: '' }), '/id must not be empty');
    expectInvalid('user', withProps(rfcMinimalUser, { id: 42 }), '/id must be string (got number 42)');
    expectInvalid('user', withProps(rfcMinimalUser, { id: 'bulkId:qwerty' }), '/id must not contain the reserved keyword "bulkId"');
  });

  it('checks meta dates as xsd:dateTime and meta.location as a URI reference', () => {
    const meta = rfcMinimalUser.meta as Json;
    const errors = errorsOf('user', withProps(rfcMinimalUser, { meta: { ...meta, created: 'yesterday' } }));
    expect(errors).toEqual(['/meta/created must match format "date-time" (got "yesterday")']);
    expectInvalid('user', withProps(rfcMinimalUser, { meta: { ...meta, lastModified: '2011-05-13' } }), '/meta/lastModified must match format "date-time"');
    expectInvalid('user', withProps(rfcMinimalUser, { meta: { ...meta, created: 1264222582 } }), '/meta/created must be string (got number 1264222582)');
    expectInvalid('user', withProps(rfcMinimalUser, { meta: { ...meta, location: 'https://exa mple.com/Users/1' } }), '/meta/location must match format "uri-reference"');
    expectInvalid('user', withProps(rfcMinimalUser, { meta: 'User' }), '/meta must be object (got string "User")');
    expectValid('user', withProps(rfcMinimalUser, { meta: { ...meta, location: '/v2/Users/2819c223-7f76-453a-919d-413861904646' } }));
  });

  it.each([
    '2010-01-23T04:56:22Z',
    '2011-08-01T18:29:49.793Z',
    '2010-01-23T04:56:22',
    '2010-01-23T04:56:22.1234567+05:30',
    '2012-02-29T23:59:59-08:00',
    '2010-01-23T24:00:00Z',
  ])('accepts the xsd:dateTime %s', (created) => {
    expectValid('user', withProps(rfcMinimalUser, { meta: { ...(rfcMinimalUser.meta as Json), created } }));
  });

  it.each([
    '2010-01-23 04:56:22Z',
    '2010-01-23t04:56:22z',
    '2013-02-29T00:00:00Z',
    '2010-01-23T25:00:00Z',
    '2010-01-23T04:56Z',
    '2010-01-23T04:56:22+15:00',
    'Sat, 23 Jan 2010 04:56:22 GMT',
  ])('rejects %s, which is not an xsd:dateTime', (created) => {
    expectInvalid('user', withProps(rfcMinimalUser, { meta: { ...(rfcMinimalUser.meta as Json), created } }), '/meta/created must match format "date-time"');
  });

  it('checks the sub-attributes of multi-valued attributes', () => {
    expectInvalid(
      'user',
      withProps(rfcMinimalUser, { emails: [{ value: 'a@example.com', primary: 'true' }] }),
      '/emails/0/primary must be boolean (got string "true")',
    );
    expectInvalid('user', withProps(rfcMinimalUser, { emails: { value: 'a@example.com' } }), '/emails must be array (got object)');
    expectInvalid('user', withProps(rfcMinimalUser, { emails: ['a@example.com'] }), '/emails/0 must be object (got string "a@example.com")');
    expectInvalid('user', withProps(rfcMinimalUser, { phoneNumbers: [{ value: 5555555 }] }), '/phoneNumbers/0/value must be string (got number 5555555)');
    expectInvalid('user', withProps(rfcMinimalUser, { photos: [{ value: 'photo.png' }] }), '/photos/0/value must match format "uri" (got "photo.png")');
    expectInvalid('user', withProps(rfcMinimalUser, { groups: [{ value: 'g1', $ref: 'https://exa mple.com/Groups/g1' }] }), '/groups/0/$ref must match format "uri-reference"');
    expectInvalid('user', withProps(rfcMinimalUser, { addresses: [{ postalCode: 91608 }] }), '/addresses/0/postalCode must be string (got number 91608)');
  });

  it('allows "primary": true at most once per attribute (RFC 7643 §2.4)', () => {
    const twoPrimaries = withProps(rfcMinimalUser, {
      emails: [
        { value: 'a@example.com', type: 'work', primary: true },
        { value: 'b@example.com', type: 'home', primary: true },
      ],
    });
    expect(errorsOf('user', twoPrimaries)).toEqual([
      '/emails must have at most one element with "primary": true (RFC 7643 §2.4: the primary attribute value "true" MUST appear no more than once)',
    ]);
  });

  it('rejects name and other complex attributes sent as strings', () => {
    expectInvalid('user', withProps(rfcMinimalUser, { name: 'Barbara Jensen' }), '/name must be object (got string "Barbara Jensen")');
    expectInvalid('user', withProps(rfcMinimalUser, { name: { givenName: ['Barbara'] } }), '/name/givenName must be string (got array of 1 item)');
  });

  it('requires x509Certificates values in base64 without whitespace', () => {
    expectInvalid(
      'user',
      withProps(rfcMinimalUser, { x509Certificates: [{ value: 'MIIDQzCCAqygAwIBAgICEAAw\n        EzARBgNVBAgMCkNh' }] }),
      '/x509Certificates/0/value must be base64',
    );
  });

  it('rejects a bare-string manager in the enterprise extension', () => {
    const user = clone(entraCreatedUser);
    (user[URN.enterprise] as Json).manager = '123456';
    expect(errorsOf('user', user)).toEqual([`/${URN.enterprise}/manager must be object (got string "123456")`]);
  });

  it('validates the enterprise extension container with enterprise-user', () => {
    expectInvalid('user', withProps(rfcMinimalUser, { [URN.enterprise]: { employeeNumber: 701984 } }), `/${URN.enterprise}/employeeNumber must be string (got number 701984)`);
    expectInvalid('user', withProps(rfcMinimalUser, { [URN.enterprise]: 'Tour Operations' }), `/${URN.enterprise} must be object (got string "Tour Operations")`);
  });

  it('rejects Entra\'s create request as a representation, because its manager is a bare string', () => {
    expect(errorsOf('user', entraCreateRequest)).toEqual([`/${URN.enterprise}/manager must be object (got string "123456")`]);
  });

  it('rejects an extension attribute flattened into a URN-named member', () => {
    const key = `${URN.enterprise}:employeeNumber`;
    expectInvalid('user', withProps(rfcMinimalUser, { [key]: 'Aklq' }), `/${key} must be an object: a member named by a URN is a schema extension container`);
  });
});

describe('user-response (RFC 7643 §3.1, §4.1)', () => {
  it('accepts the minimal user, the RFC 7644 GET answer and what a correct server answers to Entra', () => {
    expectValid('user-response', rfcMinimalUser);
    expectValid('user-response', rfc7644GetUser);
    expectValid('user-response', entraCreatedUser);
  });

  it('rejects a returned password, whatever its value, and does not repeat the value', () => {
    const errors = errorsOf('user-response', withProps(rfcMinimalUser, { password: 't1meMa$heen' }));
    expect(errors).toEqual([
      '/password must not be returned: password has returned "never" and mutability "writeOnly" (RFC 7643 §4.1.1: the value MUST NOT be returned by a service provider in any form)',
    ]);
    expect(errors.join('\n')).not.toContain('t1meMa$heen');
    expectInvalid('user-response', withProps(rfcMinimalUser, { password: null }), '/password must not be returned');
    expectInvalid('user-response', withProps(rfcMinimalUser, { password: '' }), '/password must not be returned');
  });

  it('fails the RFC 7643 §8.2 and §8.3 examples only for their password, and accepts them without it', () => {
    expect(errorsOf('user-response', rfcFullUser)).toEqual([expect.stringMatching(/^\/password must not be returned/)]);
    expect(errorsOf('user-response', rfcEnterpriseUser)).toEqual([expect.stringMatching(/^\/password must not be returned/)]);
    expectValid('user-response', withProps(rfcFullUser, { password: undefined }));
    expectValid('user-response', withProps(rfcEnterpriseUser, { password: undefined }));
  });

  it('requires id and a fully assigned meta', () => {
    expectInvalid('user-response', withProps(rfcMinimalUser, { id: undefined }), "must have required property 'id'");
    expectInvalid('user-response', withProps(rfcMinimalUser, { id: null }), '/id must be string (got null)');
    expectInvalid('user-response', withProps(rfcMinimalUser, { meta: undefined }), "must have required property 'meta'");
    expectInvalid('user-response', withProps(rfcMinimalUser, { meta: null }), '/meta must be object (got null)');
    const meta = { ...(rfcMinimalUser.meta as Json) };
    delete meta.created;
    expectInvalid('user-response', withProps(rfcMinimalUser, { meta }), "/meta must have required property 'created'");
    expectInvalid('user-response', withProps(rfcMinimalUser, { meta: { ...meta, created: null } }), '/meta/created must be string (got null)');
    const noVersion = { ...(rfcMinimalUser.meta as Json) };
    delete noVersion.version;
    expectValid('user-response', withProps(rfcMinimalUser, { meta: noVersion }));
  });

  it('keeps every user rule', () => {
    expectInvalid('user-response', withProps(entraCreatedUser, { active: 'False' }), '/active must be boolean (got string "False")');
    expectInvalid('user-response', withProps(entraCreatedUser, { userName: undefined }), "must have required property 'userName'");
  });
});

describe('enterprise-user (RFC 7643 §4.3)', () => {
  it('accepts the RFC 7643 §8.3 extension, a manager with only a value, a null manager and an empty container', () => {
    expectValid('enterprise-user', rfcEnterpriseExtension);
    expectValid('enterprise-user', { employeeNumber: '1337', manager: { value: '123456' } });
    expectValid('enterprise-user', { department: 'Tech Infrastructure', manager: null });
    expectValid('enterprise-user', {});
  });

  it('rejects a bare-string manager', () => {
    expect(errorsOf('enterprise-user', { manager: '123456' })).toEqual(['/manager must be object (got string "123456")']);
  });

  it('checks the manager sub-attributes and the string attributes', () => {
    expectInvalid('enterprise-user', { manager: { value: 123456 } }, '/manager/value must be string (got number 123456)');
    expectInvalid('enterprise-user', { manager: { value: 'm1', $ref: 'https://exa mple.com/Users/m1' } }, '/manager/$ref must match format "uri-reference"');
    expectInvalid('enterprise-user', { costCenter: 4130 }, '/costCenter must be string (got number 4130)');
    expectInvalid('enterprise-user', { department: ['Tour Operations'] }, '/department must be string (got array of 1 item)');
  });
});

describe('group (RFC 7643 §4.2)', () => {
  it('accepts the RFC 7643 §8.4 example, Entra\'s create request and a nested group member', () => {
    expectValid('group', rfcGroup);
    expectValid('group', {
      schemas: [URN.group, adscimGroup],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expectValid('group', withProps(rfcGroup, { members: [{ value: 'e9e30dba', $ref: '../Groups/e9e30dba', type: 'Group' }] }));
  });

  it('requires displayName as a string', () => {
    expectInvalid('group', withProps(rfcGroup, { displayName: undefined }), "must have required property 'displayName'");
    expectInvalid('group', withProps(rfcGroup, { displayName: 42 }), '/displayName must be string (got number 42)');
  });

  it('requires the core Group URN in schemas', () => {
    expectInvalid('group', withProps(rfcGroup, { schemas: [adscimGroup] }), `/schemas must contain "${URN.group}"`);
  });

  it('checks members', () => {
    expectInvalid('group', withProps(rfcGroup, { members: ['2819c223'] }), '/members/0 must be object (got string "2819c223")');
    expectInvalid('group', withProps(rfcGroup, { members: [{ value: 2819 }] }), '/members/0/value must be string (got number 2819)');
    expectInvalid('group', withProps(rfcGroup, { members: [{ value: 'u1', $ref: 'not a reference' }] }), '/members/0/$ref must match format "uri-reference"');
    expectInvalid('group', withProps(rfcGroup, { members: { value: 'u1' } }), '/members must be array (got object)');
  });
});

describe('group-response (RFC 7643 §3.1, §4.2)', () => {
  it("accepts the RFC example, Entra's create answer with members [] and a group without members", () => {
    expectValid('group-response', rfcGroup);
    expectValid('group-response', entraCreatedGroup);
    expectValid('group-response', withProps(entraCreatedGroup, { members: undefined })); // excludedAttributes=members
    expectValid('group-response', withProps(entraCreatedGroup, { members: null })); // Okta answers members null
  });

  it('requires id and meta', () => {
    expectInvalid('group-response', withProps(rfcGroup, { id: undefined }), "must have required property 'id'");
    expectInvalid('group-response', withProps(rfcGroup, { meta: undefined }), "must have required property 'meta'");
    expectInvalid('group-response', withProps(rfcGroup, { meta: { resourceType: 'Group' } }), "/meta must have required property 'location'");
  });

  it('keeps every group rule', () => {
    expectInvalid('group-response', withProps(rfcGroup, { displayName: undefined }), "must have required property 'displayName'");
  });
});

describe('list-response (RFC 7644 §3.4.2)', () => {
  it("accepts Entra's empty answer, the RFC 7644 §3.4.2 example and a paged answer", () => {
    expectValid('list-response', entraEmptyList);
    expectValid('list-response', {
      schemas: [URN.listResponse],
      totalResults: 2,
      Resources: [
        { id: '2819c223-7f76-453a-919d-413861904646', userName: 'bjensen' },
        { id: 'c75ad752-64ae-4823-840d-ffa80929976c', userName: 'jsmith' },
      ],
    });
    expectValid('list-response', {
      schemas: [URN.listResponse],
      totalResults: 12,
      startIndex: 6,
      itemsPerPage: 5,
      Resources: [rfcMinimalUser, rfcMinimalUser, rfcMinimalUser, rfcMinimalUser, rfcMinimalUser],
    });
  });

  it('accepts totalResults 0 without Resources, or with Resources null', () => {
    expectValid('list-response', { schemas: [URN.listResponse], totalResults: 0 });
    expectValid('list-response', { schemas: [URN.listResponse], totalResults: 0, Resources: null });
  });

  it('requires totalResults as a non-negative integer', () => {
    expect(errorsOf('list-response', withProps(entraEmptyList, { totalResults: undefined }))).toEqual([
      "must have required property 'totalResults'",
    ]);
    expectInvalid('list-response', withProps(entraEmptyList, { totalResults: '0' }), '/totalResults must be integer (got string "0")');
    expectInvalid('list-response', withProps(entraEmptyList, { totalResults: -1 }), '/totalResults must be >= 0 (got -1)');
    expectInvalid('list-response', withProps(entraEmptyList, { totalResults: 1.5 }), '/totalResults must be integer (got number 1.5)');
  });

  it('flags a lowercase "resources"', () => {
    const lower = { schemas: [URN.listResponse], totalResults: 0, resources: [], startIndex: 1, itemsPerPage: 20 };
    expect(errorsOf('list-response', lower)).toEqual([
      '/resources is not a ListResponse attribute: RFC 7644 §3.4.2 names it "Resources" (capital R), and clients such as Entra ignore any other spelling',
    ]);
    const found = { schemas: [URN.listResponse], totalResults: 1, resources: [rfcMinimalUser] };
    const errors = errorsOf('list-response', found);
    expect(errors).toContain("must have required property 'Resources' (RFC 7644 §3.4.2: REQUIRED if \"totalResults\" is non-zero)");
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^\/resources is not a ListResponse attribute/)]));
    expectInvalid('list-response', withProps(entraEmptyList, { RESOURCES: [] }), '/RESOURCES is not a ListResponse attribute');
  });

  it('requires Resources when totalResults is non-zero', () => {
    expect(errorsOf('list-response', { schemas: [URN.listResponse], totalResults: 3 })).toEqual([
      "must have required property 'Resources' (RFC 7644 §3.4.2: REQUIRED if \"totalResults\" is non-zero)",
    ]);
    expect(errorsOf('list-response', { schemas: [URN.listResponse], totalResults: 3, Resources: null })).toEqual([
      '/Resources must not be null when totalResults is non-zero (RFC 7644 §3.4.2: Resources is REQUIRED if "totalResults" is non-zero)',
    ]);
  });

  it('rejects resources returned with totalResults 0', () => {
    expectInvalid(
      'list-response',
      withProps(entraEmptyList, { Resources: [rfcMinimalUser] }),
      '/Resources must be empty when totalResults is 0 (got array of 1 item;',
    );
  });

  it('checks Resources, startIndex, itemsPerPage and schemas', () => {
    expectInvalid('list-response', withProps(entraEmptyList, { totalResults: 1, Resources: ['bjensen'] }), '/Resources/0 must be object (got string "bjensen")');
    expect(errorsOf('list-response', withProps(entraEmptyList, { totalResults: 1, Resources: rfcMinimalUser }))).toEqual(['/Resources must be array (got object)']);
    expectInvalid('list-response', withProps(entraEmptyList, { startIndex: 0 }), '/startIndex must be >= 1 (got 0)');
    expectInvalid('list-response', withProps(entraEmptyList, { startIndex: '1' }), '/startIndex must be integer (got string "1")');
    expectInvalid('list-response', withProps(entraEmptyList, { itemsPerPage: -5 }), '/itemsPerPage must be >= 0 (got -5)');
    expectInvalid('list-response', withProps(entraEmptyList, { schemas: [URN.user] }), `/schemas must contain "${URN.listResponse}"`);
  });
});

describe('error (RFC 7644 §3.12)', () => {
  it('accepts the 404 Entra expects, the RFC 7644 §3.12 examples and a 409 uniqueness error', () => {
    expectValid('error', entraNotFound);
    expectValid('error', { schemas: [URN.error], scimType: 'mutability', detail: "Attribute 'id' is readOnly", status: '400' });
    expectValid('error', { schemas: [URN.error], scimType: 'uniqueness', detail: 'userName is already taken', status: '409' });
    expectValid('error', { schemas: [URN.error], status: '500', scimType: null, detail: null, vendorCode: 'E42' });
  });

  it('rejects status as a number', () => {
    expect(errorsOf('error', withProps(entraNotFound, { status: 404 }))).toEqual(['/status must be string (got number 404)']);
  });

  it('requires status as a three-digit code string', () => {
    expectInvalid('error', withProps(entraNotFound, { status: undefined }), "must have required property 'status'");
    expectInvalid('error', withProps(entraNotFound, { status: 'Not Found' }), '/status must be a three-digit HTTP status code such as "404" (got string "Not Found"; RFC 7644 §3.12)');
    expectInvalid('error', withProps(entraNotFound, { status: '404 Not Found' }), '/status must be a three-digit HTTP status code');
  });

  it('accepts only the RFC 7644 Table 9 scimType keywords, in their exact case', () => {
    for (const scimType of ['invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath', 'noTarget', 'invalidValue', 'invalidVers', 'sensitive']) {
      expectValid('error', withProps(entraNotFound, { status: '400', scimType }));
    }
    const errors = expectInvalid('error', withProps(entraNotFound, { status: '400', scimType: 'invalidRequest' }), '/scimType must be one of "invalidFilter", "tooMany"');
    expect(errors[0]).toContain('(got "invalidRequest")');
    expectInvalid('error', withProps(entraNotFound, { status: '400', scimType: 'InvalidFilter' }), '(got "InvalidFilter")');
  });

  it('requires the Error URN and a string detail', () => {
    expectInvalid('error', withProps(entraNotFound, { schemas: [URN.listResponse] }), `/schemas must contain "${URN.error}"`);
    expectInvalid('error', withProps(entraNotFound, { schemas: undefined }), "must have required property 'schemas'");
    expectInvalid('error', withProps(entraNotFound, { detail: { message: 'not found' } }), '/detail must be string (got object)');
  });
});

describe('patch-op (RFC 7644 §3.5.2)', () => {
  it.each<[string, Json]>([
    [
      'Entra default update (capitalised Replace)',
      patch(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ),
    ],
    ['Entra userName replace', patch({ op: 'Replace', path: 'userName', value: 'new@testuser.com' })],
    ['Entra Add nickName', patch({ op: 'Add', path: 'nickName', value: 'Babs' })],
    ['Entra Add to a filtered path', patch({ op: 'Add', path: 'addresses[type eq "work"].formatted', value: 'Columbus' })],
    ['Entra manager as a bare string', patch({ op: 'Add', path: `${URN.enterprise}:manager`, value: '271' })],
    ['Entra roles', patch({ op: 'Add', path: 'roles', value: [{ value: '{"id":"827f","value":"Admin","displayName":"Admin"}' }] })],
    ['Entra empty-string value', patch({ op: 'Add', path: 'emails[type eq "work"].value', value: '' })],
    ['Entra deactivation with a string', patch({ op: 'Replace', path: 'active', value: 'False' })],
    ['Entra member add', patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { $ref: null, value: 'u2' }] })],
    ['Entra member removal with a value list', patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u2' }] })],
    [
      'Entra aadOptscim062020 pathless replace',
      patch({
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${URN.enterprise}:employeeNumber`]: 'Aklq' },
      }),
    ],
    ['Entra aadOptscim062020 boolean active', patch({ op: 'replace', path: 'active', value: false })],
    ['Entra aadOptscim062020 member removal', patch({ op: 'remove', path: 'members[value eq "u2"]' })],
    ['Okta deactivation', patch({ op: 'replace', value: { active: false } })],
    [
      'Okta push-group membership',
      patch({ op: 'remove', path: 'members[value eq "u3"]' }, { op: 'add', path: 'members', value: [{ value: 'u4', display: 'dwight' }] }),
    ],
    [
      'RFC 7644 §3.5.2.1 pathless add',
      patch({ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }),
    ],
    ['RFC 7644 §3.5.2.2 remove all members', patch({ op: 'remove', path: 'members' })],
    [
      'RFC 7644 §3.5.2.3 replace of a filtered element',
      patch({ op: 'replace', path: 'addresses[type eq "work"]', value: { type: 'work', streetAddress: '911 Universal City Plaza', primary: true } }),
    ],
  ])('accepts %s', (_label, body) => {
    expectValid('patch-op', body);
  });

  it('rejects a remove without path', () => {
    expect(errorsOf('patch-op', patch({ op: 'Remove', value: [{ value: 'u2' }] }))).toEqual([
      "/Operations/0 must have required property 'path': a \"remove\" operation without \"path\" fails with 400 noTarget (RFC 7644 §3.5.2.2)",
    ]);
  });

  it('accepts only add, remove and replace as op, in any case', () => {
    expectValid('patch-op', patch({ op: 'ADD', path: 'nickName', value: 'x' }, { op: 'rEpLaCe', path: 'title', value: 'y' }));
    expectInvalid('patch-op', patch({ op: 'delete', path: 'members' }), '/Operations/0/op must be "add", "remove" or "replace" in any case (got string "delete"; RFC 7644 §3.5.2)');
    expectInvalid('patch-op', patch({ op: 'move', path: 'title', value: 'x' }), '/Operations/0/op must be "add", "remove" or "replace"');
    expectInvalid('patch-op', patch({ path: 'title', value: 'x' }), "/Operations/0 must have required property 'op'");
    expectInvalid('patch-op', patch({ op: 1, path: 'title' }), '/Operations/0/op must be string (got number 1)');
  });

  it('requires a value for add, and an object of attributes when path is omitted', () => {
    expect(errorsOf('patch-op', patch({ op: 'Add', path: 'nickName' }))).toEqual([
      "/Operations/0 must have required property 'value': an \"add\" operation MUST contain a \"value\" member (RFC 7644 §3.5.2.1)",
    ]);
    expectInvalid('patch-op', patch({ op: 'replace', value: 'False' }), '/Operations/0/value must be an object of attributes when "path" is omitted (got string "False"');
    expectInvalid('patch-op', patch({ op: 'replace' }), "/Operations/0 must have required property 'value': a \"replace\" without \"path\"");
    expectInvalid('patch-op', patch({ op: 'replace', value: {} }), '/Operations/0/value must name at least one attribute when "path" is omitted');
    expectInvalid('patch-op', patch({ op: 'add', value: [{ value: 'u1' }] }), '/Operations/0/value must be an object of attributes');
  });

  it('requires Operations as a non-empty array and the PatchOp URN', () => {
    expectInvalid('patch-op', patch(), '/Operations must not be empty');
    expectInvalid('patch-op', { schemas: [URN.patchOp], operations: [{ op: 'remove', path: 'members' }] }, "must have required property 'Operations'");
    expectInvalid('patch-op', { schemas: [URN.patchOp], Operations: { op: 'remove', path: 'members' } }, '/Operations must be array (got object)');
    expectInvalid('patch-op', { Operations: [{ op: 'remove', path: 'members' }] }, "must have required property 'schemas'");
    expectInvalid('patch-op', { schemas: [URN.user], Operations: [{ op: 'remove', path: 'members' }] }, `/schemas must contain "${URN.patchOp}"`);
    expectInvalid('patch-op', patch({ op: 'remove', path: '' }), '/Operations/0/path must not be empty');
  });
});

describe('service-provider-config (RFC 7643 §5)', () => {
  it('accepts the RFC 7643 §8.5 example and a configuration without optional members', () => {
    expectValid('service-provider-config', rfcServiceProviderConfig);
    expectValid('service-provider-config', {
      schemas: [URN.spc],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Bearer token' }],
    });
  });

  it('requires "supported" as a boolean in every feature', () => {
    expect(errorsOf('service-provider-config', withProps(rfcServiceProviderConfig, { patch: { supported: 'true' } }))).toEqual([
      '/patch/supported must be boolean (got string "true")',
    ]);
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { sort: {} }), "/sort must have required property 'supported'");
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { etag: true }), '/etag must be object (got boolean true)');
  });

  it('requires every feature object', () => {
    for (const feature of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag', 'authenticationSchemes']) {
      expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { [feature]: undefined }), `must have required property '${feature}'`);
    }
  });

  it('requires the bulk and filter limits as integers', () => {
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { bulk: { supported: false } }), "/bulk must have required property 'maxOperations'");
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { bulk: { supported: false } }), "/bulk must have required property 'maxPayloadSize'");
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { filter: { supported: true } }), "/filter must have required property 'maxResults'");
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { filter: { supported: true, maxResults: '200' } }), '/filter/maxResults must be integer (got string "200")');
  });

  it('requires at least one authentication scheme with type, name and description', () => {
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { authenticationSchemes: [] }), '/authenticationSchemes must not be empty');
    expectInvalid(
      'service-provider-config',
      withProps(rfcServiceProviderConfig, { authenticationSchemes: [{ name: 'OAuth Bearer Token', description: 'Bearer' }] }),
      "/authenticationSchemes/0 must have required property 'type'",
    );
    expectInvalid(
      'service-provider-config',
      withProps(rfcServiceProviderConfig, { authenticationSchemes: [{ type: 'httpbasic', name: 'Basic', description: 'Basic', specUri: 'rfc2617' }] }),
      '/authenticationSchemes/0/specUri must match format "uri" (got "rfc2617")',
    );
  });

  it('checks documentationUri and schemas', () => {
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { documentationUri: 'help/scim.html' }), '/documentationUri must match format "uri"');
    expectInvalid('service-provider-config', withProps(rfcServiceProviderConfig, { schemas: [URN.resourceType] }), `/schemas must contain "${URN.spc}"`);
  });
});

describe('resource-type (RFC 7643 §6)', () => {
  it('accepts both RFC 7643 §8.6 resource types and a relative endpoint without a slash', () => {
    expectValid('resource-type', rfcUserResourceType);
    expectValid('resource-type', rfcGroupResourceType);
    expectValid('resource-type', withProps(rfcGroupResourceType, { endpoint: 'Groups', id: undefined, description: undefined }));
  });

  it('requires name, endpoint and schema', () => {
    expectInvalid('resource-type', withProps(rfcUserResourceType, { name: undefined }), "must have required property 'name'");
    expectInvalid('resource-type', withProps(rfcUserResourceType, { endpoint: undefined }), "must have required property 'endpoint'");
    expectInvalid('resource-type', withProps(rfcUserResourceType, { schema: undefined }), "must have required property 'schema'");
  });

  it('requires schema URIs and boolean "required" in schemaExtensions', () => {
    expectInvalid('resource-type', withProps(rfcUserResourceType, { schema: 'User' }), '/schema must match format "uri" (got "User")');
    expectInvalid(
      'resource-type',
      withProps(rfcUserResourceType, { schemaExtensions: [{ schema: URN.enterprise, required: 'false' }] }),
      '/schemaExtensions/0/required must be boolean (got string "false")',
    );
    expectInvalid('resource-type', withProps(rfcUserResourceType, { schemaExtensions: [{ schema: URN.enterprise }] }), "/schemaExtensions/0 must have required property 'required'");
    expectInvalid('resource-type', withProps(rfcUserResourceType, { schemas: [URN.schema] }), `/schemas must contain "${URN.resourceType}"`);
  });
});

describe('schema (RFC 7643 §7)', () => {
  it('accepts RFC 7643 §8.7.1 schema representations (with "schemas")', () => {
    expectValid('schema', rfcUserSchema);
    expectValid('schema', rfcEnterpriseSchema);
  });

  it('accepts nested subAttributes, as in the RFC 7643 §8.7.2 Schema schema', () => {
    expectValid('schema', {
      schemas: [URN.schema],
      id: URN.schema,
      name: 'Schema',
      description: 'Specifies the schema that describes a SCIM schema',
      attributes: [
        {
          name: 'attributes',
          type: 'complex',
          multiValued: true,
          required: true,
          mutability: 'readOnly',
          returned: 'default',
          subAttributes: [
            { name: 'name', type: 'string', multiValued: false, required: true, caseExact: true, mutability: 'readOnly', returned: 'default', uniqueness: 'none' },
            {
              name: 'subAttributes',
              type: 'complex',
              multiValued: true,
              required: false,
              mutability: 'readOnly',
              returned: 'default',
              subAttributes: [{ name: 'name', type: 'string', multiValued: false, required: true, caseExact: true, mutability: 'readOnly', returned: 'default', uniqueness: 'none' }],
            },
          ],
        },
      ],
    });
  });

  it('requires "schemas", which the RFC 7643 §8.7.1 listing leaves out', () => {
    expect(errorsOf('schema', withProps(rfcUserSchema, { schemas: undefined }))).toEqual(["must have required property 'schemas'"]);
  });

  it('requires id as a URI and attributes', () => {
    expectInvalid('schema', withProps(rfcUserSchema, { id: 'User' }), '/id must match format "uri" (got "User")');
    expectInvalid('schema', withProps(rfcUserSchema, { attributes: undefined }), "must have required property 'attributes'");
    expectInvalid('schema', withProps(rfcUserSchema, { schemas: [URN.user] }), `/schemas must contain "${URN.schema}"`);
  });

  it('requires name, type and multiValued in every attribute definition', () => {
    const attributes = [{ name: 'nickName', type: 'string' }];
    expectInvalid('schema', withProps(rfcUserSchema, { attributes }), "/attributes/0 must have required property 'multiValued'");
    expectInvalid('schema', withProps(rfcUserSchema, { attributes: [{ type: 'string', multiValued: false }] }), "/attributes/0 must have required property 'name'");
  });

  it('accepts only the RFC keywords for type, mutability, returned and uniqueness', () => {
    const attribute = (changes: Json): Json => withProps(rfcUserSchema, { attributes: [{ name: 'nickName', type: 'string', multiValued: false, ...changes }] });
    expectValid('schema', attribute({ type: 'binary' }));
    expectInvalid('schema', attribute({ type: 'text' }), '/attributes/0/type must be one of "string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary" (got "text")');
    expectInvalid('schema', attribute({ mutability: 'readonly' }), '/attributes/0/mutability must be one of "readOnly", "readWrite", "immutable", "writeOnly" (got "readonly")');
    expectInvalid('schema', attribute({ returned: 'sometimes' }), '/attributes/0/returned must be one of "always", "never", "default", "request"');
    expectInvalid('schema', attribute({ uniqueness: 'unique' }), '/attributes/0/uniqueness must be one of "none", "server", "global"');
    expectInvalid('schema', attribute({ multiValued: 'false' }), '/attributes/0/multiValued must be boolean (got string "false")');
    expectInvalid('schema', attribute({ caseExact: 1 }), '/attributes/0/caseExact must be boolean (got number 1)');
    expectInvalid('schema', attribute({ referenceTypes: 'User' }), '/attributes/0/referenceTypes must be array (got string "User")');
  });

  it('checks subAttributes recursively', () => {
    const schema = clone(rfcUserSchema);
    const name = (schema.attributes as Json[])[1] as Json;
    ((name.subAttributes as Json[])[0] as Json).type = 'str';
    expectInvalid('schema', schema, '/attributes/1/subAttributes/0/type must be one of');
  });
});

describe('error messages', () => {
  it('lists at most 10 problems and sums up the rest', () => {
    const body: Json = { schemas: [URN.user], userName: 'x' };
    for (const attribute of ['displayName', 'nickName', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'externalId', 'profileUrl', 'active', 'emails', 'name', 'phoneNumbers', 'ims']) {
      body[attribute] = 7;
    }
    const errors = errorsOf('user', body);
    expect(errors).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(errors[MAX_REPORTED_ERRORS]).toBe('... and 4 more');
    expect(errors.slice(0, MAX_REPORTED_ERRORS).every((e) => / must be .* \(got number 7\)$/.test(e))).toBe(true);
  });

  it('keeps each message on one line and cuts long values', () => {
    const long = `line one\nline two ${'x'.repeat(200)}`;
    const errors = errorsOf('user', withProps(rfcMinimalUser, { active: long }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toMatch(/[\r\n]/);
    expect(errors[0]!.length).toBeLessThan(160);
    expect(errors[0]).toMatch(/^\/active must be boolean \(got string "line one\\nline two x+\.\.\.\)$/);
  });

  it('reports a message once even when two rules produce it', () => {
    const errors = errorsOf('user-response', withProps(rfcMinimalUser, { userName: '' }));
    expect(errors.filter((e) => e === '/userName must not be empty')).toHaveLength(1);
  });

  it('throws on an unknown schema name', () => {
    expect(() => validate('users' as SchemaName, {})).toThrow(/unknown schema "users"/);
  });
});
