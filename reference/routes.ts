// The endpoint table under the base path: discovery, resources, and the RFC endpoints this
// server does not implement. Unknown paths are 404, known paths with other methods 405.
import { resourceTypeDocument, schemaDocument, serviceProviderConfig } from './discovery.ts';
import { notFound, ScimError } from './errors.ts';
import type { Faults } from './faults.ts';
import type { Handler, Route, ScimRequest, ScimResponse } from './http-io.ts';
import type { JsonObject } from './json.ts';
import { LIST_RESPONSE_SCHEMA, lowercaseResources } from './list-query.ts';
import { resourceRoutes } from './resource-endpoints.ts';
import { GROUP_TYPE, RESOURCE_TYPES, USER_TYPE, type ResourceType } from './resource-types.ts';
import type { ResourceService } from './resources.ts';
import { ENTERPRISE_USER_SCHEMA, PUBLISHED_SCHEMAS, USER_SCHEMA, type SchemaDefinition } from './schemas.ts';

export interface RouterContext {
  service: ResourceService;
  faults: Faults;
  baseUrl: string;
  startedAt: string;
}

const everyResource = (resources: JsonObject[]): JsonObject => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});

/** RFC 7644 §4: discovery endpoints ignore query parameters, but SHOULD answer a filter with 403. */
const discovery = (produce: (...params: string[]) => unknown): Handler => (request, ...params) => {
  if (request.query.has('filter')) throw new ScimError(403, undefined, 'Filtering is not supported on discovery endpoints (RFC 7644 §4)');
  return { status: 200, body: produce(...params) };
};

const notImplemented = (what: string): Handler => () => {
  throw new ScimError(501, undefined, `${what} is not implemented by this server`);
};

const notFoundHandler = (what: string): Handler => () => {
  throw notFound(`No endpoint ${what}`);
};

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const everyMethod = (handler: Handler) => Object.fromEntries(ALL_METHODS.map((m) => [m, handler]));

/** Fault `schema-username-case-exact`: the User schema as published with userName caseExact true. */
const withCaseExactUserName = (schema: SchemaDefinition): SchemaDefinition => ({
  ...schema,
  attributes: schema.attributes.map((a) => (a.name === 'userName' ? { ...a, caseExact: true } : a)),
});

export function createRouter({ service, faults, baseUrl, startedAt }: RouterContext): (request: ScimRequest) => ScimResponse {
  // What discovery publishes, as the fault switches bend it.
  const published = PUBLISHED_SCHEMAS.filter((s) => !(s === ENTERPRISE_USER_SCHEMA && faults.has('enterprise-schema-not-served'))).map((s) =>
    s === USER_SCHEMA && faults.has('schema-username-case-exact') ? withCaseExactUserName(s) : s,
  );
  const nameOf = (type: ResourceType) => (faults.has('resource-type-plural-names') ? type.endpoint.slice(1) : type.name);
  const listOf = (resources: JsonObject[]) => {
    if (faults.has('discovery-bare-arrays')) return resources;
    return faults.has('lowercase-resources') ? lowercaseResources(everyResource(resources)) : everyResource(resources);
  };
  const spc = () => {
    if (faults.has('spc-missing')) throw notFound('No endpoint GET /ServiceProviderConfig');
    const config = serviceProviderConfig(baseUrl, startedAt);
    // Fault: the limits RFC 7643 §5 requires even of unsupported features are left out.
    if (faults.has('spc-limits-missing')) return { ...config, bulk: { supported: false }, filter: { supported: true } };
    return faults.has('spc-patch-unsupported') ? { ...config, patch: { supported: false } } : config;
  };

  const routes: Route[] = [
    { pattern: /^\/ServiceProviderConfig$/, methods: { GET: discovery(spc) } },
    { pattern: /^\/Schemas$/, methods: { GET: discovery(() => listOf(published.map((s) => schemaDocument(s, baseUrl)))) } },
    {
      pattern: /^\/Schemas\/([^/]+)$/,
      methods: {
        GET: discovery((urn) => {
          if (faults.has('schema-by-urn-unsupported')) throw notFound(`No endpoint GET /Schemas/${urn}`);
          // URNs compare case-insensitively in their scheme and namespace; we accept any case.
          const schema = published.find((s) => s.id.toLowerCase() === urn.toLowerCase());
          if (!schema) throw notFound(`No schema ${JSON.stringify(urn)}`);
          return schemaDocument(schema, baseUrl);
        }),
      },
    },
    { pattern: /^\/ResourceTypes$/, methods: { GET: discovery(() => listOf(RESOURCE_TYPES.map((t) => resourceTypeDocument(t, baseUrl, nameOf(t))))) } },
    {
      pattern: /^\/ResourceTypes\/([^/]+)$/,
      methods: {
        GET: discovery((name) => {
          // Exact names: RFC 7643 names them "User" and "Group", and a client asking for "Users" must learn it is wrong.
          const type = RESOURCE_TYPES.find((t) => nameOf(t) === name);
          if (!type) throw notFound(`No resource type ${JSON.stringify(name)}`);
          return resourceTypeDocument(type, baseUrl, nameOf(type));
        }),
      },
    },
    ...resourceRoutes(USER_TYPE, service, faults),
    ...resourceRoutes(GROUP_TYPE, service, faults),
    // RFC 7644 §3.11 and §3.7: /Me and /Bulk are optional; this server answers 501 Not Implemented.
    // Fault: /Me unknown (404) instead of 501 Not Implemented.
    { pattern: /^\/Me(?:\/.*)?$/, methods: everyMethod(faults.has('me-404') ? notFoundHandler('/Me') : notImplemented('/Me')) },
    { pattern: /^\/Bulk$/, methods: everyMethod(notImplemented('Bulk')) },
  ];

  return (request) => {
    for (const route of routes) {
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      const handler = route.methods[request.method];
      if (!handler) {
        const allow = Object.keys(route.methods).join(', ');
        throw new ScimError(405, undefined, `${request.method} is not supported on ${request.path}; allowed: ${allow}`, { Allow: allow });
      }
      return handler(request, ...match.slice(1).filter((p): p is string => p !== undefined).map(decodeSegment));
    }
    throw notFound(`No endpoint ${request.method} ${request.path}`);
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(`Malformed path segment ${JSON.stringify(segment)}`);
  }
}
