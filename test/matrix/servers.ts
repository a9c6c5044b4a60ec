// One in-process reference server per matrix run, each on an ephemeral loopback port with its
// own token, and the Target (src/target.ts) that points the suite at it.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import type { Target } from '../../src/target.ts';
import { readMapping, type Mapping } from '../../src/mapping.ts';
import type { MatrixRun } from './plan.ts';

/** Mode `mapped`: Entra's default mapping and one custom extension attribute (CREATE-14). */
const MAPPING: Mapping = {
  ...readMapping(fileURLToPath(new URL('../../examples/mapping.entra-default.json', import.meta.url))),
  customAttributes: { 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User:costCenter': 'CC-1001' },
};

export interface RunServer {
  server: ReferenceServer;
  target: Target;
}

/**
 * The initial sync of a load run: just over the 50 requests LOAD-01 needs to measure a rate
 * (22 users, 2 groups, 52 requests), paced at twice Entra's 25 per second, 5 in flight as Entra.
 */
const LOAD = { users: 22, groups: 2, rate: 50, concurrency: 5 };

/** A valid run id (scimc- then lower case, digits and dashes) that names the matrix run. */
const runIdOf = (run: MatrixRun) => `scimc-matrix-${run.name.replace(/[^a-z0-9]+/g, '-')}`;

export async function startServers(runs: readonly MatrixRun[]): Promise<{ servers: Map<string, RunServer>; closeAll(): Promise<void> }> {
  const servers = new Map<string, RunServer>();
  const closeAll = async () => {
    await Promise.allSettled([...servers.values()].map((s) => s.server.close()));
  };
  try {
    for (const run of runs) {
      const token = `matrix-${randomBytes(12).toString('base64url')}`;
      const server = await startReferenceServer({ token, port: 0, faults: run.faults });
      const runId = runIdOf(run);
      // Read-only mode creates nothing: the server holds the user to look up, and another one
      // (so that an endpoint that ignores the filter returns two).
      if (run.mode === 'read-only') server.seedUsers(2, runId);
      servers.set(run.name, {
        server,
        target: {
          baseUrl: server.baseUrl,
          token,
          profile: run.profile,
          // Under load a request that gets no answer costs the whole timeout: keep it short there.
          timeoutMs: run.mode === 'load' ? 3_000 : 15_000,
          retries: 0,
          groups: true,
          // Every name the run creates carries this id (see wiringProblems).
          runId,
          embedded: true,
          readOnly: run.mode === 'read-only',
          ...(run.mode === 'read-only' && { readOnlyUserName: `${runId}-00001` }),
          ...(run.mode === 'load' && { load: LOAD }),
          ...(run.mode === 'mapped' && { mapping: MAPPING }),
        },
      });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { servers, closeAll };
}

/**
 * Proof that each run talked to its own server: every server was asked something, and every name
 * a run created there carries that run's id (a project wired to another run's target would not).
 */
export function wiringProblems(servers: Map<string, RunServer>): string[] {
  const problems: string[] = [];
  for (const [name, { server, target }] of servers) {
    if (server.received.length === 0) problems.push(`${name}: its reference server received no request`);
    const foreign = server.received.filter((r) => /scimc-matrix-/.test(r.body) && !r.body.includes(`${target.runId}-`));
    if (foreign.length > 0) problems.push(`${name}: its reference server received ${foreign.length} request(s) from another run, e.g. ${foreign[0]!.method} ${foreign[0]!.url}`);
  }
  return problems;
}
