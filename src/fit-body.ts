// Create bodies fitted to what the server publishes (src/discovery.ts). Every profile adds the
// attributes the server marks required that the client's body lacks, with a plausible value (an
// admin would map them). The rfc profile also leaves out what the server does not define: RFC 7644
// §3.3 lets a server ignore such attributes, so a strict client has no reason to send them. Entra
// and Okta send what their mapping sends, defined or not: that is the request under test.
import { CORE_SCHEMA, defines, requiredAttributes, requiredExtensions, splitSchemaPath, type AttributeDefinition, type ResourceName, type ServerSchema } from './discovery.ts';

type Body = Record<string, unknown>;

/** What a plausible value is made of: the names of the user or group the body is for. */
export interface ValueHints {
  name: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value of the attribute's type, named after the resource; complex values fill their required sub-attributes. */
function plausibleValue(attribute: AttributeDefinition, hints: ValueHints): unknown {
  const lower = attribute.name.toLowerCase();
  const single = (): unknown => {
    if (lower === 'emails') return { value: hints.email ?? `${hints.name}@example.com`, type: 'work', primary: true };
    if (lower === 'name') return { givenName: hints.givenName ?? 'Given', familyName: hints.familyName ?? hints.name, formatted: `${hints.givenName ?? 'Given'} ${hints.familyName ?? hints.name}` };
    if (lower === 'displayname') return hints.givenName && hints.familyName ? `${hints.givenName} ${hints.familyName}` : hints.name;
    switch (attribute.type) {
      case 'boolean':
        return true;
      case 'integer':
      case 'decimal':
        return 1;
      case 'dateTime':
        return '2026-01-01T00:00:00Z';
      case 'complex':
        return Object.fromEntries((attribute.subAttributes ?? []).filter((s) => s.required || s.name === 'value').map((s) => [s.name, plausibleValue(s, hints)]));
      default:
        return lower.includes('mail') ? (hints.email ?? `${hints.name}@example.com`) : hints.name;
    }
  };
  return attribute.multiValued ? [single()] : single();
}

const hasKey = (body: Body, name: string) => Object.keys(body).some((k) => k.toLowerCase() === name.toLowerCase());

/** Adds the required attributes the body lacks (core, and those of required extensions). */
function addRequired(model: ServerSchema, resource: ResourceName, body: Body, hints: ValueHints): void {
  for (const attribute of requiredAttributes(model, CORE_SCHEMA[resource])) {
    if (!hasKey(body, attribute.name) && !['id', 'meta', 'schemas'].includes(attribute.name)) body[attribute.name] = plausibleValue(attribute, hints);
  }
  for (const extension of requiredExtensions(model, resource)) {
    const container = isObject(body[extension]) ? (body[extension] as Body) : {};
    for (const attribute of requiredAttributes(model, extension)) if (!hasKey(container, attribute.name)) container[attribute.name] = plausibleValue(attribute, hints);
    body[extension] = container;
    const schemas = Array.isArray(body.schemas) ? (body.schemas as string[]) : [];
    if (!schemas.includes(extension)) body.schemas = [...schemas, extension];
  }
}

/** Leaves out every attribute, sub-attribute and extension the server does not define. */
function dropUndefined(model: ServerSchema, resource: ResourceName, body: Body): void {
  for (const key of Object.keys(body)) {
    if (key === 'schemas') continue;
    const value = body[key];
    if (/^urn:/i.test(key) && isObject(value)) {
      if (!defines(model, resource, key)) {
        delete body[key];
        continue;
      }
      for (const inner of Object.keys(value)) if (!defines(model, resource, `${key}:${inner}`)) delete value[inner];
      continue;
    }
    if (!defines(model, resource, key)) {
      delete body[key];
      continue;
    }
    // Sub-attributes of complex values, single or multi-valued (name.formatted, emails[].display).
    const elements = Array.isArray(value) ? value : [value];
    for (const element of elements.filter(isObject)) for (const sub of Object.keys(element)) if (!defines(model, resource, `${key}.${sub}`)) delete element[sub];
  }
  // meta is readOnly (RFC 7643 §3.1): a strict client does not send it.
  delete body.meta;
  const schemas = Array.isArray(body.schemas) ? (body.schemas as string[]) : undefined;
  if (schemas) body.schemas = schemas.filter((s) => s.toLowerCase() === CORE_SCHEMA[resource].toLowerCase() || (s in body && defines(model, resource, s)));
}

/** The client's create body, fitted to the server: required attributes added; for a strict client, undefined ones left out. */
export function fitCreateBody(model: ServerSchema, resource: ResourceName, body: Body, hints: ValueHints, strict: boolean): Body {
  const out = structuredClone(body);
  if (strict) dropUndefined(model, resource, out);
  addRequired(model, resource, out, hints);
  return out;
}

/** `urn:...:User:department` -> 'department' in urn:...:User; for messages. */
export function describePath(path: string): string {
  const [schema, attribute] = splitSchemaPath(path);
  return schema ? `${attribute} of ${schema}` : path;
}
