// A third-party SCIM server for calibration: scimmy (protocol: schema coercion, filters, PATCH,
// list responses, errors) behind scimmy-routers (HTTP routing, auth hook, error bodies) on
// express, with the smallest data layer scimmy asks its users to write: Map-backed
// ingress/egress/degress handlers. Everything a SCIM client sees on the wire is scimmy's reading
// of RFC 7643/7644, not ours; the handlers only store, look up by id, refuse duplicates (409) and
// unknown ids (404), as scimmy's documentation tells handlers to. Lists are filtered with scimmy's
// own Filter#match, as in scimmy-routers' example server (example/index.js).
//
// Express is pinned to 4.x, the version scimmy-routers is built and tested with: on Express 5
// req.query is a getter that re-parses on every read (expressjs/express #2752), so the routers'
// cast of startIndex/count to numbers is lost and scimmy silently ignores paging.
//
// SCIMMY keeps its declarations in process-wide singletons, so there is one peer per process.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';
import SCIMMYRouters, { SCIMMY } from 'scimmy-routers';

/** Where the peer mounts its SCIM service, as a vendor would (scimmy-routers recommends a /scim prefix). */
export const MOUNT = '/scim/v2';

type Json = Record<string, unknown>;

export interface ScimmyPeer {
  /** The Tenant URL a client is given: http://127.0.0.1:<port>/scim/v2 */
  baseUrl: string;
  token: string;
  /** Installed versions, for the report: scimmy, scimmy-routers, express. */
  versions: Record<'scimmy' | 'scimmy-routers' | 'express', string>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
/** The installed version of a package (scimmy does not export its package.json). */
function versionOf(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level
    }
  }
  return 'unknown';
}

const users = new Map<string, Json>();
const groups = new Map<string, Json>();
let declared = false;

/** A plain JSON copy of what scimmy hands the handler (a frozen Schema instance with getters). */
function plain(instance: unknown): Json {
  return JSON.parse(JSON.stringify(instance)) as Json;
}

const lower = (value: unknown) => String(value ?? '').toLowerCase();

/** scimmy's own code passes null for "no scimType"; its typings only allow a string. */
const NO_SCIM_TYPE = null as unknown as string;
const notFound = (id: string | undefined) => new SCIMMY.Types.Error(404, NO_SCIM_TYPE, `Resource ${id} not found`);

/**
 * Stores what scimmy coerced, under a new or the given id, with the meta times scimmy expects the
 * data layer to keep. A case-insensitive duplicate of `unique` (userName, displayName) is a 409.
 */
function store(map: Map<string, Json>, kind: string, unique: string, id: string | undefined, instance: unknown): Json {
  const data = plain(instance);
  const existing = id === undefined ? undefined : map.get(id);
  if (id !== undefined && !existing) throw notFound(id);
  for (const [otherId, other] of map) {
    if (otherId !== id && lower(other[unique]) === lower(data[unique])) {
      throw new SCIMMY.Types.Error(409, 'uniqueness', `${kind} ${unique} "${String(data[unique])}" is already taken`);
    }
  }
  const now = new Date().toISOString();
  const created = (existing?.meta as Json | undefined)?.created ?? now;
  const record: Json = { ...data, id: id ?? randomUUID(), meta: { created, lastModified: now } };
  map.set(record.id as string, record);
  return structuredClone(record);
}

/** One resource by id (404 when unknown), or every resource scimmy's own filter matches. */
function retrieve(map: Map<string, Json>, resource: { id?: string; filter?: { match(values: Json[]): Json[] } }): Json | Json[] {
  if (resource.id !== undefined) {
    const found = map.get(resource.id);
    if (!found) throw notFound(resource.id);
    return structuredClone(found);
  }
  const all = [...map.values()].map((r) => structuredClone(r));
  return resource.filter ? resource.filter.match(all) : all;
}

function dispose(map: Map<string, Json>, id: string | undefined): void {
  if (id === undefined || !map.delete(id)) throw notFound(id);
}

function declareResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
    ingress: (resource: { id?: string }, instance: unknown) => store(users, 'User', 'userName', resource.id, instance),
    egress: (resource: { id?: string }) => retrieve(users, resource),
    degress: (resource: { id?: string }) => {
      dispose(users, resource.id);
      // What a database with a foreign key from membership to user does: the member goes too.
      for (const group of groups.values()) {
        if (Array.isArray(group.members)) group.members = (group.members as Json[]).filter((m) => m.value !== resource.id);
      }
    },
  });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    ingress: (resource: { id?: string }, instance: unknown) => store(groups, 'Group', 'displayName', resource.id, instance),
    egress: (resource: { id?: string }) => retrieve(groups, resource),
    degress: (resource: { id?: string }) => dispose(groups, resource.id),
  });
}

/** Starts the peer on 127.0.0.1 and an ephemeral port, with an empty store. */
export async function startScimmyPeer(options: { token?: string; port?: number } = {}): Promise<ScimmyPeer> {
  const token = options.token ?? `peer-${randomBytes(18).toString('base64url')}`;
  users.clear();
  groups.clear();
  declareResources();

  const app = express();
  app.use(
    MOUNT,
    new SCIMMYRouters({
      type: 'bearer',
      docUri: 'https://example.com/scim-peer/auth',
      handler: (req: express.Request) => {
        const presented = /^Bearer\s+(\S+)$/i.exec(req.header('Authorization') ?? '')?.[1];
        if (presented !== token) throw new Error('Bearer token missing or not valid');
        return 'scim-client';
      },
      // No baseUri: scimmy-routers' default, which gives meta.location as the relative path
      // "/Users/<id>" (CREATE-15 flags it; its `baseUri` option makes locations absolute).
    }),
  );

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}${MOUNT}`,
    token,
    versions: { scimmy: versionOf('scimmy'), 'scimmy-routers': versionOf('scimmy-routers'), express: versionOf('express') },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
