// Schema definitions as data (RFC 7643 §4, §7, §8.7.1). The server's caseExact, returned,
// mutability, required and uniqueness rules are read from here, and /Schemas publishes them.

export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

export const USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Options = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

/** An attribute with the RFC 7643 §2.2 defaults, overridden where the RFC says otherwise. */
function attribute(name: string, type: AttributeType, description: string, options: Options = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const complex = (name: string, description: string, subAttributes: AttributeDefinition[], options: Options = {}) =>
  attribute(name, 'complex', description, { ...options, subAttributes });

/** The value/display/type/primary quartet shared by emails, phoneNumbers, ims, photos, roles ... */
function multiValuedComplex(
  name: string,
  description: string,
  value: { type?: AttributeType; referenceTypes?: string[] } = {},
  types?: string[],
): AttributeDefinition {
  return complex(
    name,
    description,
    [
      attribute('value', value.type ?? 'string', `The value of the ${name} entry.`, value.referenceTypes ? { referenceTypes: value.referenceTypes } : {}),
      attribute('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attribute('type', 'string', `A label indicating the ${name} entry's function.`, types ? { canonicalValues: types } : {}),
      attribute('primary', 'boolean', `Whether this is the primary ${name} entry; at most one entry is primary.`),
    ],
    { multiValued: true },
  );
}

export const USER_SCHEMA: SchemaDefinition = {
  id: USER_SCHEMA_ID,
  name: 'User',
  description: 'User Account',
  attributes: [
    attribute('userName', 'string', 'Unique identifier for the User, used to authenticate; unique across the service provider.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", [
      attribute('formatted', 'string', 'The full name, formatted for display.'),
      attribute('familyName', 'string', 'The family name of the User.'),
      attribute('givenName', 'string', 'The given name of the User.'),
      attribute('middleName', 'string', 'The middle name(s) of the User.'),
      attribute('honorificPrefix', 'string', 'The honorific prefix(es) of the User.'),
      attribute('honorificSuffix', 'string', 'The honorific suffix(es) of the User.'),
    ]),
    attribute('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
    attribute('nickName', 'string', 'The casual way to address the user in real life.'),
    attribute('profileUrl', 'reference', "A fully qualified URL pointing to the User's online profile.", { referenceTypes: ['external'] }),
    attribute('title', 'string', "The user's title, such as 'Vice President'."),
    attribute('userType', 'string', 'Used to identify the relationship between the organization and the user.'),
    attribute('preferredLanguage', 'string', "The User's preferred written or spoken language."),
    attribute('locale', 'string', "The User's default location for localizing items."),
    attribute('timezone', 'string', "The User's time zone in the 'Olson' time zone database format."),
    attribute('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    attribute('password', 'string', "The User's cleartext password; never returned.", { mutability: 'writeOnly', returned: 'never' }),
    multiValuedComplex('emails', 'Email addresses for the user.', {}, ['work', 'home', 'other']),
    multiValuedComplex('phoneNumbers', 'Phone numbers for the User.', {}, ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValuedComplex('ims', 'Instant messaging addresses for the User.', {}, ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValuedComplex('photos', 'URLs of photos of the User.', { type: 'reference', referenceTypes: ['external'] }, ['photo', 'thumbnail']),
    complex(
      'addresses',
      'A physical mailing address for this User.',
      [
        attribute('formatted', 'string', 'The full mailing address, formatted for display.'),
        attribute('streetAddress', 'string', 'The full street address component.'),
        attribute('locality', 'string', 'The city or locality component.'),
        attribute('region', 'string', 'The state or region component.'),
        attribute('postalCode', 'string', 'The zip code or postal code component.'),
        attribute('country', 'string', 'The country name component.'),
        attribute('type', 'string', "A label indicating the address's function.", { canonicalValues: ['work', 'home', 'other'] }),
        attribute('primary', 'boolean', 'Whether this is the primary address; at most one address is primary.'),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      'A list of groups to which the user belongs; managed through the Group resource.',
      [
        attribute('value', 'string', 'The identifier of the User\'s group.', { mutability: 'readOnly' }),
        attribute('$ref', 'reference', "The URI of the corresponding 'Group' resource.", { mutability: 'readOnly', caseExact: true, referenceTypes: ['User', 'Group'] }),
        attribute('display', 'string', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
        attribute('type', 'string', "A label indicating the membership's function, 'direct' or 'indirect'.", {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    multiValuedComplex('entitlements', 'A list of entitlements for the User.'),
    multiValuedComplex('roles', 'A list of roles for the User.'),
    multiValuedComplex('x509Certificates', 'A list of certificates issued to the User.', { type: 'binary' }),
  ],
};

export const ENTERPRISE_USER_SCHEMA: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA_ID,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attribute('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    attribute('costCenter', 'string', 'Identifies the name of a cost center.'),
    attribute('organization', 'string', 'Identifies the name of an organization.'),
    attribute('division', 'string', 'Identifies the name of a division.'),
    attribute('department', 'string', 'Identifies the name of a department.'),
    complex("manager", "The User's manager.", [
      attribute('value', 'string', 'The id of the SCIM resource representing the User\'s manager.'),
      attribute('$ref', 'reference', 'The URI of the SCIM resource representing the User\'s manager.', { caseExact: true, referenceTypes: ['User'] }),
      attribute('displayName', 'string', "The displayName of the User's manager.", { mutability: 'readOnly' }),
    ]),
  ],
};

export const GROUP_SCHEMA: SchemaDefinition = {
  id: GROUP_SCHEMA_ID,
  name: 'Group',
  description: 'Group',
  attributes: [
    // RFC 7643 §4.2 calls displayName REQUIRED; this server also keeps it unique (Entra matches groups on it).
    attribute('displayName', 'string', 'A human-readable name for the Group; unique on this server.', { required: true, uniqueness: 'server' }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        attribute('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
        attribute('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          mutability: 'immutable',
          caseExact: true,
          referenceTypes: ['User', 'Group'],
        }),
        attribute('display', 'string', 'A human-readable name of the member.', { mutability: 'readOnly' }),
        attribute('type', 'string', 'A label indicating the type of resource, e.g. User or Group.', {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true },
    ),
  ],
};

/**
 * Attributes every resource carries (RFC 7643 §3.1). The RFC keeps them out of the published
 * schemas, so they are not listed by /Schemas, but filters, sorting and projection need them.
 */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  attribute('id', 'string', 'A unique identifier for the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', 'string', 'An identifier for the resource as defined by the provisioning client.', { caseExact: true }),
  complex(
    'meta',
    'Resource metadata, assigned by the service provider.',
    [
      attribute('resourceType', 'string', 'The name of the resource type of the resource.', { caseExact: true, mutability: 'readOnly' }),
      attribute('created', 'dateTime', 'The DateTime that the resource was added to the service provider.', { mutability: 'readOnly' }),
      attribute('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated.', { mutability: 'readOnly' }),
      attribute('location', 'reference', 'The URI of the resource being returned.', { caseExact: true, mutability: 'readOnly' }),
      attribute('version', 'string', 'The version of the resource being returned.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
  // `schemas` is not an attribute of any schema, but RFC 7644 §3.4.2.2 filters on it and §3.9 always returns it.
  attribute('schemas', 'reference', 'The schema URIs of the resource.', { multiValued: true, caseExact: true, mutability: 'readOnly', returned: 'always' }),
];

export const PUBLISHED_SCHEMAS: SchemaDefinition[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];
