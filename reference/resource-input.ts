// Reading a POST or PUT body into the stored form of a resource: canonical attribute names,
// typed values, extension data under its URN; server-assigned and unknown attributes dropped.
import { containerOf, findAttribute, findExtension, resolveAttributePath } from './attribute-paths.ts';
import { readAttributeValue } from './attribute-values.ts';
import { badRequest } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import type { ResourceType } from './resource-types.ts';
import type { SchemaDefinition } from './schemas.ts';

/** RFC 7643 §3: `schemas` is REQUIRED and names the resource's core schema; other URIs (Entra's ADSCIM group URI) are tolerated. */
export function requireSchemas(body: JsonObject, schemaId: string): void {
  const schemas = body['schemas'];
  const listed = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === schemaId.toLowerCase());
  if (!listed) throw badRequest('invalidSyntax', `"schemas" must be an array that contains "${schemaId}"`);
}

export function readResourceBody(type: ResourceType, body: unknown, keepCustomExtensions = true): JsonObject {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  requireSchemas(body, type.schema.id);
  const stored: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const extension = findExtension(type, key);
    if (extension) {
      const data = readExtensionObject(extension, value);
      if (data) stored[extension.id] = { ...(stored[extension.id] as JsonObject | undefined), ...data };
      continue;
    }
    if (keepCustomExtensions && isCustomExtension(body, key, value)) {
      stored[key] = value as JsonObject;
      continue;
    }
    const path = resolveAttributePath(type, key);
    const qualified = key.toLowerCase().startsWith('urn:');
    // Unknown top-level attributes are ignored, and so are extension attributes not written under their URN.
    if (!path || path.subAttribute || (path.inExtension && !qualified)) continue;
    // readOnly attributes (id, meta, groups, schemas) are the server's: ignored on input (RFC 7643 §2.2).
    if (path.attribute.mutability === 'readOnly') continue;
    const read = readAttributeValue(path.attribute, value, path.attribute.name);
    if (read !== undefined) containerOf(stored, path, true)![path.attribute.name] = read;
  }
  return stored;
}

/**
 * A tenant's own extension (an Entra custom attribute, "urn:...:CustomExtension:2.0:User"): an
 * object of simple values under a URN that `schemas` lists. This server has no schema for it and
 * keeps it as sent, as a server configured with that extension would.
 */
function isCustomExtension(body: JsonObject, key: string, value: unknown): boolean {
  const listed = Array.isArray(body['schemas']) && body['schemas'].some((s) => typeof s === 'string' && s.toLowerCase() === key.toLowerCase());
  return key.toLowerCase().startsWith('urn:') && listed && isObject(value) && Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

/** The custom extensions a stored resource holds (see isCustomExtension). */
export function customExtensionsOf(type: ResourceType, stored: JsonObject): string[] {
  return Object.keys(stored).filter((key) => key.toLowerCase().startsWith('urn:') && !findExtension(type, key) && isObject(stored[key]));
}

/** `{"urn:...:enterprise:2.0:User": {...}}`: the extension's attributes, read like top-level ones. */
export function readExtensionObject(extension: SchemaDefinition, value: unknown): JsonObject | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) throw badRequest('invalidValue', `"${extension.id}" must be a JSON object`);
  const read: JsonObject = {};
  for (const [key, attributeValue] of Object.entries(value)) {
    const attribute = findAttribute(extension.attributes, key);
    if (!attribute || attribute.mutability === 'readOnly') continue;
    const stored = readAttributeValue(attribute, attributeValue, `${extension.id}:${attribute.name}`);
    if (stored !== undefined) read[attribute.name] = stored;
  }
  return Object.keys(read).length > 0 ? read : undefined;
}
