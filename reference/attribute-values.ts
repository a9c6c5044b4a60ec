// Reading client-sent values into their stored form, by attribute definition: type checks
// (400 invalidValue, RFC 7644 §3.12) plus the two Entra spellings RFC types allow us to read
// unambiguously: "True"/"False" for booleans and a bare string for a complex `manager`.
import { findAttribute } from './attribute-paths.ts';
import { badRequest } from './errors.ts';
import { isObject, type JsonObject } from './json.ts';
import type { AttributeDefinition } from './schemas.ts';

/** The stored form of `value`, or undefined when it leaves the attribute unassigned (RFC 7643 §2.5). */
export function readAttributeValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!definition.multiValued) return readSingleValue(definition, value, path);
  if (!Array.isArray(value)) throw badRequest('invalidValue', `"${path}" is multi-valued: its value must be an array`);
  const items = value.map((item) => readSingleValue(definition, item, path)).filter((item) => item !== undefined);
  return items.length > 0 ? items : undefined;
}

/** One value of `definition` (one element when the attribute is multi-valued). */
export function readSingleValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'complex':
      return readComplex(definition, value, path);
    case 'boolean':
      return readBoolean(value, path);
    case 'integer':
    case 'decimal':
      if (typeof value !== 'number' || (definition.type === 'integer' && !Number.isInteger(value))) {
        throw badRequest('invalidValue', `"${path}" must be ${definition.type === 'integer' ? 'an integer' : 'a number'}`);
      }
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw badRequest('invalidValue', `"${path}" must be an xsd:dateTime string`);
      }
      return value;
    default:
      if (typeof value !== 'string') throw badRequest('invalidValue', `"${path}" must be a string`);
      return value;
  }
}

/** Entra's default mapping sends `active` as "True"/"False"; RFC 7643 §2.3.2 booleans are JSON true/false. */
function readBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw badRequest('invalidValue', `"${path}" must be a boolean`);
}

function readComplex(definition: AttributeDefinition, value: unknown, path: string): JsonObject | undefined {
  const hasValueSubAttribute = findAttribute(definition.subAttributes, 'value') !== undefined;
  // Entra sends the enterprise manager as a bare id ("271"); RFC 7643 §4.3 makes it {"value": "271"}.
  if (typeof value === 'string' && !definition.multiValued && hasValueSubAttribute) {
    return value === '' ? undefined : { value };
  }
  if (!isObject(value)) throw badRequest('invalidValue', `"${path}" must be a complex value (a JSON object)`);
  const read: JsonObject = {};
  for (const [key, subValue] of Object.entries(value)) {
    const sub = findAttribute(definition.subAttributes, key);
    // Unknown and readOnly sub-attributes are not the client's to set (RFC 7643 §2.2): ignored.
    if (!sub || sub.mutability === 'readOnly') continue;
    const stored = readAttributeValue(sub, subValue, `${path}.${sub.name}`);
    if (stored !== undefined) read[sub.name] = stored;
  }
  if (Object.keys(read).length === 0) return undefined;
  // A singular reference like manager with an empty id is "no manager" (how Entra clears it).
  if (!definition.multiValued && Object.keys(read).length === 1 && read['value'] === '') return undefined;
  return read;
}
