// A second third-party SCIM server for calibration: better-auth with its SCIM plugin
// (@better-auth/scim). Routing, authentication, schema validation, filters, PATCH, list
// responses and error bodies are all better-auth's; this file only configures it as its
// documentation says: one code-defined SCIM connection whose static bearer credential is the
// token the suite sends, the in-memory adapter (its tables are the ones better-auth itself
// derives from the options, plugins included), and better-auth's own node:http handler.
//
// Options beyond the plugin's defaults, and why:
// - telemetry off: a test must not phone home;
// - rate limiting off: the suite sends a few hundred requests from one address, and a 429 from
//   better-auth's generic limiter would be ours (a deployment setting), not the SCIM plugin's;
// - a random 32-byte secret, which better-auth requires and the SCIM endpoints never use.
// The plugin's `compatibility.microsoftEntra.acceptLegacyGroupSchema` stays at its default
// (false), as a fresh install has it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { scim } from '@better-auth/scim';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { getAuthTables } from 'better-auth/db';
import { toNodeHandler } from 'better-auth/node';

/** better-auth's default basePath, under which the plugin mounts /scim/v2. */
export const BASE_PATH = '/api/auth';
export const MOUNT = `${BASE_PATH}/scim/v2`;

const PACKAGES = ['better-auth', '@better-auth/scim', '@better-auth/core', '@better-auth/utils', 'better-call'] as const;

export interface BetterAuthPeer {
  /** The Tenant URL a client is given: http://127.0.0.1:<port>/api/auth/scim/v2 */
  baseUrl: string;
  token: string;
  /** Installed versions, for the report. */
  versions: Record<(typeof PACKAGES)[number], string>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
/** The installed version of a package, read from its package.json next to its entry point. */
function versionOf(name: string): string {
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    // ESM-only packages without a require condition: find them under node_modules directly.
    entry = join(process.cwd(), 'node_modules', name, 'package.json');
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level
    }
  }
  return 'unknown';
}

/** Starts the peer on 127.0.0.1 and an ephemeral port (or `port`), with an empty store. */
export async function startBetterAuthPeer(options: { token?: string; port?: number } = {}): Promise<BetterAuthPeer> {
  // The plugin's static credentials are opaque strings; the same shape as the scimmy peer's token.
  const token = options.token ?? `peer-${randomBytes(18).toString('base64url')}`;

  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const authOptions = {
    baseURL: origin,
    basePath: BASE_PATH,
    secret: randomBytes(32).toString('base64url'),
    telemetry: { enabled: false },
    rateLimit: { enabled: false },
    plugins: [
      scim({
        connections: [{ id: 'conformance', credentials: [{ type: 'bearer', id: 'suite', token }] }],
      }),
    ],
  };
  // The memory adapter needs one array per table; better-auth names them from the same options.
  const db: Record<string, unknown[]> = {};
  for (const table of Object.values(getAuthTables(authOptions))) db[table.modelName] = [];
  const auth = betterAuth({ ...authOptions, database: memoryAdapter(db) });

  server.on('request', toNodeHandler(auth));
  return {
    baseUrl: `${origin}${MOUNT}`,
    token,
    versions: Object.fromEntries(PACKAGES.map((name) => [name, versionOf(name)])) as BetterAuthPeer['versions'],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
