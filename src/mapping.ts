// The tenant's attribute mapping (SCIM_MAPPING): which attributes the identity provider writes,
// which one it matches users by, and the custom extension attributes it sends. The suite sends
// only what is mapped, expects only that back, and says "not in the mapping" for checks of the rest.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from './schemas.ts';

export type MatchingAttribute = 'userName' | 'externalId' | 'emails[type eq "work"].value';
export type CustomValue = string | boolean | number;

export interface Mapping {
  /** The file it came from, for the reasons checks give. */
  file: string;
  matchingAttribute: MatchingAttribute;
  userAttributes: string[];
  customAttributes: Record<string, CustomValue>;
  groups?: boolean;
}

export class MappingError extends Error {}

/** Reads and validates a mapping file; a problem is one line naming the file, where, and what. */
export function readMapping(path: string): Mapping {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MappingError(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give the path of a mapping file such as examples/mapping.entra-default.json`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = validate('mapping', data);
  if (!result.valid) throw new MappingError(`${path}: ${result.errors[0]}${result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problem(s))` : ''}`);
  const raw = data as Omit<Mapping, 'file' | 'customAttributes'> & { customAttributes?: Record<string, CustomValue> };
  return { file: path, matchingAttribute: raw.matchingAttribute, userAttributes: raw.userAttributes, customAttributes: raw.customAttributes ?? {}, ...(raw.groups !== undefined && { groups: raw.groups }) };
}

/** Whether the mapping writes an attribute; with no mapping, everything the suite sends is mapped. */
export function isMapped(mapping: Mapping | undefined, attribute: string): boolean {
  return !mapping || mapping.userAttributes.some((a) => a.toLowerCase() === attribute.toLowerCase());
}

/** `urn:...:CustomExtension:2.0:User:costCenter` -> [`urn:...:CustomExtension:2.0:User`, `costCenter`]. */
export function splitCustomAttribute(qualified: string): [schema: string, attribute: string] {
  const at = qualified.lastIndexOf(':');
  return [qualified.slice(0, at), qualified.slice(at + 1)];
}

type Body = Record<string, unknown>;

function dropUnmapped(container: Body, keys: Record<string, string>, mapping: Mapping): void {
  for (const [key, attribute] of Object.entries(keys)) if (!isMapped(mapping, attribute)) delete container[key];
}

/**
 * A user body as the profile builds it, cut to what the mapping writes and extended with the
 * custom attributes. Attributes the mapping does not speak of (schemas, meta, a password) stay.
 */
export function applyMapping(body: Body, mapping: Mapping | undefined): Body {
  if (!mapping) return body;
  const out: Body = structuredClone(body);
  dropUnmapped(out, { externalId: 'externalId', active: 'active', displayName: 'displayName', emails: 'emails[type eq "work"].value', nickName: 'nickName' }, mapping);
  const name = out.name as Body | undefined;
  if (name) {
    dropUnmapped(name, { givenName: 'name.givenName', familyName: 'name.familyName', formatted: 'name.formatted' }, mapping);
    if (Object.keys(name).length === 0) delete out.name;
  }
  const schemas = new Set(Array.isArray(out.schemas) ? (out.schemas as string[]) : []);
  for (const key of Object.keys(out).filter((k) => k.toLowerCase().startsWith('urn:') && typeof out[k] === 'object' && out[k] !== null)) {
    const extension = out[key] as Body;
    for (const attribute of Object.keys(extension)) if (!isMapped(mapping, `${key}:${attribute}`)) delete extension[attribute];
    if (Object.keys(extension).length === 0) {
      delete out[key];
      schemas.delete(key);
    }
  }
  for (const [qualified, value] of Object.entries(mapping.customAttributes)) {
    const [schema, attribute] = splitCustomAttribute(qualified);
    out[schema] = { ...(out[schema] as Body | undefined), [attribute]: value };
    schemas.add(schema);
  }
  out.schemas = [...schemas];
  return out;
}
