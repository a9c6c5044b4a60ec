// Query parameters of a list request (RFC 7644 §3.4.2): paging, sorting, and the ListResponse.
import { containerOf, findAttribute, resolveAttributePath } from './attribute-paths.ts';
import { badRequest } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import { readProjection, type Projection } from './projection.ts';
import type { ResourceType } from './resource-types.ts';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ListQuery {
  filter: string | undefined;
  startIndex: number;
  count: number;
  sortBy: string | undefined;
  sortOrder: 'ascending' | 'descending';
  projection: Projection;
}

/** Reads a parameter by name, case-insensitively (RFC 7643 §2.1 spirit; clients differ). */
export type ParameterSource = (name: string) => unknown;

export function queryParameters(params: URLSearchParams): ParameterSource {
  return (name) => {
    for (const [key, value] of params) if (key.toLowerCase() === name.toLowerCase()) return value;
    return undefined;
  };
}

export function bodyParameters(body: JsonObject): ParameterSource {
  return (name) => Object.entries(body).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

function readInteger(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  throw badRequest('invalidValue', `"${name}" must be an integer`);
}

export function readListQuery(get: ParameterSource, maxResults: number): ListQuery {
  const filter = get('filter');
  const sortBy = get('sortBy');
  const sortOrder = get('sortOrder') ?? 'ascending';
  if (sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw badRequest('invalidValue', '"sortOrder" must be "ascending" or "descending"');
  }
  return {
    filter: typeof filter === 'string' && filter.trim() !== '' ? filter : undefined,
    // RFC 7644 §3.4.2.4: startIndex < 1 is read as 1, a negative count as 0; we cap count at maxResults.
    startIndex: Math.max(1, readInteger(get('startIndex'), 'startIndex') ?? 1),
    count: Math.min(maxResults, Math.max(0, readInteger(get('count'), 'count') ?? maxResults)),
    sortBy: typeof sortBy === 'string' && sortBy.trim() !== '' ? sortBy.trim() : undefined,
    sortOrder,
    projection: readProjection(get('attributes'), get('excludedAttributes')),
  };
}

/**
 * RFC 7644 §3.4.2.3: sort by one attribute; a multi-valued one by its primary (or first) value;
 * strings by their caseExact rule; resources without a value sort last ascending, first descending.
 */
export function sortResources(type: ResourceType, views: JsonObject[], sortBy: string, order: ListQuery['sortOrder']): JsonObject[] {
  const path = resolveAttributePath(type, sortBy);
  if (!path) throw badRequest('invalidValue', `Cannot sort by unknown attribute "${sortBy}"`);
  const { attribute, subAttribute } = path;
  const leaf = subAttribute ?? (attribute.type === 'complex' ? findAttribute(attribute.subAttributes, 'value') : attribute);
  if (!leaf || leaf.type === 'complex') throw badRequest('invalidValue', `Cannot sort by complex attribute "${sortBy}"`);

  const keyOf = (view: JsonObject): string | number | boolean | undefined => {
    let value = containerOf(view, path, false)?.[attribute.name];
    if (attribute.multiValued && Array.isArray(value)) value = value.find((v) => isObject(v) && v['primary'] === true) ?? value[0];
    if (leaf !== attribute && isObject(value)) value = value[leaf.name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') {
      if (leaf.type === 'dateTime') return Date.parse(value);
      return leaf.caseExact ? value : value.toLowerCase();
    }
    return typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
  };
  const direction = order === 'ascending' ? 1 : -1;
  const keyed = views.map((view) => ({ view, key: keyOf(view) }));
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return 0;
      return (a.key === undefined ? 1 : -1) * direction;
    }
    return (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * direction;
  });
  return keyed.map((k) => k.view);
}

export function listResponse(all: JsonObject[], startIndex: number, count: number, render: (r: JsonObject) => JsonObject = (r) => r): JsonObject {
  const page = all.slice(startIndex - 1, startIndex - 1 + count).map(render);
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: all.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page,
  };
}

/** Fault `lowercase-resources`: the ListResponse with its member spelled "resources". */
export function lowercaseResources(list: JsonObject): JsonObject {
  const { Resources, ...rest } = list;
  return { ...rest, resources: Resources };
}
