// What the server publishes about its resources: GET /ResourceTypes (which schemas and extensions
// a User and a Group have) and GET /Schemas (which attributes each schema defines, which are
// required). Read once per spec file, before its checks (src/discovery-setup.ts), so that bodies
// and checks can ask synchronously. RFC 7644 §3.3 lets a server ignore attributes it does not
// define, so the suite never requires them: the rfc profile does not send them, and checks that an
// attribute is stored are not applicable when the server does not define it. Without readable
// discovery documents everything counts as defined (the behaviour before discovery was read).
import type { ScimResponse } from './client.ts';

export type ResourceName = 'User' | 'Group';

export interface AttributeDefinition {
  name: string;
  type?: string;
  multiValued?: boolean;
  required?: boolean;
  mutability?: string;
  subAttributes?: AttributeDefinition[];
}

interface ResourceTypeDefinition {
  schema: string;
  extensions: Array<{ schema: string; required: boolean }>;
}

export interface ServerSchema {
  /** Why the documents could not be read; when set, every attribute counts as defined. */
  unreadable?: string;
  resourceTypes: Map<ResourceName, ResourceTypeDefinition>;
  /** Schema URN in lower case -> its attributes. */
  schemas: Map<string, AttributeDefinition[]>;
}

const CORE: Record<ResourceName, string> = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:User',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function listResources(res: ScimResponse | undefined): Json[] | undefined {
  const resources = res?.status === 200 && isObject(res.json) ? res.json.Resources : undefined;
  return Array.isArray(resources) ? resources.filter(isObject) : undefined;
}

function readAttributes(value: unknown): AttributeDefinition[] {
  return (Array.isArray(value) ? value : []).filter(isObject).filter((a) => typeof a.name === 'string').map((a) => ({
    name: a.name as string,
    ...(typeof a.type === 'string' && { type: a.type }),
    ...(typeof a.multiValued === 'boolean' && { multiValued: a.multiValued }),
    ...(typeof a.required === 'boolean' && { required: a.required }),
    ...(typeof a.mutability === 'string' && { mutability: a.mutability }),
    ...(Array.isArray(a.subAttributes) && { subAttributes: readAttributes(a.subAttributes) }),
  }));
}

/** Reads the answers to GET /ResourceTypes and GET /Schemas (either may be missing or broken). */
export function readServerSchema(resourceTypesRes: ScimResponse | undefined, schemasRes: ScimResponse | undefined): ServerSchema {
  const schemaList = listResources(schemasRes);
  const typeList = listResources(resourceTypesRes);
  const schemas = new Map<string, AttributeDefinition[]>();
  for (const schema of schemaList ?? []) if (typeof schema.id === 'string') schemas.set(schema.id.toLowerCase(), readAttributes(schema.attributes));
  const resourceTypes = new Map<ResourceName, ResourceTypeDefinition>();
  for (const type of typeList ?? []) {
    if ((type.name !== 'User' && type.name !== 'Group') || typeof type.schema !== 'string') continue;
    const extensions = (Array.isArray(type.schemaExtensions) ? type.schemaExtensions : [])
      .filter(isObject)
      .filter((e) => typeof e.schema === 'string')
      .map((e) => ({ schema: e.schema as string, required: e.required === true }));
    resourceTypes.set(type.name, { schema: type.schema, extensions });
  }
  const unreadable =
    schemaList === undefined
      ? `GET /Schemas ${schemasRes ? `answered ${schemasRes.status}${schemasRes.status === 200 ? ' without a ListResponse' : ''}` : 'could not be sent'}`
      : undefined;
  return { ...(unreadable && { unreadable }), resourceTypes, schemas };
}

const COMMON_ATTRIBUTES = new Set(['id', 'externalid', 'meta', 'schemas']);

const byName = (attributes: readonly AttributeDefinition[] | undefined, name: string) =>
  attributes?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** `urn:...:enterprise:2.0:User:manager.value` -> [schema URN, 'manager.value']; a core path -> [undefined, path]. */
export function splitSchemaPath(path: string): [schema: string | undefined, attributePath: string] {
  if (!/^urn:/i.test(path)) return [undefined, path];
  // Attribute names hold no colon, so the attribute path starts after the last colon outside a filter.
  const outsideFilters = path.replace(/\[[^\]]*\]/g, (filter) => '_'.repeat(filter.length));
  const at = outsideFilters.lastIndexOf(':');
  return [path.slice(0, at), path.slice(at + 1)];
}

/** 'emails[type eq "work"].value' -> ['emails', 'value']. */
function attributeNames(attributePath: string): string[] {
  return attributePath.replace(/\[[^\]]*\]/g, '').split('.').filter((n) => n !== '');
}

/** A schema URN alone (`urn:...:enterprise:2.0:User`), not an attribute path inside one. */
function isSchemaUrn(model: ServerSchema, path: string): boolean {
  const lower = path.toLowerCase();
  const listed = [...model.resourceTypes.values()].some((t) => t.schema.toLowerCase() === lower || t.extensions.some((e) => e.schema.toLowerCase() === lower));
  return model.schemas.has(lower) || listed || /^urn:.*:(user|group)$/i.test(path);
}

/** Whether a schema is in use for the resource: its core schema, or an extension its resource type lists. */
function schemaInUse(model: ServerSchema, resource: ResourceName, schema: string): boolean | undefined {
  const type = model.resourceTypes.get(resource);
  const lower = schema.toLowerCase();
  if (lower === CORE[resource].toLowerCase()) return true;
  // A resource type that lists no extensions at all often just leaves schemaExtensions out: then /Schemas tells.
  if (type && type.extensions.length > 0) return type.extensions.some((e) => e.schema.toLowerCase() === lower);
  if (type) return model.schemas.has(lower);
  // No /ResourceTypes to tell: an extension counts as in use when /Schemas serves it.
  return model.schemas.has(lower) ? true : undefined;
}

/**
 * Whether the server defines an attribute of a resource: `nickName`, `name.familyName`,
 * `emails[type eq "work"].value`, `urn:...:enterprise:2.0:User:department`, or an extension's URN
 * alone. Unknown (discovery unreadable, or a schema in use that /Schemas does not serve) counts as defined.
 */
export function defines(model: ServerSchema, resource: ResourceName, path: string): boolean {
  if (model.unreadable) return true;
  if (isSchemaUrn(model, path)) return schemaInUse(model, resource, path) !== false;
  const [schema = CORE[resource], attributePath] = splitSchemaPath(path);
  // RFC 7643 §3.1: id, externalId and meta belong to every resource, whatever its schema lists.
  if (schema.toLowerCase() === CORE[resource].toLowerCase() && COMMON_ATTRIBUTES.has(attributeNames(attributePath)[0]?.toLowerCase() ?? '')) return true;
  if (schemaInUse(model, resource, schema) === false) return false;
  const attributes = model.schemas.get(schema.toLowerCase());
  if (attributes === undefined) return true;
  // A value filter names sub-attributes too: emails[type eq "work"].value needs emails.type.
  for (const [, parent, inner] of attributePath.matchAll(/([^.[\]]+)\[\s*([^\s\]]+)/g)) {
    if (!defines(model, resource, `${schema}:${parent}.${inner}`)) return false;
  }
  let level: readonly AttributeDefinition[] | undefined = attributes;
  for (const name of attributeNames(attributePath)) {
    // A complex attribute published without sub-attributes: nothing more to tell.
    if (level === undefined || level.length === 0) return true;
    const attribute = byName(level, name);
    if (!attribute) return false;
    level = attribute.subAttributes;
  }
  return true;
}

/** The schema extensions of a resource that the server lists with required: true. */
export function requiredExtensions(model: ServerSchema, resource: ResourceName): string[] {
  return model.resourceTypes.get(resource)?.extensions.filter((e) => e.required).map((e) => e.schema) ?? [];
}

/** The attributes a schema marks required: true (top level) that a client writes (not readOnly), with their definitions. */
export function requiredAttributes(model: ServerSchema, schema: string): AttributeDefinition[] {
  return (model.schemas.get(schema.toLowerCase()) ?? []).filter((a) => a.required === true && a.mutability !== 'readOnly');
}

export const CORE_SCHEMA = CORE;
