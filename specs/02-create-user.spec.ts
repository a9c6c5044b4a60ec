// Step 2, create user: a user is assigned to the app and the lookup by userName found nothing, so
// Entra sends POST /Users with the core and enterprise schemas, caches the id it gets back, and
// later reads, matches and updates the user by that id and userName. What it sent must be stored
// as sent (read back with a fresh GET), a second user with the same userName (in any case) must be
// refused with 409, and the manager it sends as a bare id string must come back as {"value": ...}.
// Okta's create differs (no enterprise extension, a password, "groups": []); the running profile
// sends its own body, and what it sent is what must come back.
import { describe } from 'vitest';
import {
  applicableOnlyIf,
  check,
  client,
  type CreatedUser,
  createUser,
  entra,
  expectEqual,
  expectJsonObject,
  expectMediaType,
  expectSchema,
  expectScimError,
  expectStatus,
  expectThat,
  once,
  pathUnderTenant,
  randomGuid,
  readUser,
  requireMapped,
  requires,
  resolveAgainst,
  sceneryUser,
  type SceneryUser,
  scim,
  scimOnTenantOrigin,
  type ScimResponse,
  serverDefines,
  serverRequires,
  splitCustomAttribute,
  target,
  valueAt,
  valuesOfType,
} from '../src/harness.ts';

const ENTERPRISE = entra.SCHEMA.enterprise;

const CREATED_201 =
  'RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP response SHALL be returned with HTTP status code 201 (Created)."; Entra: POST /Users answers "HTTP/1.1 201 Created" and Entra caches the returned id';
const LOCATION =
  'RFC 7644 §3.3: "The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP body, a JSON representation [RFC7159] with the attribute "meta.location"."';
const AS_SENT =
  'Entra: "Values sent should be stored in the same format they were sent." ... "Transformations of data shouldn\'t happen between data from Microsoft Entra ID and data stored in the SCIM application."';
const DUPLICATE =
  'RFC 7644 §3.3: "If the service provider determines that the creation of the requested resource conflicts with existing resources (e.g., a "User" resource with a duplicate "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a "scimType" error code of "uniqueness", as per Section 3.12."';
const USERNAME =
  'RFC 7643 §4.1.1: userName "Each User MUST include a non-empty userName value. This identifier MUST be unique across the service provider\'s entire set of Users. This attribute is REQUIRED and is case insensitive."';

/**
 * Entra's userName is the userPrincipalName, in the case the directory holds it
 * ("Test_User_<guid>@testuser.com"); a mixed-case userName shows whether it is stored as sent.
 * The run-unique name stays in front, so that leftovers can be found by it.
 */
const asEntraSendsIt = (seed: entra.UserSeed): entra.UserSeed => ({ ...seed, userName: seed.userName.replace('@', '.Test_User@') });

/** The user a check reads; skipped with the reason when the create gave no id. */
function idOf(user: CreatedUser | SceneryUser, what = 'the user'): string {
  const plainToo = 'fellBack' in user && user.fellBack ? `, and so did the plainest RFC body after the client's body got ${user.asClientSends.status}` : '';
  return requires(user.id, `POST /Users for ${what} answered ${user.res.status} without an id${plainToo} (CREATE-01)`);
}

/**
 * What the client sent is what the endpoint holds: each attribute of the seed that the body carried
 * (the profile and the attribute mapping decide which) and the server defines (its /Schemas; RFC
 * 7644 §3.3 lets it ignore the rest), compared exactly.
 */
function expectAsSent(user: Record<string, unknown>, { seed, body }: CreatedUser, where: string, res: ScimResponse): void {
  const sent = (...path: string[]) => valueAt(body, ...path) !== undefined && serverDefines(path[0] === ENTERPRISE ? `${ENTERPRISE}:${path.slice(1).join('.')}` : path.join('.'));
  expectEqual(user.userName, seed.userName, `userName ${where}`, res);
  if (sent('displayName')) expectEqual(user.displayName, body.displayName, `displayName ${where}`, res);
  if (sent('externalId')) expectEqual(user.externalId, seed.externalId, `externalId ${where}`, res);
  if (sent('name', 'givenName')) expectEqual(valueAt(user, 'name', 'givenName'), seed.givenName, `name.givenName ${where}`, res);
  if (sent('name', 'familyName')) expectEqual(valueAt(user, 'name', 'familyName'), seed.familyName, `name.familyName ${where}`, res);
  if (sent('emails') && serverDefines('emails[type eq "work"].value')) expectEqual(valuesOfType(user.emails, 'work').map((e) => e.value), [seed.email], `the values of the work emails ${where}`, res);
  if (sent('active')) expectEqual(user.active, true, `active ${where}`, res);
  if (sent(ENTERPRISE, 'employeeNumber')) expectEqual(valueAt(user, ENTERPRISE, 'employeeNumber'), seed.employeeNumber, `${ENTERPRISE}:employeeNumber ${where}`, res);
  if (sent(ENTERPRISE, 'department')) expectEqual(valueAt(user, ENTERPRISE, 'department'), seed.department, `${ENTERPRISE}:department ${where}`, res);
}

/** GET of a URL on the Tenant URL's origin but outside its path, with the run's credentials. */
async function getOnTenantOrigin(url: URL): Promise<ScimResponse> {
  const other = scimOnTenantOrigin(url.origin);
  try {
    return await other.get(`${url.pathname}${url.search}`);
  } finally {
    await other.close();
  }
}

/** RFC 7643 §4.3: manager is complex; Entra's parser breaks on a string (Budibase #15369). */
function expectManagerObject(user: Record<string, unknown>, managerId: string, where: string, res: ScimResponse): void {
  const manager = valueAt(user, ENTERPRISE, 'manager');
  expectThat(
    typeof manager === 'object' && manager !== null && !Array.isArray(manager),
    `expected ${ENTERPRISE}:manager ${where} to be a complex value {"value": "${managerId}"}, got ${JSON.stringify(manager)}`,
    res,
  );
  expectEqual((manager as { value?: unknown }).value, managerId, `manager.value ${where}`, res);
}

/** A path with its percent-encoding undone, for comparing with an id; as given when it cannot be decoded. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

describe('02 Create user', () => {
  // The user as Entra creates it: core and enterprise schemas, work email, externalId, active.
  // When the server refuses the client's body, CREATE-01 fails and the user is created with the
  // plainest RFC body instead, so that the other checks still judge the server's create answer.
  const created = once(() => sceneryUser('create', asEntraSendsIt));
  // A second user whose manager is the first, sent as Entra sends it: a bare id string.
  const report = once(async () => {
    const managerId = idOf(await created(), 'the manager');
    return { managerId, user: await createUser('create-report', (seed) => ({ ...seed, manager: managerId })) };
  });

  check(
    {
      id: 'CREATE-01',
      severity: 'must',
      requirement: CREATED_201,
      title:
        'POST /Users with the client\'s body (Entra: core and enterprise schemas, userName, externalId, name, work email, active, employeeNumber, department; Okta: core schema, a password and "groups": []) answers 201 Created',
    },
    async () => {
      const { asClientSends } = await created();
      expectStatus(asClientSends, 201, 'POST /Users');
    },
  );

  check(
    {
      id: 'CREATE-02',
      severity: 'must',
      requirement: LOCATION,
      title: 'The 201 answer carries a Location header that names the same URI as meta.location in its body',
    },
    async () => {
      const user = await created();
      idOf(user);
      const { res } = user;
      const location = res.headers.location;
      expectThat(location, 'expected a Location header on 201 Created, got none', res);
      const metaLocation = valueAt(res.json, 'meta', 'location');
      expectThat(typeof metaLocation === 'string' && metaLocation !== '', `expected meta.location in the body, got ${JSON.stringify(metaLocation)}`, res);
      // A relative reference is resolved against the request URL before comparing (RFC 9110 §10.2.2).
      expectEqual(resolveAgainst(location, '/Users'), resolveAgainst(metaLocation, '/Users'), 'the Location header (resolved) to equal meta.location (resolved)', res);
    },
  );

  check(
    {
      id: 'CREATE-03',
      severity: 'must',
      // Entra and Okta keep the id and never follow the Location: for them a wrong one is a warning.
      severityByProfile: { entra: 'should', 'entra-2020': 'should', okta: 'should' },
      requirement: `${LOCATION}; RFC 7643 §3.1: location "The URI of the resource being returned."`,
      title: 'GET on the Location of the created user (the Location header, else meta.location) answers 200 with that user (same id)',
    },
    async () => {
      const user = await created();
      const id = idOf(user);
      const given = user.res.headers.location ?? valueAt(user.res.json, 'meta', 'location');
      const location = requires(typeof given === 'string' && given !== '' ? given : undefined, 'the 201 answer has neither a Location header nor meta.location (CREATE-02)');
      const absolute = resolveAgainst(location, '/Users');
      expectThat(absolute, `the Location ${JSON.stringify(location)} is not a URI`, user.res);
      const url = new URL(absolute);
      expectThat(url.origin === new URL(scim.baseUrl).origin, `the Location ${absolute} is on another origin than the Tenant URL ${scim.baseUrl}; the suite does not send the token there`, user.res);
      // Under the Tenant URL the client's own joining reaches it; elsewhere on the origin, as given.
      const path = pathUnderTenant(absolute);
      const res = path !== undefined ? await scim.get(path) : await getOnTenantOrigin(url);
      expectStatus(res, 200, `GET on the Location${path === undefined ? ` (outside the Tenant URL's path ${new URL(scim.baseUrl).pathname})` : ''}`);
      expectEqual(expectJsonObject(res).id, id, 'the id of the user found at the Location', res);
    },
  );

  check(
    {
      id: 'CREATE-04',
      severity: 'must',
      requirement:
        'RFC 7643 §3.1: id "Each representation of the resource MUST include a non-empty "id" value"; meta created "This attribute MUST be a DateTime", resourceType "The name of the resource type of the resource"; RFC 7643 §3: "schemas" is REQUIRED; Entra: "id is a required property for all resources"',
      title: 'The 201 body is a full User: a non-empty string id, schemas with the core User URN, meta.resourceType "User", meta.created and meta.lastModified as date-times, and no password',
    },
    async () => {
      const { res } = await created();
      expectStatus(res, 201, 'POST /Users');
      const body = expectJsonObject(res);
      expectThat(typeof body.id === 'string' && body.id !== '', `expected a non-empty string id, got ${JSON.stringify(body.id)}`, res);
      expectEqual(valueAt(body, 'meta', 'resourceType'), 'User', 'meta.resourceType', res);
      expectSchema(res, 'user-response');
    },
  );

  check(
    {
      id: 'CREATE-05',
      severity: 'should',
      requirement: `RFC 7644 §3.3: "The response body SHOULD contain the service provider's representation of the newly created resource."; ${AS_SENT}`,
      title: 'The 201 body shows what was sent, as sent: userName, externalId, name.givenName, name.familyName, the work email, active true, and employeeNumber and department when sent',
    },
    async () => {
      const user = await created();
      expectStatus(user.res, 201, 'POST /Users');
      expectAsSent(expectJsonObject(user.res), user, 'in the 201 body', user.res);
    },
  );

  check(
    {
      id: 'CREATE-06',
      severity: 'must',
      requirement: `${AS_SENT}; RFC 7644 §3.4.1: a known resource is retrieved with GET /Users/{id}`,
      title: 'A fresh GET /Users/{id} shows what was sent, as sent: userName, externalId, name.givenName, name.familyName, the work email, active true, and employeeNumber and department when sent',
    },
    async () => {
      const user = await created();
      const { res, resource } = await readUser(idOf(user));
      expectAsSent(resource, user, 'on a fresh GET', res);
    },
  );

  check(
    {
      id: 'CREATE-07',
      severity: 'must',
      requirement:
        'RFC 7643 §3.1: "Each representation of the resource MUST include a non-empty "id" value"; RFC 7643 §3: "schemas" contains "URIs that are used to indicate the namespaces of the SCIM schemas that define the attributes present in the current JSON structure"; RFC 7643 §4.1 and §4.3 define the User and its enterprise extension',
      title: 'A fresh GET /Users/{id} answers a User that validates against the User schema, the enterprise extension included when it was sent',
    },
    async () => {
      const user = await created();
      const { res, resource } = await readUser(idOf(user));
      expectSchema(res, 'user-response');
      if (!(ENTERPRISE in user.body)) return;
      expectThat(
        Array.isArray(resource.schemas) && resource.schemas.includes(ENTERPRISE),
        `expected "schemas" to list ${ENTERPRISE}, since the user carries enterprise attributes; got ${JSON.stringify(resource.schemas)}`,
        res,
      );
    },
  );

  check(
    {
      id: 'CREATE-08',
      severity: 'must',
      // Entra's form; Okta sends no manager unless mapped.
      profiles: ['entra', 'entra-2020'],
      requirement:
        'RFC 7643 §4.3: manager "A complex type that optionally allows service providers to represent organizational hierarchy by referencing the \'id\' attribute of another User."; Entra sends "manager":"<id>" as a bare string, but an answer with a string manager fails its sync with "SystemForCrossDomainIdentityManagementServiceIncompatible ... We are not able to deserialize the resource received from your SCIM endpoint" (Budibase #15369)',
      title: 'POST /Users with the enterprise manager as a bare id string ("manager": "<manager id>") answers 201, and the 201 body and a fresh GET show manager as {"value": "<manager id>"}',
    },
    async () => {
      requireMapped(`${ENTERPRISE}:manager`);
      const { managerId, user } = await report();
      expectStatus(user.res, 201, 'POST /Users with a bare-string manager');
      const answer = expectJsonObject(user.res);
      if (valueAt(answer, ENTERPRISE, 'manager') !== undefined) expectManagerObject(answer, managerId, 'in the 201 body', user.res);
      const { res, resource } = await readUser(idOf(user, 'the report'));
      expectManagerObject(resource, managerId, 'on a fresh GET', res);
    },
  );

  check(
    {
      id: 'CREATE-09',
      severity: 'must',
      requirement: DUPLICATE,
      title: 'POST /Users with the userName of an existing user (other attributes new) answers 409 with an Error body, status "409" and scimType "uniqueness"',
    },
    async () => {
      const original = await created();
      idOf(original);
      const { res } = await createUser('create-duplicate', (seed) => ({ ...seed, userName: original.seed.userName }));
      expectScimError(res, 409, 'uniqueness');
    },
  );

  check(
    {
      id: 'CREATE-10',
      severity: 'must',
      requirement: `${USERNAME}; ${DUPLICATE}`,
      title: 'POST /Users with the userName of an existing user in upper case answers 409 with an Error body (userName is case insensitive)',
    },
    async () => {
      const original = await created();
      idOf(original);
      const upper = original.seed.userName.toUpperCase();
      expectThat(upper !== original.seed.userName, 'the seed userName has no letters to change the case of; this check is void');
      const { res } = await createUser('create-duplicate-case', (seed) => ({ ...seed, userName: upper }));
      expectScimError(res, 409);
    },
  );

  check(
    {
      id: 'CREATE-11',
      severity: 'must',
      requirement: `${USERNAME}; RFC 7644 §3.12: 400 scimType invalidValue "A required value was missing, or the value specified was not compatible with the operation or attribute type"`,
      title: 'POST /Users with the client\'s body but no userName answers 400 with an Error body whose status is "400"',
    },
    async () => {
      const body = client.createUserBody(entra.userSeed('create-no-username'));
      delete body.userName;
      const res = await scim.post('/Users', body);
      expectScimError(res, 400);
    },
  );

  check(
    {
      id: 'CREATE-12',
      severity: 'must',
      requirement:
        'RFC 7643 §4.1.1: password "The cleartext value or the hashed value of a password SHALL NOT be returnable by a service provider." ... "The mutability of the password attribute is "writeOnly", indicating that the value MUST NOT be returned by a service provider in any form (the attribute characteristic "returned" is "never")."; Okta sends a password on create',
      title: 'POST /Users with a password answers without "password" in the body, and a fresh GET /Users/{id} has none either',
    },
    async () => {
      const seed = entra.userSeed('create-password');
      const password = `Pw-${randomGuid()}-9a!`;
      const res = await scim.post('/Users', { ...client.createUserBody(seed), password });
      applicableOnlyIf(res.status !== 400, 'the endpoint refused a create with a password (400): it does not take passwords, so none can be returned');
      expectStatus(res, 201, 'POST /Users with a password');
      const body = expectJsonObject(res);
      expectThat(!('password' in body), `the 201 body returns "password": ${JSON.stringify(body.password)}`, res);
      expectThat(!res.text.includes(password), 'the 201 body returns the cleartext password under another attribute', res);
      const id = requires(typeof body.id === 'string' ? body.id : undefined, 'the 201 body has no id to read back (CREATE-04)');
      const { res: got, resource } = await readUser(id);
      expectThat(!('password' in resource), `GET /Users/{id} returns "password": ${JSON.stringify(resource.password)}`, got);
      expectThat(!got.text.includes(password), 'GET /Users/{id} returns the cleartext password under another attribute', got);
    },
  );

  check(
    {
      id: 'CREATE-13',
      severity: 'should',
      requirement:
        'RFC 7644 §8.1: "The "application/scim+json" media type is intended to identify JSON structure data that conforms to the SCIM protocol and schema specifications."; Entra: "The header for all the responses should be of content-Type: application/scim+json"',
      title: 'The 201 answer to POST /Users has Content-Type application/scim+json (parameters such as charset allowed)',
    },
    async () => {
      const { res } = await created();
      expectStatus(res, 201, 'POST /Users');
      expectMediaType(res, 'application/scim+json');
    },
  );
  check(
    {
      id: 'CREATE-14',
      severity: 'must',
      requirement: `${AS_SENT}; Entra: custom extension attributes are sent under their own schema URN ("urn:ietf:params:scim:schemas:extension:<extension>:2.0:User:<attribute>"); RFC 7643 §3.3: the "schemas" attribute lists each schema extension in use`,
      title: 'POST /Users with the custom extension attributes of the attribute mapping (SCIM_MAPPING) answers 201, and the 201 body and a fresh GET show each one as sent, with its schema URN in "schemas"',
    },
    async () => {
      const custom = Object.entries(target.mapping?.customAttributes ?? {});
      applicableOnlyIf(custom.length > 0, 'the attribute mapping has no custom extension attributes (SCIM_MAPPING customAttributes)');
      const user = await created();
      requires(user.fellBack ? undefined : true, `POST /Users with the client's body answered ${user.asClientSends.status} (CREATE-01), so no custom attribute was stored`);
      expectStatus(user.res, 201, 'POST /Users');
      const { res, resource } = await readUser(idOf(user));
      for (const [where, shown, answer] of [['in the 201 body', expectJsonObject(user.res), user.res], ['on a fresh GET', resource, res]] as const) {
        for (const [qualified, value] of custom) {
          const [schema, attribute] = splitCustomAttribute(qualified);
          expectEqual(valueAt(shown, schema, attribute), value, `${qualified} ${where}`, answer);
          expectThat(Array.isArray(shown.schemas) && shown.schemas.includes(schema), `expected "schemas" ${where} to list ${schema}, got ${JSON.stringify(shown.schemas)}`, answer);
        }
      }
    },
  );

  check(
    {
      id: 'CREATE-15',
      severity: 'must',
      // No client reads meta.location: for Entra and Okta a wrong one is a warning.
      severityByProfile: { entra: 'should', 'entra-2020': 'should', okta: 'should' },
      requirement:
        'RFC 7643 §3.1: location "The URI of the resource being returned."; RFC 7643 §2.3.7: "The value MUST be the absolute or relative URI of the target resource. Relative URIs should be resolved as specified in Section 5.2 of [RFC3986]. However, the base URI for relative URI resolution MUST include all URI components and path segments up to, but not including, the Endpoint URI (the SCIM service provider root endpoint)"; RFC 7644 §3.3: "The URI of the created resource SHALL include, in the HTTP "Location" header and the HTTP body, a JSON representation [RFC7159] with the attribute "meta.location"."',
      title: 'meta.location in the 201 body is the URI of the created user: absolute, or relative and resolving against the Tenant URL (RFC 7643 §2.3.7) to <Tenant URL>/Users/{id}',
    },
    async () => {
      const user = await created();
      const id = idOf(user);
      const location = valueAt(user.res.json, 'meta', 'location');
      expectThat(typeof location === 'string' && location !== '', `expected meta.location in the 201 body, got ${JSON.stringify(location)}`, user.res);
      // RFC 7643 §8.7.1 itself writes relative locations ("/v2/Schemas/..."): relative is allowed, but
      // resolves against the Tenant URL, so "/Users/{id}" leaves a Tenant URL's path prefix behind.
      const resolved = resolveAgainst(location, '/');
      const path = resolved === undefined ? undefined : pathUnderTenant(resolved);
      expectThat(
        path !== undefined && decodedPath(path) === `/Users/${id}`,
        `meta.location ${JSON.stringify(location)} resolves to ${resolved ?? 'no URI'}, not to the created user at ${scim.baseUrl.replace(/\/+$/, '')}/Users/${id}`,
        user.res,
      );
    },
  );

  check(
    {
      id: 'CREATE-16',
      severity: 'must',
      requirement:
        'RFC 7644 §3.12: 400 Bad Request "Request is unparsable, syntactically incorrect, or violates schema."; scimType invalidSyntax "The request body message structure was invalid or did not conform to the request schema."; errors carry the Error schema and "status", "The HTTP status code ... expressed as a JSON string"',
      title: 'POST /Users with a body that is not valid JSON (cut off after "userName":) answers 400 with an Error body whose status is "400", not 500',
    },
    async () => {
      // A string body goes on the wire as is, with Content-Type application/scim+json.
      const res = await scim.post('/Users', `{"schemas":["${entra.SCHEMA.user}"],"userName": `);
      expectScimError(res, 400);
    },
  );

  check(
    {
      id: 'CREATE-18',
      severity: 'should',
      // Okta requires an email of every user; the rfc profile lets a server require more and declare it.
      profiles: ['entra', 'entra-2020'],
      requirement:
        'Entra (known issues, "Null attribute can\'t be provisioned"): "If an attribute is null on the user object, it will be skipped." Its default mapping sends emails[type eq "work"].value from mail, so a user without mail arrives without "emails"; RFC 7643 §4.1.1: userName is the one REQUIRED attribute, and §8.7.1 publishes emails with "required" : false',
      title: 'POST /Users with the client\'s body for a directory user without mail (no "emails"; a userName that is not an email address) answers 201 Created',
    },
    async () => {
      const seed = entra.userSeed('create-no-mail');
      // A userName mapped from a non-email attribute (mailNickname, employeeId): some servers take a
      // user without emails only when its userName is an email address.
      const body = client.createUserBody({ ...seed, userName: seed.userName.split('@')[0]! });
      delete body.emails;
      const res = await scim.post('/Users', body);
      if (res.status === 201) return;
      const error = res.json as { schemas?: unknown; scimType?: unknown; detail?: unknown } | undefined;
      const scimError = Array.isArray(error?.schemas) && error.schemas.includes(entra.SCHEMA.error);
      const answer =
        res.status === 400 && scimError
          ? `refused with 400 ${[error.scimType, error.detail].filter((v) => typeof v === 'string').map((v) => JSON.stringify(v)).join(' ')}`
          : res.status >= 500
            ? `answered ${res.status}, a server error`
            : res.status >= 400 && !scimError
              ? `refused with ${res.status} without a SCIM Error body`
              : `answered ${res.status} instead of 201`;
      const declared = res.status >= 400 && serverRequires('emails') ? ' (the server declares emails required: true in its /Schemas, so the refusal is what it publishes)' : '';
      expectThat(
        false,
        `${answer}${declared}: Entra users without a mail attribute will fail to provision; map a fallback for emails or accept users without emails`,
        res,
      );
    },
  );
});
