// The `attributes` / `excludedAttributes` parameters (RFC 7644 §3.4.2.5, §3.9): choose which
// attributes an answer carries. `returned: "always"` attributes (id, schemas) always stay;
// `returned: "never"` ones (password) are already absent from the rendered view.
import { coreAttributes, findAttribute, findExtension, resolveAttributePath } from './attribute-paths.ts';
import { isObject, type JsonObject } from './json.ts';
import type { ResourceType } from './resource-types.ts';

export interface Projection {
  attributes: string[];
  excludedAttributes: string[];
}

export const NO_PROJECTION: Projection = { attributes: [], excludedAttributes: [] };

const splitNames = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
};

/** From query parameters (comma-separated) or a SearchRequest body (arrays, RFC 7644 §3.4.3). */
export function readProjection(attributes: unknown, excludedAttributes: unknown): Projection {
  return { attributes: splitNames(attributes), excludedAttributes: splitNames(excludedAttributes) };
}

/** One requested name: a whole extension, a whole attribute, or some of its sub-attributes. */
interface Selector {
  container: string | undefined; // extension URN, or undefined for core
  attribute: string | undefined; // undefined = the whole extension
  subAttribute: string | undefined;
}

function selectors(type: ResourceType, names: string[]): Selector[] {
  const out: Selector[] = [];
  for (const name of names) {
    const extension = findExtension(type, name);
    if (extension) {
      out.push({ container: extension.id, attribute: undefined, subAttribute: undefined });
      continue;
    }
    const path = resolveAttributePath(type, name);
    // Names the schema does not know select nothing; RFC 7644 does not make them an error.
    if (!path) continue;
    out.push({ container: path.inExtension ? path.schemaId : undefined, attribute: path.attribute.name, subAttribute: path.subAttribute?.name });
  }
  return out;
}

/** Keeps (keep=true) or drops (keep=false) the named sub-attributes of a complex value or of each element. */
function filterSubAttributes(value: unknown, names: Set<string>, keep: boolean): unknown {
  const pick = (element: unknown) => {
    if (!isObject(element)) return element;
    const kept = Object.fromEntries(Object.entries(element).filter(([k]) => names.has(k) === keep));
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  if (Array.isArray(value)) {
    const items = value.map(pick).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return pick(value);
}

/** Applies the selectors to one container (the resource, or one extension object). */
function selectIn(container: JsonObject, chosen: Selector[], keep: boolean, isAlways: (key: string) => boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(container)) {
    const hits = chosen.filter((s) => s.attribute === key);
    const whole = hits.some((s) => s.subAttribute === undefined);
    const subs = new Set(hits.map((s) => s.subAttribute).filter((s): s is string => s !== undefined));
    let result: unknown;
    if (isAlways(key)) result = value;
    else if (whole) result = keep ? value : undefined;
    else if (subs.size > 0) result = filterSubAttributes(value, subs, keep);
    else result = keep ? undefined : value;
    if (result !== undefined) out[key] = result;
  }
  return out;
}

export function applyProjection(type: ResourceType, view: JsonObject, projection: Projection): JsonObject {
  let result = view;
  if (projection.attributes.length > 0) result = project(type, result, selectors(type, projection.attributes), true);
  if (projection.excludedAttributes.length > 0) result = project(type, result, selectors(type, projection.excludedAttributes), false);
  return result;
}

function project(type: ResourceType, view: JsonObject, chosen: Selector[], keep: boolean): JsonObject {
  const always = (key: string) => findAttribute(coreAttributes(type), key)?.returned === 'always';
  const out = selectIn(view, chosen.filter((s) => s.container === undefined), keep, (key) => always(key) || findExtension(type, key) !== undefined);
  for (const extension of type.extensions) {
    const data = view[extension.id];
    if (!isObject(data)) continue;
    const forExtension = chosen.filter((s) => s.container === extension.id);
    const wholeExtension = forExtension.some((s) => s.attribute === undefined);
    const selected = wholeExtension ? (keep ? data : {}) : selectIn(data, forExtension, keep, () => false);
    if (Object.keys(selected).length > 0) out[extension.id] = selected;
    else delete out[extension.id];
  }
  return out;
}
