// HTTP endpoints of /Users and /Groups: request parameters in, status codes and headers out.
import { badRequest, ScimError } from './errors.ts';
import type { Faults } from './faults.ts';
import { parseJsonBody, type Route, type ScimRequest, type ScimResponse } from './http-io.ts';
import { isObject } from './json.ts';
import { bodyParameters, queryParameters, readListQuery } from './list-query.ts';
import { MAX_RESULTS } from './discovery.ts';
import { readProjection } from './projection.ts';
import { requireSchemas } from './resource-input.ts';
import { USER_TYPE, type ResourceType } from './resource-types.ts';
import type { ResourceService } from './resources.ts';
import type { StoredResource } from './store.ts';

export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

export function resourceRoutes(type: ResourceType, service: ResourceService, faults: Faults): Route[] {
  /** A resource as answered: rendered, then narrowed by ?attributes= / ?excludedAttributes= (RFC 7644 §3.9). */
  const answer = (request: ScimRequest, stored: StoredResource, status: number, headers?: Record<string, string>): ScimResponse => {
    const get = queryParameters(request.query);
    const projection = readProjection(get('attributes'), get('excludedAttributes'));
    return { status, body: service.project(type, stored, projection), ...(headers ? { headers } : {}) };
  };
  const body = (request: ScimRequest) => {
    try {
      return parseJsonBody(request.body, request.contentType);
    } catch (error) {
      // Fault: the JSON parser's exception escapes to a generic 500 handler.
      if (faults.has('malformed-json-500') && error instanceof ScimError && error.scimType === 'invalidSyntax') throw new ScimError(500, undefined, `Internal server error: ${error.message}`);
      throw error;
    }
  };

  const list = (request: ScimRequest): ScimResponse => {
    const query = readListQuery(queryParameters(request.query), MAX_RESULTS);
    if (query.filter === undefined && faults.has('unfiltered-list-refused')) {
      throw new ScimError(400, 'tooMany', `Listing every ${type.name} is not supported; send a filter`);
    }
    return { status: 200, body: service.list(type, query) };
  };

  /** POST /{Resource}/.search (RFC 7644 §3.4.3): the query parameters, as a SearchRequest body. */
  const search = (request: ScimRequest): ScimResponse => {
    // Fault: no POST /.search, as most servers built for Entra or Okta (which never send it).
    if (faults.has('search-unsupported')) throw new ScimError(404, undefined, `No endpoint ${type.endpoint}/.search`);
    const message = body(request);
    if (!isObject(message)) throw badRequest('invalidSyntax', 'A SearchRequest must be a JSON object');
    requireSchemas(message, SEARCH_REQUEST_SCHEMA);
    return { status: 200, body: service.list(type, readListQuery(bodyParameters(message), MAX_RESULTS)) };
  };

  const create = (request: ScimRequest): ScimResponse => {
    const created = service.create(type, body(request));
    const location = service.locationOf(type, created.id);
    // RFC 7644 §3.3: 201 Created, with the resource's URI in Location (equal to meta.location).
    const answered = answer(request, created, faults.has('create-200') ? 200 : 201, faults.has('no-location') ? undefined : { Location: location });
    if (faults.has('create-minimal-body')) {
      const essentials = { attributes: [type === USER_TYPE ? 'userName' : 'displayName', 'meta'], excludedAttributes: [] };
      answered.body = service.project(type, created, essentials);
    }
    if (faults.has('create-without-id') && isObject(answered.body)) delete answered.body['id'];
    return answered;
  };

  const read = (request: ScimRequest, id: string) => answer(request, service.get(type, id), 200);
  const replace = (request: ScimRequest, id: string): ScimResponse => {
    // Fault: no PUT, as endpoints built for Entra alone (which only PATCHes) often have.
    if (faults.has('put-unsupported')) throw new ScimError(405, undefined, 'PUT is not supported; use PATCH');
    return answer(request, service.replace(type, id, body(request)), 200);
  };
  const patch = (request: ScimRequest, id: string) => {
    const before = faults.has('patch-200-stale-body') ? service.get(type, id) : undefined;
    const after = service.patch(type, id, body(request));
    return answer(request, before ?? after, 200);
  };

  const remove = (request: ScimRequest, id: string): ScimResponse => {
    if (faults.has('delete-unknown-204') && !service.exists(type, id)) return { status: 204 };
    const deleted = service.delete(type, id);
    // RFC 7644 §3.6: 204 No Content (the fault `no-content-with-content-type` labels the content it does not have).
    if (faults.has('delete-200')) return answer(request, deleted, 200);
    return faults.has('no-content-with-content-type') ? { status: 204, headers: { 'Content-Type': 'application/scim+json; charset=utf-8' } } : { status: 204 };
  };

  const path = type.endpoint.replace('/', '\\/');
  return [
    { pattern: new RegExp(`^${path}$`), methods: { GET: list, POST: create } },
    { pattern: new RegExp(`^${path}\\/\\.search$`), methods: { POST: search } },
    { pattern: new RegExp(`^${path}\\/([^/]+)$`), methods: { GET: read, PUT: replace, PATCH: patch, DELETE: remove } },
  ];
}
