// PATCH (RFC 7644 §3.5.2), written by hand so that it reads as the oracle it is, and so that it
// handles what Entra sends: capitalised ops, capitalised sub-attribute names, filtered paths that
// create their element, "True"/"False", a bare-string manager, and member removal by value list.
import { containerOf, findAttribute, findExtension, resolveAttributePath, type ResolvedPath } from './attribute-paths.ts';
import { readAttributeValue, readSingleValue } from './attribute-values.ts';
import { badRequest, ScimError } from './errors.ts';
import { NO_FAULTS, type Faults } from './faults.ts';
import { compileFilter, elementScope, parseFilter, type Filter, type Predicate } from './filter.ts';
import { clone, deepEqual, isEmpty, isObject, type JsonObject } from './json.ts';
import { bodyParameters } from './list-query.ts';
import { requireSchemas } from './resource-input.ts';
import type { ResourceType } from './resource-types.ts';
import type { AttributeDefinition, SchemaDefinition } from './schemas.ts';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const OP_NAMES = ['add', 'replace', 'remove'] as const;
export type PatchOpName = (typeof OP_NAMES)[number];

export interface PatchOperation {
  op: PatchOpName;
  path: string | undefined;
  value: unknown;
  hasValue: boolean;
}

/**
 * Reads a PatchOp message. `op` is matched case-insensitively (Entra sends "Replace"). An unknown
 * op is 400 invalidSyntax: RFC 7644 §3.12 gives invalidSyntax for a body that does not conform to
 * its message schema, and the PatchOp schema (§3.5.2) allows only add, remove and replace;
 * invalidValue is about attribute values.
 */
export function readPatchRequest(body: unknown, faults: Faults = NO_FAULTS): PatchOperation[] {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The PATCH body must be a JSON object');
  if (!faults.has('patch-schemas-not-required')) requireSchemas(body, PATCH_OP_SCHEMA);
  const operations = bodyParameters(body)('Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    if (faults.has('patch-empty-body-accepted')) return [];
    throw badRequest('invalidSyntax', '"Operations" must be a non-empty array');
  }
  // Fault `patch-unknown-op-ignored`: operations with an op other than add/remove/replace are dropped.
  const known = (raw: unknown) => {
    const op = isObject(raw) ? bodyParameters(raw)('op') : undefined;
    return typeof op === 'string' && OP_NAMES.includes(op.toLowerCase() as PatchOpName);
  };
  return operations.filter((raw) => known(raw) || !faults.has('patch-unknown-op-ignored')).map((raw, index) => {
    if (!isObject(raw)) throw badRequest('invalidSyntax', `Operations[${index}] must be an object`);
    const get = bodyParameters(raw);
    const opText = get('op');
    const op = typeof opText === 'string' ? (faults.has('patch-op-case-sensitive') ? opText : opText.toLowerCase()) : undefined;
    if (!OP_NAMES.includes(op as PatchOpName)) {
      throw badRequest('invalidSyntax', `Operations[${index}].op must be "add", "replace" or "remove", not ${JSON.stringify(opText)}`);
    }
    const path = get('path');
    if (path !== undefined && path !== null && typeof path !== 'string') {
      throw badRequest('invalidPath', `Operations[${index}].path must be a string`);
    }
    return {
      op: op as PatchOpName,
      path: typeof path === 'string' && path.trim() !== '' ? path.trim() : undefined,
      value: get('value'),
      hasValue: Object.keys(raw).some((k) => k.toLowerCase() === 'value'),
    };
  });
}

/** Applies the operations in order to a copy of `resource`; any failure leaves the original untouched. */
export function applyPatch(type: ResourceType, resource: JsonObject, operations: PatchOperation[], faults: Faults = NO_FAULTS): JsonObject {
  const working = clone(resource);
  for (const operation of operations) applyOperation(type, working, operation, faults);
  tidy(type, working);
  return working;
}

/** Where an operation lands: one attribute, optionally narrowed by a value filter and/or to one sub-attribute. */
interface AttributeTarget {
  kind: 'attribute';
  path: ResolvedPath;
  attribute: AttributeDefinition;
  subAttribute: AttributeDefinition | undefined;
  filter: { ast: Filter; matches: Predicate } | undefined;
}
interface ExtensionTarget {
  kind: 'extension';
  extension: SchemaDefinition;
}
type Target = AttributeTarget | ExtensionTarget;

const invalidPath = (path: string, why: string) => badRequest('invalidPath', `Invalid path ${JSON.stringify(path)}: ${why}`);

/** PATH = attrPath / valuePath [subAttr] (RFC 7644 §3.5.2), names in any case, optionally URN-qualified. */
function parseTarget(type: ResourceType, path: string, faults: Faults): Target {
  if (faults.has('patch-urn-path-unsupported') && path.toLowerCase().startsWith('urn:')) throw invalidPath(path, 'schema URN paths are not supported');
  // Fault `patch-attribute-names-case-sensitive`: a name must be spelled exactly as the schema spells it.
  const spelled = (given: string | undefined, defined: string | undefined) => {
    if (faults.has('patch-attribute-names-case-sensitive') && given !== undefined && defined !== undefined && given !== defined) {
      throw invalidPath(path, `no attribute "${given}"`);
    }
  };
  const valuePath = /^([^[\]]+)\[(.*)\](?:\.([^[\].]+))?$/s.exec(path);
  if (!valuePath) {
    if (path.includes('[') || path.includes(']')) throw invalidPath(path, 'unbalanced value filter brackets');
    const extension = findExtension(type, path);
    if (extension) return { kind: 'extension', extension };
    const resolved = resolveAttributePath(type, path);
    if (!resolved) throw invalidPath(path, 'no such attribute');
    const [givenName, givenSub] = path.slice(path.lastIndexOf(':') + 1).split('.');
    spelled(givenName, resolved.attribute.name);
    spelled(givenSub, resolved.subAttribute?.name);
    return { kind: 'attribute', path: resolved, attribute: resolved.attribute, subAttribute: resolved.subAttribute, filter: undefined };
  }
  const [, attributePart = '', filterText = '', subName] = valuePath;
  const resolved = resolveAttributePath(type, attributePart.trim());
  if (!resolved || resolved.subAttribute) throw invalidPath(path, `"${attributePart}" is not an attribute`);
  const { attribute } = resolved;
  if (attribute.type !== 'complex' || !attribute.multiValued) throw invalidPath(path, `"${attribute.name}" is not a multi-valued complex attribute`);
  if (attribute.name === 'members' && faults.has('group-member-filter-unsupported')) throw invalidPath(path, 'value filters on members are not supported');
  spelled(attributePart.trim().slice(attributePart.trim().lastIndexOf(':') + 1), attribute.name);
  const ast = parseFilter(filterText, 'invalidPath');
  const matches = compileFilter(ast, elementScope(attribute), 'invalidPath');
  const subAttribute = subName === undefined ? undefined : findAttribute(attribute.subAttributes, subName);
  if (subName !== undefined && !subAttribute) throw invalidPath(path, `"${attribute.name}" has no sub-attribute "${subName}"`);
  spelled(subName, subAttribute?.name);
  return { kind: 'attribute', path: resolved, attribute, subAttribute, filter: { ast, matches } };
}

/** RFC 7644 §3.5.2: an operation must respect mutability; readOnly is never the client's, immutable cannot change. */
function checkMutability(target: AttributeTarget, op: PatchOpName, path: string): void {
  const readOnly = target.attribute.mutability === 'readOnly' || target.subAttribute?.mutability === 'readOnly';
  const immutable = target.subAttribute?.mutability === 'immutable' && op !== 'add';
  if (readOnly || immutable) {
    throw badRequest('mutability', `"${path}" is ${readOnly ? 'readOnly' : 'immutable'} and cannot be modified with "${op}"`);
  }
}

function applyOperation(type: ResourceType, resource: JsonObject, operation: PatchOperation, faults: Faults): void {
  const { op, path, value } = operation;
  if (path?.includes('[') && faults.has('patch-filter-path-ignored')) return;
  // Faults: a path naming no attribute of the schema is ignored (answered with success), or stored as sent.
  if (path !== undefined && (faults.has('patch-undefined-path-ignored') || faults.has('patch-undefined-path-stored')) && namesNoAttribute(type, path)) {
    if (faults.has('patch-undefined-path-stored') && op !== 'remove') resource[path.slice(path.lastIndexOf(':') + 1)] = clone(value);
    return;
  }
  if (op === 'remove') {
    if (path === undefined) throw badRequest('noTarget', 'A "remove" operation needs a "path" (RFC 7644 §3.5.2.2)');
    const target = parseTarget(type, path, faults);
    if (target.kind === 'extension') delete resource[target.extension.id];
    else {
      checkMutability(target, op, path);
      remove(resource, target, operation.hasValue ? value : undefined, faults);
    }
    return;
  }
  if (!operation.hasValue) throw badRequest('invalidValue', `An "${op}" operation needs a "value" (RFC 7644 §3.5.2.1)`);
  if (path === undefined) return applyObject(type, resource, op, value, undefined, faults);
  const target = parseTarget(type, path, faults);
  if (target.kind === 'extension') return applyObject(type, resource, op, value, target.extension, faults);
  checkMutability(target, op, path);
  // Faults of servers that hold some attributes immutable or treat "add" as multi-valued only.
  if (target.attribute.name === 'userName' && faults.has('patch-username-ignored')) return;
  if (type.name === 'Group' && target.attribute.name === 'displayName' && faults.has('group-rename-ignored')) return;
  if (op === 'add' && !target.attribute.multiValued && faults.has('patch-add-singular-rejected')) {
    throw badRequest('invalidValue', `"add" applies to multi-valued attributes; use "replace" for "${target.attribute.name}"`);
  }
  write(resource, target, op, value, faults);
}

/** Fault switches: a plain or URN-qualified path that is neither an attribute of the resource type nor an extension. */
function namesNoAttribute(type: ResourceType, path: string): boolean {
  return !/[[\]]/.test(path) && !findExtension(type, path) && !resolveAttributePath(type, path);
}

/**
 * A pathless add/replace (or one whose path is an extension URN): each key of the object is a
 * path of its own: a plain or dotted name (`name.givenName`), a URN-qualified one, or an extension
 * object. Unknown and readOnly keys are ignored, as on POST (Okta sends `id` along with a rename).
 */
function applyObject(type: ResourceType, resource: JsonObject, op: PatchOpName, value: unknown, extension: SchemaDefinition | undefined, faults: Faults): void {
  if (!isObject(value)) throw badRequest('invalidValue', `"${op}" without an attribute path takes a JSON object value`);
  // Fault: operations must name a path, as servers that implement only the path forms of RFC 7644 §3.5.2 do.
  if (extension === undefined && faults.has('patch-pathless-rejected')) throw badRequest('noTarget', `"${op}" needs a "path"`);
  // Fault: the readOnly id in the value is refused, as strict servers do with the group Okta restates.
  if (extension === undefined && 'id' in value && faults.has('patch-pathless-id-rejected')) throw badRequest('mutability', '"id" is readOnly');
  for (const [key, item] of Object.entries(value)) {
    if (extension === undefined) {
      const nested = findExtension(type, key);
      if (nested) {
        applyObject(type, resource, op, item, nested, faults);
        continue;
      }
    }
    // Fault: only plain attribute names as keys, as servers that read the value as a partial resource do.
    if (!extension && /[.:]/.test(key) && faults.has('pathless-dotted-keys-unsupported')) throw badRequest('invalidPath', `unknown attribute "${key}"`);
    const resolved = extension ? extensionPath(extension, key) : resolveAttributePath(type, key);
    if (!resolved) continue;
    if (resolved.attribute.mutability === 'readOnly' || resolved.subAttribute?.mutability === 'readOnly') continue;
    write(resource, { kind: 'attribute', path: resolved, attribute: resolved.attribute, subAttribute: resolved.subAttribute, filter: undefined }, op, item, faults);
  }
}

function extensionPath(extension: SchemaDefinition, key: string): ResolvedPath | undefined {
  const [name = '', subName] = key.split('.');
  const attribute = findAttribute(extension.attributes, name);
  if (!attribute) return undefined;
  const subAttribute = subName === undefined ? undefined : findAttribute(attribute.subAttributes, subName);
  if (subName !== undefined && !subAttribute) return undefined;
  return { schemaId: extension.id, inExtension: true, attribute, ...(subAttribute ? { subAttribute } : {}) };
}

const elementsOf = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** add / replace on one target. */
function write(resource: JsonObject, target: AttributeTarget, op: PatchOpName, value: unknown, faults: Faults): void {
  const { attribute, subAttribute, filter } = target;
  const container = containerOf(resource, target.path, true)!;
  const key = attribute.name;
  const label = subAttribute ? `${key}.${subAttribute.name}` : key;

  if (filter) {
    const list = elementsOf(container[key]);
    // Faults: every filtered Add makes a new element, or a filtered Replace appends one.
    const appends = (op === 'add' && faults.has('patch-filter-add-no-merge')) || (op === 'replace' && faults.has('patch-filter-replace-appends'));
    let matched = appends ? [] : list.filter(filter.matches);
    if (matched.length === 0) {
      // RFC 7644 §3.5.2.3: a replace whose value filter matches nothing is noTarget, but a target
      // attribute that has no value at all is treated as an add, and an add creates the element.
      if (op === 'replace' && list.length > 0 && !appends) throw badRequest('noTarget', `No value of "${key}" matches the filter of the path`);
      if (op === 'add' && faults.has('patch-filter-add-no-create')) throw badRequest('noTarget', `No value of "${key}" matches the filter of the path`);
      const created = elementFromFilter(filter.ast, attribute);
      if (!created) throw badRequest('noTarget', `No value of "${key}" matches, and the filter does not describe one to create`);
      list.push(created);
      matched = [created];
    }
    for (const element of matched) {
      if (subAttribute) setSubAttribute(element, subAttribute, value, label);
      else {
        const read = readSingleValue(attribute, value, key);
        if (op === 'replace') for (const k of Object.keys(element)) delete element[k];
        Object.assign(element, read);
      }
    }
    container[key] = list;
    keepOnePrimary(list, matched);
    return;
  }

  if (subAttribute) {
    if (attribute.multiValued) {
      // No filter: the sub-attribute of every value (an add on an empty attribute creates one value).
      const list = elementsOf(container[key]);
      if (list.length === 0) list.push({});
      for (const element of list) setSubAttribute(element, subAttribute, value, label);
      container[key] = list;
      keepOnePrimary(list, list.slice(-1));
    } else {
      const clearsSiblings = op === 'replace' && faults.has('patch-sub-attribute-replace-clears-siblings');
      const object = isObject(container[key]) && !clearsSiblings ? (container[key] as JsonObject) : {};
      setSubAttribute(object, subAttribute, value, label);
      container[key] = object;
    }
    return;
  }

  if (attribute.multiValued) {
    const incoming = elementsOrValues(readAttributeValue(attribute, Array.isArray(value) ? value : [value], key));
    const existing = Array.isArray(container[key]) ? (container[key] as unknown[]) : [];
    if (key === 'members' && op === 'add' && faults.has('group-duplicate-member-add-fails')) {
      const present = incoming.filter((m) => isObject(m) && existing.some((e) => isObject(e) && e['value'] === m['value']));
      if (present.length > 0) throw new ScimError(409, 'uniqueness', `Already a member: ${present.map((m) => JSON.stringify((m as JsonObject)['value'])).join(', ')}`);
    }
    const replaces = op === 'replace' || (key === 'members' && faults.has('group-add-replaces-members'));
    const list = replaces ? incoming : appendNew(attribute, existing, incoming);
    container[key] = list;
    keepOnePrimary(list, incoming);
    return;
  }

  // Faults of servers that are strict about, or careless with, Entra's "True"/"False" and re-adds.
  if (attribute.type === 'boolean' && typeof value === 'string') {
    if (faults.has('active-string-rejected')) throw badRequest('invalidValue', `"${key}" must be a JSON boolean, not the string ${JSON.stringify(value)}`);
    if (faults.has('active-string-stored')) {
      container[key] = value;
      return;
    }
  }
  if (key === 'active' && faults.has('deactivate-ignored')) return;
  if (op === 'add' && container[key] !== undefined && faults.has('patch-add-keeps-existing-value')) return;

  const read = readAttributeValue(attribute, value, key);
  if (read === undefined) delete container[key];
  // RFC 7644 §3.5.2.1/§3.5.2.3: for a complex attribute, sub-attributes not given are left unchanged.
  else if (attribute.type === 'complex' && isObject(container[key])) container[key] = { ...(container[key] as JsonObject), ...(read as JsonObject) };
  else container[key] = read;
}

const elementsOrValues = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function setSubAttribute(element: JsonObject, subAttribute: AttributeDefinition, value: unknown, label: string): void {
  const read = readAttributeValue(subAttribute, value, label);
  if (read === undefined) delete element[subAttribute.name];
  else element[subAttribute.name] = read;
}

/**
 * An add never duplicates a value: elements are the same when deep-equal or, for references like
 * group members whose `value` is immutable, when their `value` is the same (adding a member twice is harmless).
 */
function appendNew(attribute: AttributeDefinition, existing: unknown[], incoming: unknown[]): unknown[] {
  const identifiedByValue = findAttribute(attribute.subAttributes, 'value')?.mutability === 'immutable';
  const same = (a: unknown, b: unknown) =>
    deepEqual(a, b) || (identifiedByValue && isObject(a) && isObject(b) && a['value'] !== undefined && a['value'] === b['value']);
  const list = [...existing];
  for (const item of incoming) if (!list.some((present) => same(present, item))) list.push(item);
  return list;
}

/** RFC 7643 §2.4: "primary" true appears at most once; the value just set primary wins. */
function keepOnePrimary(list: unknown[], justWritten: unknown[]): void {
  const winner = justWritten.find((e) => isObject(e) && e['primary'] === true);
  if (!winner) return;
  for (const element of list) if (isObject(element) && element !== winner && element['primary'] === true) element['primary'] = false;
}

/**
 * The element an add on `emails[type eq "work"].value` creates when no work email exists:
 * the equality tests of the filter become its sub-attributes ({"type": "work"}).
 */
function elementFromFilter(ast: Filter, attribute: AttributeDefinition): JsonObject | undefined {
  if (ast.op === 'eq') {
    const sub = findAttribute(attribute.subAttributes, ast.attrPath);
    if (!sub || ast.compValue === null) return undefined;
    return { [sub.name]: readSingleValue(sub, ast.compValue, `${attribute.name}.${sub.name}`) };
  }
  if (ast.op === 'and') {
    const parts = ast.filters.map((f) => elementFromFilter(f, attribute));
    return parts.every((p) => p !== undefined) ? Object.assign({}, ...parts) : undefined;
  }
  return undefined;
}

/** remove on one target (RFC 7644 §3.5.2.2). Removing what is not there is not an error. */
function remove(resource: JsonObject, target: AttributeTarget, value: unknown, faults: Faults): void {
  const { attribute, subAttribute, filter } = target;
  const container = containerOf(resource, target.path, false);
  if (!container) return;
  const key = attribute.name;

  if (filter) {
    const list = elementsOf(container[key]);
    if (subAttribute) for (const element of list.filter(filter.matches)) delete element[subAttribute.name];
    // Fault `patch-remove-filter-removes-all`: the filter is ignored and every value goes.
    container[key] = subAttribute ? list : faults.has('patch-remove-filter-removes-all') ? [] : list.filter((element) => !filter.matches(element));
  } else if (subAttribute) {
    const holders = attribute.multiValued ? elementsOf(container[key]) : isObject(container[key]) ? [container[key] as JsonObject] : [];
    for (const holder of holders) delete holder[subAttribute.name];
  } else if (attribute.multiValued && value !== undefined && value !== null && !faults.has('group-remove-by-value-removes-all')) {
    // Entra's default member removal: {"op":"Remove","path":"members","value":[{"$ref":null,"value":"u2"}]}
    // removes exactly the listed values: an element goes when it carries every sub-attribute given.
    if (faults.has('group-remove-by-value-ignored')) return;
    const doomed = elementsOrValues(readAttributeValue(attribute, Array.isArray(value) ? value : [value], key));
    const carries = (element: unknown, wanted: unknown) =>
      isObject(wanted) && isObject(element) ? Object.entries(wanted).every(([k, v]) => deepEqual(element[k], v)) : deepEqual(element, wanted);
    container[key] = elementsOrValues(container[key]).filter((element) => !doomed.some((d) => carries(element, d)));
  } else {
    delete container[key];
  }
}

/** Drops what became unassigned (RFC 7643 §2.5): empty arrays, empty elements, empty complex values and extensions. */
function tidy(type: ResourceType, resource: JsonObject): void {
  const tidyContainer = (container: JsonObject) => {
    for (const [key, value] of Object.entries(container)) {
      if (Array.isArray(value)) container[key] = value.filter((v) => !isEmpty(v));
      if (isEmpty(container[key])) delete container[key];
    }
  };
  tidyContainer(resource);
  for (const extension of type.extensions) {
    const data = resource[extension.id];
    if (isObject(data)) tidyContainer(data);
    if (isEmpty(resource[extension.id])) delete resource[extension.id];
  }
}
