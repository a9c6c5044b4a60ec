// The resource service: what POST, GET, PUT, PATCH and DELETE do to Users and Groups, and the
// rules that hold across them (required attributes, uniqueness, one primary, member references).
import { randomUUID } from 'node:crypto';
import { badRequest, conflict, notFound, ScimError } from './errors.ts';
import type { Faults } from './faults.ts';
import { compileFilter, parseFilter, resourceScope } from './filter.ts';
import { isObject, isUnassigned, type JsonObject } from './json.ts';
import { listResponse, sortResources, type ListQuery } from './list-query.ts';
import { applyPatch, readPatchRequest } from './patch.ts';
import { applyProjection, type Projection } from './projection.ts';
import { readResourceBody } from './resource-input.ts';
import { GROUP_TYPE, USER_TYPE, type ResourceType } from './resource-types.ts';
import type { AttributeDefinition } from './schemas.ts';
import type { ResourceStore, StoredResource } from './store.ts';

export class ResourceService {
  private seedCounters = new Map<string, number>();

  constructor(
    private readonly store: ResourceStore,
    private readonly now: () => string,
    private readonly faults: Faults,
    private readonly baseUrl: string,
  ) {}

  locationOf(type: ResourceType, id: string): string {
    return `${this.baseUrl}${type.endpoint}/${encodeURIComponent(id)}`;
  }

  // ---- reading -------------------------------------------------------------------------------

  get(type: ResourceType, id: string): StoredResource {
    const found = this.store.get(type.name, id);
    if (found) return found;
    if (this.faults.has('unknown-id-500')) throw new ScimError(500, undefined, `Internal error looking up ${type.name} ${id}`);
    throw notFound(`${type.name} ${JSON.stringify(id)} not found`);
  }

  /**
   * The full representation of a stored resource as clients see it: `schemas` computed, `returned:
   * "never"` attributes (password) left out, meta.location added, group members and user groups
   * resolved to $ref/display from the current data.
   */
  render(type: ResourceType, stored: StoredResource, groupsByUser: Map<string, JsonObject[]> = this.groupsByUser()): JsonObject {
    const extensionsPresent = type.extensions.filter((e) => isObject(stored[e.id]));
    const view: JsonObject = { schemas: [type.schema.id, ...extensionsPresent.map((e) => e.id)], id: stored.id };
    if (stored['externalId'] !== undefined) view['externalId'] = stored['externalId'];
    for (const attribute of type.schema.attributes) {
      if (attribute.returned === 'never') continue;
      if (stored[attribute.name] !== undefined) view[attribute.name] = stored[attribute.name];
    }
    if (type === GROUP_TYPE) view['members'] = this.memberViews(stored);
    if (type === USER_TYPE) {
      const groups = groupsByUser.get(stored.id);
      if (groups) view['groups'] = groups;
    }
    for (const extension of extensionsPresent) view[extension.id] = stored[extension.id];
    view['meta'] = { ...stored.meta, location: this.locationOf(type, stored.id) };
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
    return applyProjection(type, this.render(type, stored), projection);
  }

  list(type: ResourceType, query: ListQuery): JsonObject {
    const groupsByUser = this.groupsByUser();
    let views = this.store.all(type.name).map((r) => this.render(type, r, groupsByUser));
    if (query.filter !== undefined && !this.faults.has('filter-ignored')) {
      const adjust = this.faults.has('username-case-sensitive') ? caseExactUserName : undefined;
      const matches = compileFilter(parseFilter(query.filter), resourceScope(type, adjust));
      views = views.filter(matches);
      if (views.length === 0 && this.faults.has('empty-filter-404')) throw notFound(`No ${type.name} matches the filter`);
    }
    if (query.sortBy !== undefined) views = sortResources(type, views, query.sortBy, query.sortOrder);
    return listResponse(views, query.startIndex, query.count, (view) => applyProjection(type, view, query.projection));
  }

  // ---- writing -------------------------------------------------------------------------------

  create(type: ResourceType, body: unknown): StoredResource {
    const attributes = readResourceBody(type, body);
    const now = this.now();
    return this.commit(type, { id: randomUUID(), ...attributes, meta: { resourceType: type.name, created: now, lastModified: now } });
  }

  /** PUT (RFC 7644 §3.5.1): the body replaces every client-writable attribute; id and meta.created stay. */
  replace(type: ResourceType, id: string, body: unknown): StoredResource {
    const existing = this.get(type, id);
    const attributes = readResourceBody(type, body);
    // A writeOnly password is never returned, so a client cannot send it back: a PUT without one keeps it.
    if (attributes['password'] === undefined && existing['password'] !== undefined) attributes['password'] = existing['password'];
    return this.commit(type, { id, ...attributes, meta: { ...existing.meta, lastModified: this.now() } });
  }

  patch(type: ResourceType, id: string, body: unknown): StoredResource {
    const existing = this.get(type, id);
    const operations = readPatchRequest(body, this.faults.has('patch-op-case-sensitive'));
    const patched = applyPatch(type, existing, operations);
    return this.commit(type, { ...patched, id, meta: { ...existing.meta, lastModified: this.now() } });
  }

  delete(type: ResourceType, id: string): StoredResource {
    const existing = this.get(type, id);
    if (this.faults.has('soft-delete')) return existing;
    this.store.delete(type.name, id);
    if (type === USER_TYPE) this.removeFromAllGroups(id);
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
  private commit(type: ResourceType, candidate: StoredResource): StoredResource {
    if (type === GROUP_TYPE) candidate['members'] = this.checkedMembers(candidate['members']);
    for (const attribute of type.schema.attributes) {
      const value = candidate[attribute.name];
      if (attribute.required && isUnassigned(value)) throw badRequest('invalidValue', `"${attribute.name}" is required`);
      if (attribute.multiValued && Array.isArray(value) && value.filter((v) => isObject(v) && v['primary'] === true).length > 1) {
        throw badRequest('invalidValue', `At most one value of "${attribute.name}" may be primary (RFC 7643 §2.4)`);
      }
      if (attribute.uniqueness !== 'none' && typeof value === 'string') this.checkUnique(type, attribute, value, candidate.id);
    }
    this.store.put(type.name, candidate);
    return candidate;
  }

  private checkUnique(type: ResourceType, attribute: AttributeDefinition, value: string, selfId: string): void {
    const fold = (s: string) => (attribute.caseExact ? s : s.toLowerCase());
    const taken = this.store
      .all(type.name)
      .some((other) => other.id !== selfId && typeof other[attribute.name] === 'string' && fold(other[attribute.name] as string) === fold(value));
    if (taken) throw conflict(`A ${type.name} with ${attribute.name} ${JSON.stringify(value)} already exists`);
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

  /** Forget seeded-name counters (the store itself is cleared by its owner). */
  resetCounters(): void {
    this.seedCounters = new Map();
  }
}

/** Fault `username-case-sensitive`: filters compare userName as if it were caseExact. */
function caseExactUserName(definition: AttributeDefinition): AttributeDefinition {
  return definition.name === 'userName' ? { ...definition, caseExact: true } : definition;
}
