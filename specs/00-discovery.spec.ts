// Step 0, discovery: before anything is provisioned, a client can learn what the endpoint offers
// from three documents: /ServiceProviderConfig (which features), /ResourceTypes (which resources
// at which endpoints, with which schemas) and /Schemas (which attributes, with their rules).
// Entra's gallery validation calls all three and Entra reads /Schemas when the provisioning
// configuration is saved. The suite itself reads the ServiceProviderConfig to skip checks of
// features the endpoint says it lacks (sort, ETag, bulk); PATCH and filtering are never skipped.
import { describe } from 'vitest';
import {
  capabilities,
  check,
  discoveryDocuments,
  endpointPath,
  entra,
  expectEqual,
  expectJsonObject,
  expectListResponse,
  expectMediaType,
  expectSchema,
  expectStatus,
  expectThat,
  type ListResponse,
  notDefined,
  requires,
  scim,
  type ScimResponse,
  target,
  validate,
} from '../src/harness.ts';

const GALLERY =
  'Entra App Gallery validation checklist 2.1.8 (Required): "SCIM endpoint supports Schema Discovery (/Schemas, /ResourceTypes, /ServiceProviderConfig)"';
const SPC =
  'RFC 7644 §4: "An HTTP GET to this endpoint will return a JSON structure that describes the SCIM specification features available on a service provider. This endpoint SHALL return responses with a JSON object using a "schemas" attribute of "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig""; RFC 7643 §5: patch, bulk, filter, changePassword, sort, etag and authenticationSchemes are each REQUIRED';
const RESOURCE_TYPES =
  'RFC 7644 §4: "/ResourceTypes An HTTP GET to this endpoint is used to discover the types of resources available on a SCIM service provider (e.g., Users and Groups). Each resource type defines the endpoints, the core schema URI that defines the resource, and any supported schema extensions."; RFC 7643 §6: endpoint is "relative to the Base URL of the service provider"';
const SCHEMAS =
  'RFC 7644 §4: "An HTTP GET to the endpoint "/Schemas" SHALL return all supported schemas in ListResponse format"';
const BY_ID =
  'RFC 7644 §4: "In cases where a request is for a specific "ResourceType" or "Schema", the single JSON object is returned in the same way that a single User or Group is retrieved, as per Section 3.4.1."';

const ENTERPRISE = entra.SCHEMA.enterprise;
/** The limits RFC 7643 §5 requires of bulk and filter: DISC-13's concern, not DISC-01's. */
const SPC_LIMITS = /^\/(bulk|filter)( must have required property '(maxOperations|maxPayloadSize|maxResults)'|\/(maxOperations|maxPayloadSize|maxResults) )/;
type Json = Record<string, unknown>;

/** The attribute definition named `name` in a Schema resource; names compare without case (RFC 7643 §2.1). */
function attributeNamed(schema: Json | undefined, name: string): Json | undefined {
  const attributes = Array.isArray(schema?.attributes) ? (schema.attributes as unknown[]) : [];
  return attributes.find(
    (a): a is Json => typeof a === 'object' && a !== null && String((a as Json).name).toLowerCase() === name.toLowerCase(),
  );
}

/** Fails unless the answer is a schema-valid ListResponse whose every element validates against `schema`. */
function expectListOf(res: ScimResponse, schema: 'resource-type' | 'schema'): ListResponse {
  const list = expectListResponse(res);
  list.Resources.forEach((element) => expectSchema(res, schema, element));
  return list;
}

/** A ListResponse answer read without asserting; the checks that build on it skip when it is not one. */
function resourcesOf(res: ScimResponse, what: string): Json[] {
  const resources = (res.json as { Resources?: unknown } | undefined)?.Resources;
  return requires(
    res.status === 200 && Array.isArray(resources) ? (resources as Json[]) : undefined,
    `${what} did not answer a ListResponse (status ${res.status}); see the check that reads it`,
  );
}

describe('00 Discovery', () => {
  // The same answers the suite read before the checks to learn what the server defines.
  const resourceTypes = () => discoveryDocuments().resourceTypes;
  const schemas = () => discoveryDocuments().schemas;
  const resourceTypeNamed = async (name: string) => resourcesOf(await resourceTypes(), 'GET /ResourceTypes').find((t) => t.name === name);
  const schemaWithId = async (id: string) => resourcesOf(await schemas(), 'GET /Schemas').find((s) => s.id === id);

  check(
    {
      id: 'DISC-01',
      severity: 'must',
      requirement: `${SPC}; ${GALLERY}`,
      title: 'GET /ServiceProviderConfig answers 200 with a ServiceProviderConfig: its schema URI, every REQUIRED feature with "supported", and at least one authentication scheme',
    },
    async () => {
      const { res } = await capabilities();
      expectStatus(res, 200);
      expectJsonObject(res);
      expectSchema(res, 'service-provider-config', res.json, SPC_LIMITS);
    },
  );

  check(
    {
      id: 'DISC-13',
      severity: 'must',
      // No provisioning client reads these limits; a strict RFC client does.
      severityByProfile: { entra: 'should', 'entra-2020': 'should', okta: 'should' },
      requirement:
        'RFC 7643 §5: bulk "maxOperations An integer value specifying the maximum number of operations. REQUIRED." "maxPayloadSize An integer value specifying the maximum payload size in bytes. REQUIRED."; filter "maxResults An integer value specifying the maximum number of resources returned in a response. REQUIRED." (no exception for an unsupported feature)',
      title: 'The ServiceProviderConfig gives bulk.maxOperations, bulk.maxPayloadSize and filter.maxResults as integers, also when bulk is not supported',
    },
    async () => {
      const { res } = await capabilities();
      expectStatus(res, 200);
      expectJsonObject(res);
      const result = validate('service-provider-config', res.json);
      const missing = result.valid ? [] : result.errors.filter((e) => SPC_LIMITS.test(e));
      expectThat(missing.length === 0, `the ServiceProviderConfig lacks limits RFC 7643 §5 requires:\n  ${missing.join('\n  ')}`, res);
    },
  );

  check(
    {
      id: 'DISC-02',
      severity: 'must',
      requirement:
        'Entra: an application "must support" "Modify users or groups with PATCH requests" (RFC 7644 §3.5.2) and "Query users or groups" (RFC 7644 §3.4.2); RFC 7643 §5: patch and filter "supported: A Boolean value specifying whether or not the operation is supported. REQUIRED."',
      title: 'The ServiceProviderConfig says patch.supported true and filter.supported true (Entra updates with PATCH and matches users with filters)',
    },
    async () => {
      const caps = await capabilities();
      expectStatus(caps.res, 200);
      const body = expectJsonObject(caps.res);
      expectThat(caps.patch, `expected patch.supported to be true, got patch ${JSON.stringify(body.patch)}: Entra sends every update as PATCH`, caps.res);
      expectThat(caps.filter, `expected filter.supported to be true, got filter ${JSON.stringify(body.filter)}: Entra matches users with ?filter=userName eq "..."`, caps.res);
    },
  );

  check(
    {
      id: 'DISC-03',
      severity: 'must',
      requirement: `${RESOURCE_TYPES}; RFC 7643 §4.1: "The core schema for "User" is identified using the following schema URI: "urn:ietf:params:scim:schemas:core:2.0:User""; ${GALLERY}`,
      title: 'GET /ResourceTypes answers a ListResponse of valid ResourceTypes that includes "User" at endpoint /Users with schema urn:ietf:params:scim:schemas:core:2.0:User',
    },
    async () => {
      const res = await resourceTypes();
      const list = expectListOf(res, 'resource-type');
      const user = list.Resources.find((t) => t.name === 'User');
      expectThat(user, `expected a resource type named "User", got ${JSON.stringify(list.Resources.map((t) => t.name))}`, res);
      expectEqual(endpointPath(String(user.endpoint)), '/Users', 'the endpoint of the User resource type (as a path)', res);
      expectEqual(user.schema, entra.SCHEMA.user, 'the schema of the User resource type', res);
    },
  );

  check(
    {
      id: 'DISC-04',
      severity: 'must',
      groups: true,
      requirement: `${RESOURCE_TYPES}; RFC 7643 §4.2: the core schema of "Group" is urn:ietf:params:scim:schemas:core:2.0:Group; ${GALLERY}`,
      title: 'GET /ResourceTypes includes "Group" at endpoint /Groups with schema urn:ietf:params:scim:schemas:core:2.0:Group',
    },
    async () => {
      const res = await resourceTypes();
      const list = expectListOf(res, 'resource-type');
      const group = list.Resources.find((t) => t.name === 'Group');
      expectThat(group, `expected a resource type named "Group", got ${JSON.stringify(list.Resources.map((t) => t.name))}`, res);
      expectEqual(endpointPath(String(group.endpoint)), '/Groups', 'the endpoint of the Group resource type (as a path)', res);
      expectEqual(group.schema, entra.SCHEMA.group, 'the schema of the Group resource type', res);
    },
  );

  check(
    {
      id: 'DISC-05',
      severity: 'must',
      requirement: `${RESOURCE_TYPES}; RFC 7644 §3.4.2: a query of a resource endpoint answers a ListResponse; Entra: "Response to a query/filter request should always be a ListResponse"`,
      title: 'GET on the endpoint of every advertised resource type (Group only when groups are on) with startIndex=1&count=1 answers 200 with a ListResponse',
    },
    async () => {
      const types = resourcesOf(await resourceTypes(), 'GET /ResourceTypes').filter((t) => target.groups || t.name !== 'Group');
      requires(types.length > 0 ? types : undefined, 'GET /ResourceTypes lists no resource type to try');
      for (const type of types) {
        const path = endpointPath(String(type.endpoint));
        expectThat(path, `the endpoint ${JSON.stringify(type.endpoint)} of resource type ${JSON.stringify(type.name)} is not under the Tenant URL ${target.baseUrl}`, await resourceTypes());
        expectListResponse(await scim.get(`${path}?startIndex=1&count=1`));
      }
    },
  );

  check(
    {
      id: 'DISC-06',
      severity: 'must',
      requirement: `${SCHEMAS}; Entra: "Support the /Schemas endpoint", "Must return a list response"; RFC 7643 §4.1.1: userName "Each User MUST include a non-empty userName value ... This attribute is REQUIRED"`,
      title: 'GET /Schemas answers a ListResponse of valid Schema resources that includes urn:ietf:params:scim:schemas:core:2.0:User defining userName as a string',
    },
    async () => {
      const res = await schemas();
      const list = expectListOf(res, 'schema');
      const user = list.Resources.find((s) => s.id === entra.SCHEMA.user);
      expectThat(user, `expected the schema ${entra.SCHEMA.user}, got ids ${JSON.stringify(list.Resources.map((s) => s.id))}`, res);
      const userName = attributeNamed(user, 'userName');
      expectThat(userName, 'expected the User schema to define the attribute userName', res);
      expectEqual(userName.type, 'string', 'the type of userName in the User schema', res);
    },
  );

  check(
    {
      id: 'DISC-07',
      severity: 'should',
      requirement:
        'RFC 7643 §4.1.1: userName "This attribute is REQUIRED and is case insensitive."; RFC 7643 §8.7.1 publishes userName with "caseExact" : false; RFC 7643 §7: caseExact "A Boolean value that specifies whether or not a string attribute is case sensitive"',
      title: 'The User schema served by /Schemas does not mark userName caseExact true (userName is case insensitive)',
    },
    async () => {
      const user = requires(await schemaWithId(entra.SCHEMA.user), 'GET /Schemas does not list the User schema (DISC-06)');
      const userName = requires(attributeNamed(user, 'userName'), 'the User schema defines no userName (DISC-06)');
      expectThat(userName.caseExact !== true, 'the User schema publishes userName with caseExact true; RFC 7643 makes userName case insensitive, and Entra matches it without regard to case', await schemas());
    },
  );

  check(
    {
      id: 'DISC-08',
      severity: 'must',
      groups: true,
      requirement: `${SCHEMAS}; RFC 7643 §4.2: "displayName A human-readable name for the Group. REQUIRED." and "members A list of members of the Group."`,
      title: 'GET /Schemas includes urn:ietf:params:scim:schemas:core:2.0:Group defining displayName and members (complex, with value)',
    },
    async () => {
      const res = await schemas();
      const list = expectListOf(res, 'schema');
      const group = list.Resources.find((s) => s.id === entra.SCHEMA.group);
      expectThat(group, `expected the schema ${entra.SCHEMA.group}, got ids ${JSON.stringify(list.Resources.map((s) => s.id))}`, res);
      expectThat(attributeNamed(group, 'displayName'), 'expected the Group schema to define displayName', res);
      const members = attributeNamed(group, 'members');
      expectThat(members, 'expected the Group schema to define members', res);
      expectEqual(members.type, 'complex', 'the type of members in the Group schema', res);
      expectThat(attributeNamed({ attributes: members.subAttributes }, 'value'), 'expected members to have the sub-attribute value (the member id)', res);
    },
  );

  check(
    {
      id: 'DISC-09',
      severity: 'must',
      requirement: `${SCHEMAS}; RFC 7643 §6: schemaExtensions "schema The URI of an extended schema"; RFC 7643 §4.3: manager "A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User."`,
      title: 'When the User resource type lists the enterprise extension, GET /Schemas serves it, defining employeeNumber, department and manager as complex with value',
    },
    async () => {
      const userType = requires(await resourceTypeNamed('User'), 'GET /ResourceTypes lists no User resource type (DISC-03)');
      const extensions = Array.isArray(userType.schemaExtensions) ? (userType.schemaExtensions as Json[]) : [];
      // RFC 7643 §6: extensions are optional; a server without this one has nothing to serve.
      if (!extensions.some((e) => e?.schema === ENTERPRISE)) notDefined('User', [ENTERPRISE]);
      const res = await schemas();
      const list = expectListOf(res, 'schema');
      const enterprise = list.Resources.find((s) => s.id === ENTERPRISE);
      expectThat(enterprise, `the User resource type lists ${ENTERPRISE}, but GET /Schemas does not serve it (ids ${JSON.stringify(list.Resources.map((s) => s.id))})`, res);
      expectThat(attributeNamed(enterprise, 'employeeNumber'), 'expected the enterprise schema to define employeeNumber', res);
      expectThat(attributeNamed(enterprise, 'department'), 'expected the enterprise schema to define department', res);
      const manager = attributeNamed(enterprise, 'manager');
      expectThat(manager, 'expected the enterprise schema to define manager', res);
      expectEqual(manager.type, 'complex', 'the type of manager in the enterprise schema', res);
      expectThat(attributeNamed({ attributes: manager.subAttributes }, 'value'), 'expected manager to have the sub-attribute value (the manager id)', res);
    },
  );

  check(
    {
      id: 'DISC-10',
      severity: 'should',
      requirement: `RFC 7644 §4: "Individual schema definitions can be returned by appending the schema URI to the /Schemas endpoint. For example: /Schemas/urn:ietf:params:scim:schemas:core:2.0:User"; ${BY_ID}`,
      title: 'GET /Schemas/urn:ietf:params:scim:schemas:core:2.0:User answers 200 with that one Schema resource',
    },
    async () => {
      const res = await scim.get(`/Schemas/${entra.SCHEMA.user}`);
      expectStatus(res, 200);
      const body = expectJsonObject(res);
      expectSchema(res, 'schema');
      expectEqual(body.id, entra.SCHEMA.user, 'the id of the schema returned', res);
      expectThat(attributeNamed(body, 'userName'), 'expected the User schema to define userName', res);
    },
  );

  check(
    {
      id: 'DISC-11',
      severity: 'should',
      requirement: `${BY_ID}; RFC 7643 §8.6 shows the User resource type at "location": "https://example.com/v2/ResourceTypes/User"`,
      title: 'GET /ResourceTypes/User answers 200 with the User resource type (name "User", endpoint /Users)',
    },
    async () => {
      const res = await scim.get('/ResourceTypes/User');
      expectStatus(res, 200);
      const body = expectJsonObject(res);
      expectSchema(res, 'resource-type');
      expectEqual(body.name, 'User', 'the name of the resource type returned', res);
      expectEqual(endpointPath(String(body.endpoint)), '/Users', 'its endpoint (as a path)', res);
    },
  );

  check(
    {
      id: 'DISC-12',
      severity: 'should',
      requirement:
        'RFC 7644 §8.1: "The "application/scim+json" media type is intended to identify JSON structure data that conforms to the SCIM protocol and schema specifications."; Entra: "The header for all the responses should be of content-Type: application/scim+json"',
      title: 'GET /ServiceProviderConfig, /ResourceTypes and /Schemas answer with Content-Type application/scim+json (parameters such as charset allowed)',
    },
    async () => {
      for (const res of [(await capabilities()).res, await resourceTypes(), await schemas()]) {
        expectStatus(res, 200);
        expectMediaType(res, 'application/scim+json');
      }
    },
  );
});
