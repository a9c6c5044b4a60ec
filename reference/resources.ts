// The resource service: what POST, GET, PUT, PATCH and DELETE do to Users and Groups, and the
// rules that hold across them (required attributes, uniqueness, one primary, member references).
import { randomUUID } from 'node:crypto';
import { resolveAttributePath } from './attribute-paths.ts';
import { badRequest, conflict, notFound, ScimError } from './errors.ts';
import type { Faults } from './faults.ts';
import { compileFilter, operatorsOf, parseFilter, resourceScope, type Filter, type FilterScope, type Predicate } from './filter.ts';
import { isObject, isUnassigned, type JsonObject } from './json.ts';
import { bodyParameters, listResponse, lowercaseResources, sortResources, type ListQuery } from './list-query.ts';
import { applyPatch, readPatchRequest } from './patch.ts';
import { applyProjection, type Projection } from './projection.ts';
import { customExtensionsOf, readResourceBody } from './resource-input.ts';
import { GROUP_TYPE, USER_TYPE, type ResourceType } from './resource-types.ts';
import type { AttributeDefinition } from './schemas.ts';
import type { ResourceStore, StoredResource } from './store.ts';

/** Fault `emails-required`: what counts as an email address. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Fault `location-wrong-base`: the address the server binds to behind a reverse proxy. */
const INTERNAL_BASE_URL = 'http://scim-backend.internal:8080/scim/v2';

export class ResourceService {
  private seedCounters = new Map<string, number>();
  /** Fault `deleted-still-listed`: what a stale search index still holds after a delete. */
  private tombstones: Array<{ type: string; resource: StoredResource }> = [];

  constructor(
    private readonly store: ResourceStore,
    private readonly now: () => string,
    private readonly faults: Faults,
    private readonly baseUrl: string,
  ) {}

  locationOf(type: ResourceType, id: string): string {
    const base = this.faults.has('location-wrong-base') ? INTERNAL_BASE_URL : this.baseUrl;
    return `${base}${type.endpoint}/${encodeURIComponent(id)}`;
  }

  exists(type: ResourceType, id: string): boolean {
    return this.store.get(type.name, id) !== undefined;
  }

  // ---- reading -------------------------------------------------------------------------------

  get(type: ResourceType, id: string): StoredResource {
    const found = this.store.get(type.name, id);
    if (found) return found;
    if (this.faults.has('unknown-id-500')) throw new ScimError(500, undefined, `Internal error looking up ${type.name} ${id}`);
    // Fault: a 400 keyword on a 404 (RFC 7644 Table 9 defines scimType values for 400 only).
    if (this.faults.has('not-found-scimtype-invalid-value')) throw new ScimError(404, 'invalidValue', `${type.name} ${JSON.stringify(id)} not found`);
    throw notFound(`${type.name} ${JSON.stringify(id)} not found`);
  }

  /**
   * The full representation of a stored resource as clients see it: `schemas` computed, `returned:
   * "never"` attributes (password) left out, meta.location added, group members and user groups
   * resolved to $ref/display from the current data.
   */
  render(type: ResourceType, stored: StoredResource, groupsByUser: Map<string, JsonObject[]> = this.groupsByUser()): JsonObject {
    const extensionsPresent = [...type.extensions.filter((e) => isObject(stored[e.id])).map((e) => e.id), ...customExtensionsOf(type, stored)];
    const schemas = [type.schema.id, ...(this.faults.has('extension-urn-not-in-schemas') ? [] : extensionsPresent)];
    const view: JsonObject = this.faults.has('no-schemas') ? { id: stored.id } : { schemas, id: stored.id };
    if (stored['externalId'] !== undefined) view['externalId'] = stored['externalId'];
    for (const attribute of type.schema.attributes) {
      if (attribute.returned === 'never' && !this.faults.has('password-returned')) continue;
      if (stored[attribute.name] !== undefined) view[attribute.name] = stored[attribute.name];
    }
    if (type === GROUP_TYPE) view['members'] = this.memberViews(stored);
    if (type === USER_TYPE) {
      const groups = groupsByUser.get(stored.id);
      if (groups) view['groups'] = groups;
    }
    for (const extension of extensionsPresent) view[extension] = stored[extension];
    // Fault `patch-undefined-path-stored`: a schemaless store returns whatever a PATCH put in it.
    if (this.faults.has('patch-undefined-path-stored')) {
      for (const [key, value] of Object.entries(stored)) if (!(key in view) && key !== 'meta' && key !== 'password' && !/^urn:/i.test(key)) view[key] = value;
    }
    if (this.faults.has('manager-stored-as-string')) managerAsBareString(view);
    // Fault `relative-meta-location`: the path from the server's root, without its base path (scimmy's default).
    const location = this.faults.has('relative-meta-location') ? `${type.endpoint}/${encodeURIComponent(stored.id)}` : this.locationOf(type, stored.id);
    if (!this.faults.has('no-meta')) view['meta'] = { ...stored.meta, location };
    return view;
  }

  /** Group members always come back as a list (`[]` when empty): Entra expects the attribute after a create. */
  private memberViews(group: StoredResource): JsonObject[] {
    const members = Array.isArray(group['members']) ? group['members'].filter(isObject) : [];
    return members.map((member) => {
      const id = String(member['value']);
      const user = this.store.get(USER_TYPE.name, id);
      const display = user?.['displayName'] ?? user?.['userName'];
      return { value: id, $ref: this.locationOf(USER_TYPE, id), type: 'User', ...(display !== undefined ? { display } : {}) };
    });
  }

  /** User id → the groups it is a direct member of (the readOnly User `groups`, RFC 7643 §4.1.2), built once per request. */
  private groupsByUser(): Map<string, JsonObject[]> {
    const index = new Map<string, JsonObject[]>();
    for (const group of this.store.all(GROUP_TYPE.name)) {
      const reference = { value: group.id, $ref: this.locationOf(GROUP_TYPE, group.id), display: group['displayName'], type: 'direct' };
      for (const member of Array.isArray(group['members']) ? group['members'] : []) {
        if (!isObject(member) || typeof member['value'] !== 'string') continue;
        index.set(member['value'], [...(index.get(member['value']) ?? []), reference]);
      }
    }
    return index;
  }

  /** The rendered resource narrowed by `attributes` / `excludedAttributes`. */
  project(type: ResourceType, stored: StoredResource, projection: Projection): JsonObject {
    return this.projected(applyProjection(type, this.render(type, stored), this.honoured(projection)), projection);
  }

  /** Fault `attributes-drops-schemas`: with `attributes`, only what was asked for and id come back (scimmy drops schemas and meta). */
  private projected(view: JsonObject, projection: Projection): JsonObject {
    if (!this.faults.has('attributes-drops-schemas') || projection.attributes.length === 0) return view;
    const { schemas: _schemas, meta: _meta, ...rest } = view;
    return rest;
  }

  /** The projection as this server applies it: faults make it ignore one parameter or the other. */
  private honoured(projection: Projection): Projection {
    return {
      attributes: this.faults.has('attributes-ignored') ? [] : projection.attributes,
      excludedAttributes: this.faults.has('excluded-attributes-ignored') ? [] : projection.excludedAttributes,
    };
  }

  list(type: ResourceType, query: ListQuery): JsonObject {
    const groupsByUser = this.groupsByUser();
    let views = this.store.all(type.name).map((r) => this.render(type, r, groupsByUser));
    if (this.faults.has('deleted-still-listed')) {
      views.push(...this.tombstones.filter((t) => t.type === type.name).map((t) => this.render(type, t.resource, groupsByUser)));
    }
    if (query.filter !== undefined && !this.faults.has('filter-ignored')) {
      const matches = this.filterPredicate(type, query.filter);
      // Fault: the filter code reads every user's emails as an object (scimmy: Object.entries of undefined).
      if (matches && type === USER_TYPE && this.faults.has('emails-filter-crashes-without-emails') && filtersOnEmails(query.filter) && views.some((v) => v['emails'] === undefined)) {
        throw new ScimError(500, undefined, 'Cannot convert undefined or null to object');
      }
      if (matches) views = views.filter(matches);
      if (type === USER_TYPE && this.faults.has('deactivate-hides-from-filter')) views = views.filter((v) => v['active'] !== false);
      if (views.length === 0 && this.faults.has('empty-filter-404')) throw notFound(`No ${type.name} matches the filter`);
    }
    if (query.sortBy !== undefined && !this.faults.has('sort-ignored')) views = sortResources(type, views, query.sortBy, query.sortOrder);

    let { startIndex, count } = query;
    if (this.faults.has('paging-ignored')) [startIndex, count] = [1, views.length];
    const projection = this.honoured(query.projection);
    const render = (view: JsonObject) => this.projected(applyProjection(type, this.faults.has('list-omits-extension') ? withoutExtensions(type, view) : view, projection), query.projection);
    // Fault `paging-zero-based`: startIndex read as an offset (one result skipped), but echoed as sent.
    const zeroBased = this.faults.has('paging-zero-based');
    const list = listResponse(views, zeroBased ? startIndex + 1 : startIndex, count, render);
    if (zeroBased) list['startIndex'] = startIndex;
    if (this.faults.has('paging-wrong-totals')) list['totalResults'] = list['itemsPerPage'];
    return this.faults.has('lowercase-resources') ? lowercaseResources(list) : list;
  }

  /** The `filter` parameter as a predicate; undefined when a fault makes the server ignore it. */
  private filterPredicate(type: ResourceType, text: string): Predicate | undefined {
    let ast: Filter;
    try {
      ast = parseFilter(text);
    } catch (error) {
      if (this.faults.has('invalid-filter-ignored')) return undefined;
      if (this.faults.has('invalid-filter-500')) throw new ScimError(500, undefined, `Internal server error: ${(error as Error).message}`);
      // Fault: a filter of one word (no operator at all) crashes the parser instead of failing it.
      if (this.faults.has('filter-unparsable-500') && !/\s/.test(text.trim())) throw new ScimError(500, undefined, `Internal server error: Cannot read properties of undefined (reading 'toLowerCase')`);
      if (this.faults.has('invalid-filter-scimtype') && error instanceof ScimError) throw badRequest('invalidSyntax', error.message);
      throw error;
    }
    // Fault: only what Entra sends (eq, and, value paths): other operators are refused.
    const beyondEntra = [...operatorsOf(ast)].filter((op) => !['eq', 'and', '[]'].includes(op));
    if (this.faults.has('filter-operators-eq-only') && beyondEntra.length > 0) throw badRequest('invalidFilter', `Unsupported filter operator "${beyondEntra[0]}"`);
    if (ast.op === 'and' && this.faults.has('filter-and-first-only')) ast = ast.filters[0]!;
    if (this.faults.has('filter-eq-as-prefix')) ast = eqAsPrefix(ast);
    return compileFilter(ast, this.filterScope(type));
  }

  /** What filters can ask about, as the fault switches narrow or bend it. */
  private filterScope(type: ResourceType): FilterScope {
    const faults = this.faults;
    const scope = resourceScope(type, (definition) => {
      if (definition.name === 'userName' && faults.has('username-case-sensitive')) return { ...definition, caseExact: true };
      if (definition.name === 'externalId' && faults.has('externalid-case-insensitive')) return { ...definition, caseExact: false };
      return definition;
    });
    const refused = (path: string) => {
      const name = resolveAttributePath(type, path)?.attribute.name;
      return (
        (faults.has('filter-attribute-names-case-sensitive') && !spelledAsDefined(type, path)) ||
        (name === 'externalId' && faults.has('externalid-not-filterable')) ||
        (name === 'displayName' && type === GROUP_TYPE && faults.has('displayname-not-filterable'))
      );
    };
    // Fault: emails only in the value-path form (emails[type eq "work"].value eq ...), not as emails.value.
    const plainEmails = (path: string) => faults.has('emails-value-plain-unsupported') && type === USER_TYPE && resolveAttributePath(type, path)?.attribute.name === 'emails';
    return {
      attribute: (path) => (refused(path) || plainEmails(path) ? undefined : scope.attribute(path)),
      complex: (path) => (refused(path) || faults.has('filter-value-path-unsupported') ? undefined : scope.complex(path)),
    };
  }

  // ---- writing -------------------------------------------------------------------------------

  create(type: ResourceType, body: unknown): StoredResource {
    if (this.faults.has('unknown-schema-uri-rejected')) refuseUnknownSchemas(type, body);
    const attributes = readResourceBody(type, body, !this.faults.has('custom-extension-dropped'));
    // Fault: emails required unless the userName is an email address (@better-auth/scim), though /Schemas says optional.
    if (type === USER_TYPE && this.faults.has('emails-required') && isUnassigned(attributes['emails']) && !EMAIL.test(String(attributes['userName'] ?? ''))) {
      throw badRequest('invalidValue', '"emails" is required when userName is not an email address');
    }
    if (this.faults.has('username-lowercased') && typeof attributes['userName'] === 'string') attributes['userName'] = attributes['userName'].toLowerCase();
    if (this.faults.has('name-dropped')) delete attributes['name'];
    if (this.faults.has('enterprise-extension-dropped')) for (const extension of type.extensions) delete attributes[extension.id];
    const now = this.now();
    return this.commit(type, { id: randomUUID(), ...attributes, meta: { resourceType: type.name, created: now, lastModified: now } });
  }

  /** PUT (RFC 7644 §3.5.1): the body replaces every client-writable attribute; id and meta.created stay. */
  replace(type: ResourceType, id: string, body: unknown): StoredResource {
    const existing = this.get(type, id);
    const given = readResourceBody(type, body, !this.faults.has('custom-extension-dropped'));
    // Fault: PUT as a merge, keeping every attribute the body leaves out.
    const attributes = this.faults.has('put-merges') ? { ...withoutServerAttributes(existing), ...given } : given;
    // A writeOnly password is never returned, so a client cannot send it back: a PUT without one keeps it.
    if (attributes['password'] === undefined && existing['password'] !== undefined) attributes['password'] = existing['password'];
    // Fault: PUT rebuilds the resource, so meta.created (readOnly) moves to now.
    const created = this.faults.has('put-resets-created') ? this.modifiedNow(existing) : existing.meta.created;
    return this.commit(type, { id, ...attributes, meta: { ...existing.meta, created, lastModified: this.modifiedNow(existing) } });
  }

  patch(type: ResourceType, id: string, body: unknown): StoredResource {
    const existing = this.get(type, id);
    if (this.faults.has('patch-not-atomic')) return this.patchOneByOne(type, existing, body);
    const operations = readPatchRequest(body, this.faults);
    const patched = applyPatch(type, existing, operations, this.faults);
    // Fault `patch-remove-required-accepted`: a PATCH may leave a required attribute (userName) unassigned.
    // RFC 7644 §3.5.2.2: a PATCH that leaves a required attribute unassigned is 400 "mutability".
    const saved = this.commit(type, { ...patched, id, meta: { ...existing.meta, lastModified: this.modifiedNow(existing) } }, this.faults.has('patch-remove-required-accepted'), 'mutability');
    if (type === USER_TYPE && existing['active'] !== false && saved['active'] === false) {
      if (this.faults.has('deactivate-drops-group-membership')) this.removeFromAllGroups(id);
      if (this.faults.has('deactivate-deletes')) this.delete(type, id);
    }
    return saved;
  }

  /** Fault `patch-not-atomic`: each operation is read, applied and stored on its own; a failure keeps what came before. */
  private patchOneByOne(type: ResourceType, existing: StoredResource, body: unknown): StoredResource {
    const operations = isObject(body) ? bodyParameters(body)('Operations') : undefined;
    if (!isObject(body) || !Array.isArray(operations)) {
      readPatchRequest(body, this.faults); // the usual 400
      return existing;
    }
    let current = existing;
    for (const operation of operations) {
      const read = readPatchRequest({ ...body, Operations: [operation] }, this.faults);
      const patched = applyPatch(type, current, read, this.faults);
      current = this.commit(type, { ...patched, id: existing.id, meta: { ...current.meta, lastModified: this.modifiedNow(current) } });
    }
    return current;
  }

  /** meta.lastModified for a write now; the fault `last-modified-frozen` keeps the old one. */
  private modifiedNow(existing: StoredResource): string {
    return this.faults.has('last-modified-frozen') ? existing.meta.lastModified : this.now();
  }

  delete(type: ResourceType, id: string): StoredResource {
    const existing = this.get(type, id);
    if (this.faults.has('soft-delete')) return existing;
    if (this.faults.has('deleted-still-listed')) this.tombstones.push({ type: type.name, resource: existing });
    this.store.delete(type.name, id);
    if (type === USER_TYPE && !this.faults.has('delete-keeps-memberships')) this.removeFromAllGroups(id);
    return existing;
  }

  /** A deleted user is no longer a member of anything; those groups are modified now. */
  private removeFromAllGroups(userId: string): void {
    for (const group of this.store.all(GROUP_TYPE.name)) {
      const members = Array.isArray(group['members']) ? group['members'] : [];
      const kept = members.filter((m) => !(isObject(m) && m['value'] === userId));
      if (kept.length === members.length) continue;
      this.store.put(GROUP_TYPE.name, { ...group, members: kept, meta: { ...group.meta, lastModified: this.now() } });
    }
  }

  /** Checks the cross-attribute rules, then stores. */
  private commit(type: ResourceType, candidate: StoredResource, requiredMayBeUnassigned = false, missingRequired: 'invalidValue' | 'mutability' = 'invalidValue'): StoredResource {
    if (type === GROUP_TYPE) candidate['members'] = this.checkedMembers(candidate['members']);
    for (const attribute of type.schema.attributes) {
      const value = candidate[attribute.name];
      const required = attribute.required && !requiredMayBeUnassigned && !(attribute.name === 'userName' && this.faults.has('username-not-required'));
      if (required && isUnassigned(value)) throw badRequest(missingRequired, `"${attribute.name}" is required`);
      if (attribute.multiValued && Array.isArray(value) && value.filter((v) => isObject(v) && v['primary'] === true).length > 1) {
        throw badRequest('invalidValue', `At most one value of "${attribute.name}" may be primary (RFC 7643 §2.4)`);
      }
      const unique = attribute.uniqueness !== 'none' && !this.faults.has('duplicates-accepted');
      if (unique && typeof value === 'string') this.checkUnique(type, attribute, value, candidate.id);
    }
    this.store.put(type.name, candidate);
    return candidate;
  }

  private checkUnique(type: ResourceType, attribute: AttributeDefinition, value: string, selfId: string): void {
    const caseExact = attribute.caseExact || (attribute.name === 'userName' && this.faults.has('username-unique-case-sensitive'));
    const fold = (s: string) => (caseExact ? s : s.toLowerCase());
    const taken = this.store
      .all(type.name)
      .some((other) => other.id !== selfId && typeof other[attribute.name] === 'string' && fold(other[attribute.name] as string) === fold(value));
    if (!taken) return;
    const detail = `A ${type.name} with ${attribute.name} ${JSON.stringify(value)} already exists`;
    throw this.faults.has('conflict-without-scimtype') ? new ScimError(409, undefined, detail) : conflict(detail);
  }

  /** Members are stored as `{value}` only (the rest is derived when rendered), once each, and must be existing users. */
  private checkedMembers(members: unknown): JsonObject[] | undefined {
    if (members === undefined) return undefined;
    const ids: string[] = [];
    for (const member of Array.isArray(members) ? members : []) {
      const id = isObject(member) ? member['value'] : undefined;
      if (typeof id !== 'string' || id === '') throw badRequest('invalidValue', 'Every member needs a "value" (the id of a User)');
      if (!this.store.get(USER_TYPE.name, id)) throw badRequest('invalidValue', `Member ${JSON.stringify(id)} is not the id of an existing User`);
      if (!ids.includes(id)) ids.push(id);
    }
    return ids.map((value) => ({ value }));
  }

  /** Inserts `count` simple users directly (paging and scale tests), skipping the HTTP layer. */
  seedUsers(count: number, prefix = 'seed-user'): void {
    const taken = new Set(this.store.all(USER_TYPE.name).map((u) => String(u['userName']).toLowerCase()));
    let n = this.seedCounters.get(prefix) ?? 0;
    for (let i = 0; i < count; i++) {
      let userName: string;
      do userName = `${prefix}-${String(++n).padStart(5, '0')}`;
      while (taken.has(userName.toLowerCase()));
      taken.add(userName.toLowerCase());
      const now = this.now();
      this.store.put(USER_TYPE.name, {
        id: randomUUID(),
        externalId: `${userName}-ext`,
        userName,
        name: { givenName: 'Seed', familyName: `User ${n}` },
        displayName: `Seed User ${n}`,
        active: true,
        emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }],
        meta: { resourceType: USER_TYPE.name, created: now, lastModified: now },
      });
    }
    this.seedCounters.set(prefix, n);
  }

  /** Forget seeded-name counters and deleted resources (the store itself is cleared by its owner). */
  resetCounters(): void {
    this.seedCounters = new Map();
    this.tombstones = [];
  }
}

/** Fault `filter-attribute-names-case-sensitive`: is `path` spelled exactly as the schema spells its attribute? */
function spelledAsDefined(type: ResourceType, path: string): boolean {
  const resolved = resolveAttributePath(type, path);
  if (!resolved) return true; // unknown attributes are refused anyway
  const canonical = [resolved.attribute.name, resolved.subAttribute?.name].filter((n) => n !== undefined).join('.');
  return path.endsWith(canonical);
}

/** Fault `emails-filter-crashes-without-emails`: whether a (parsable) filter asks about emails, in any form. */
function filtersOnEmails(text: string): boolean {
  const asks = (ast: Filter): boolean => {
    switch (ast.op) {
      case 'and':
      case 'or':
        return ast.filters.some(asks);
      case 'not':
        return asks(ast.filter);
      default:
        return /^(urn:.*:)?emails(\.|$)/i.test(ast.attrPath);
    }
  };
  return asks(parseFilter(text));
}

/** Fault `filter-eq-as-prefix`: every `eq` on a string read as `sw`. */
function eqAsPrefix(ast: Filter): Filter {
  switch (ast.op) {
    case 'eq':
      return typeof ast.compValue === 'string' ? { ...ast, op: 'sw' } : ast;
    case 'and':
    case 'or':
      return { ...ast, filters: ast.filters.map(eqAsPrefix) };
    case 'not':
      return { ...ast, filter: eqAsPrefix(ast.filter) };
    case '[]':
      return { ...ast, valFilter: eqAsPrefix(ast.valFilter) };
    default:
      return ast;
  }
}

/** Fault `unknown-schema-uri-rejected`: only the resource type's own schema URIs are accepted in `schemas`. */
function refuseUnknownSchemas(type: ResourceType, body: unknown): void {
  const known = new Set([type.schema.id, ...type.extensions.map((e) => e.id)].map((id) => id.toLowerCase()));
  const schemas = isObject(body) && Array.isArray(body['schemas']) ? body['schemas'] : [];
  const unknown = schemas.filter((s) => typeof s !== 'string' || !known.has(s.toLowerCase()));
  if (unknown.length > 0) throw badRequest('invalidValue', `Unsupported schema(s): ${unknown.map((s) => JSON.stringify(s)).join(', ')}`);
}

/** Fault `manager-stored-as-string`: the enterprise manager as the bare id Entra sent. */
function managerAsBareString(view: JsonObject): void {
  for (const [key, value] of Object.entries(view)) {
    if (isObject(value) && isObject(value['manager'])) view[key] = { ...value, manager: value['manager']['value'] };
  }
}

/** Fault `list-omits-extension`: a list element without extension data (a "summary" representation). */
function withoutExtensions(type: ResourceType, view: JsonObject): JsonObject {
  const ids = new Set(type.extensions.map((e) => e.id));
  const trimmed = Object.fromEntries(Object.entries(view).filter(([key]) => !ids.has(key)));
  if (Array.isArray(trimmed['schemas'])) trimmed['schemas'] = trimmed['schemas'].filter((s) => !ids.has(s as string));
  return trimmed;
}

/** What a client may write: the stored resource without id and meta. */
function withoutServerAttributes(resource: JsonObject): JsonObject {
  const { id: _id, meta: _meta, ...rest } = resource;
  return rest;
}
