// Resolving attribute names and paths (RFC 7644 §3.10 "attribute notation") against the schema data:
// names are case-insensitive (RFC 7643 §2.1), may be URN-qualified, and may name one sub-attribute.
import { isObject, type JsonObject } from './json.ts';
import type { ResourceType } from './resource-types.ts';
import { COMMON_ATTRIBUTES, type AttributeDefinition, type SchemaDefinition } from './schemas.ts';

export interface ResolvedPath {
  /** The schema the attribute belongs to; common attributes (id, meta ...) count as core. */
  schemaId: string;
  /** True when the attribute lives in an extension, i.e. under the extension's URN key. */
  inExtension: boolean;
  attribute: AttributeDefinition;
  subAttribute?: AttributeDefinition;
}

export function findAttribute(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return list?.find((a) => a.name.toLowerCase() === wanted);
}

/** The extension whose URN is exactly `urn` (any case). */
export function findExtension(type: ResourceType, urn: string): SchemaDefinition | undefined {
  const wanted = urn.toLowerCase();
  return type.extensions.find((s) => s.id.toLowerCase() === wanted);
}

/** Top-level attributes of the core schema plus the common ones. */
export function coreAttributes(type: ResourceType): AttributeDefinition[] {
  return [...COMMON_ATTRIBUTES, ...type.schema.attributes];
}

function attributesOf(type: ResourceType, schema: SchemaDefinition): AttributeDefinition[] {
  return schema === type.schema ? coreAttributes(type) : schema.attributes;
}

/**
 * `userName`, `name.givenName`, `urn:...:core:2.0:User:userName`,
 * `urn:...:enterprise:2.0:User:manager.value` → the attribute (and sub-attribute) they name.
 * An unqualified name that only an extension defines resolves to it (legacy Entra filters say `manager`).
 */
export function resolveAttributePath(type: ResourceType, path: string): ResolvedPath | undefined {
  const lower = path.toLowerCase();
  const qualifying = [type.schema, ...type.extensions].find((s) => lower.startsWith(`${s.id.toLowerCase()}:`));
  const rest = qualifying ? path.slice(qualifying.id.length + 1) : path;
  const [name, subName, ...tooDeep] = rest.split('.');
  if (name === undefined || name === '' || tooDeep.length > 0) return undefined;

  const candidates = qualifying ? [qualifying] : [type.schema, ...type.extensions];
  for (const schema of candidates) {
    const attribute = findAttribute(attributesOf(type, schema), name);
    if (!attribute) continue;
    const resolved: ResolvedPath = { schemaId: schema.id, inExtension: schema !== type.schema, attribute };
    if (subName === undefined) return resolved;
    const subAttribute = findAttribute(attribute.subAttributes, subName);
    return subAttribute ? { ...resolved, subAttribute } : undefined;
  }
  return undefined;
}

/** The object that holds the attribute: the resource itself, or its extension object (created on demand). */
export function containerOf(resource: JsonObject, path: ResolvedPath, create: boolean): JsonObject | undefined {
  if (!path.inExtension) return resource;
  const existing = resource[path.schemaId];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const made: JsonObject = {};
  resource[path.schemaId] = made;
  return made;
}
