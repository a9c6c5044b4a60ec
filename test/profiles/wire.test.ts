// Each client profile sends what its client sends, proven on the wire: the suite runs through the
// command against a reference server that records every request it received.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReceivedRequest, type ReferenceServer } from '../../reference/server.ts';
import { TOKEN, runCli, tenantEnv } from '../hostile/helpers.ts';

interface PatchBody {
  Operations: Array<{ op: string; path?: string; value?: unknown }>;
}

let server: ReferenceServer;
beforeAll(async () => {
  server = await startReferenceServer({ token: TOKEN, port: 0 });
});
afterAll(() => server.close());

/** Runs the update, deactivate and group steps with a profile; answers what the server received. */
async function runProfile(profile: string, steps = '01,04,05,06'): Promise<ReceivedRequest[]> {
  server.reset();
  const result = await runCli(['--profile', profile, '--steps', steps], tenantEnv(server.baseUrl, { SCIM_TIMEOUT_MS: '5000' }), { timeoutMs: 60_000 });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  return [...server.received];
}

const patches = (received: ReceivedRequest[], path: RegExp) =>
  received.filter((r) => r.method === 'PATCH' && path.test(r.url)).map((r) => JSON.parse(r.body) as PatchBody);
/** The operations of well-formed PatchOp bodies (some checks send malformed ones on purpose). */
/** The bodies of POST /Groups. */
const groupCreates = (received: ReceivedRequest[]) =>
  received.filter((r) => r.method === 'POST' && /\/Groups$/.test(r.url)).map((r) => JSON.parse(r.body) as { schemas: string[]; members?: unknown });
const ADSCIM = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
const ops = (bodies: PatchBody[]) => bodies.flatMap((b) => (Array.isArray(b.Operations) ? b.Operations : [])).filter((o) => typeof o?.op === 'string');

describe('client profiles on the wire', () => {
  test('entra: capitalised ops, "active" as the string "False", members removed by a value list with "$ref": null', async () => {
    const received = await runProfile('entra');
    const userOps = ops(patches(received, /\/Users\//));
    expect(userOps).toContainEqual({ op: 'Replace', path: 'active', value: 'False' });
    const groupOps = ops(patches(received, /\/Groups\//));
    expect(groupOps.some((o) => o.op === 'Remove' && o.path === 'members' && JSON.stringify(o.value).includes('"$ref":null'))).toBe(true);
    expect(received.some((r) => r.method === 'PUT')).toBe(false);
    expect(received.some((r) => /filter=userName\+eq\+%22/.test(r.url))).toBe(true);
    expect(groupCreates(received).length).toBeGreaterThan(0);
    expect(groupCreates(received).every((g) => g.schemas.includes(ADSCIM))).toBe(true);
  });

  test('entra-2020: lowercase ops, a boolean "active", members removed by members[value eq], added without "$ref", a pathless replace with dotted keys', async () => {
    const received = await runProfile('entra-2020');
    const all = ops([...patches(received, /\/Users\//), ...patches(received, /\/Groups\//)]);
    expect(all.every((o) => o.op === o.op.toLowerCase()), JSON.stringify(all.filter((o) => o.op !== o.op.toLowerCase()))).toBe(true);
    expect(all).toContainEqual({ op: 'replace', path: 'active', value: false });
    expect(all.some((o) => o.op === 'remove' && /^members\[value eq "[^"]+"\]$/.test(o.path ?? ''))).toBe(true);
    const adds = all.filter((o) => o.op === 'add' && o.path === 'members');
    expect(adds.length).toBeGreaterThan(0);
    expect(JSON.stringify(adds)).not.toContain('$ref');
    expect(all.some((o) => o.path === undefined && typeof o.value === 'object' && o.value !== null && 'name.familyName' in o.value)).toBe(true);
  });

  test('okta: the Test Connector pages with count=2, create with a password and "groups": [], updates by PUT, pathless deactivation, the group restated with every membership change', async () => {
    const received = await runProfile('okta');
    expect(received.some((r) => r.method === 'GET' && r.url.endsWith('/Users?startIndex=1&count=2'))).toBe(true);
    const creates = received.filter((r) => r.method === 'POST' && /\/Users$/.test(r.url)).map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((c) => typeof c.password === 'string' && Array.isArray(c.groups))).toBe(true);
    expect(received.some((r) => r.method === 'PUT' && /\/Users\//.test(r.url))).toBe(true);
    const userOps = ops(patches(received, /\/Users\//));
    expect(userOps).toContainEqual({ op: 'replace', value: { active: false } });
    expect(userOps.every((o) => o.path === undefined), 'Okta PATCHes users only to (de)activate them').toBe(true);
    const groupPatches = patches(received, /\/Groups\//);
    expect(groupPatches.length).toBeGreaterThan(0);
    for (const body of groupPatches) expect(body.Operations[0]).toMatchObject({ op: 'replace', value: { displayName: expect.any(String), id: expect.any(String) } });
    // GROUP-17: a rename arrives with a membership change, in one PATCH.
    expect(groupPatches.some((b) => String((b.Operations[0]?.value as { displayName?: string }).displayName).includes('group-okta-renamed') && b.Operations.some((o) => o.op === 'add' && o.path === 'members'))).toBe(true);
    expect(groupCreates(received).every((g) => g.schemas.length === 1 && Array.isArray(g.members))).toBe(true);
    // Okta never deletes users: in step 05 alone, the only user DELETEs are the cleanup, after the last write of a check.
    const deactivateStep = await runProfile('okta', '05');
    const lastWrite = deactivateStep.map((r) => ['POST', 'PUT', 'PATCH'].includes(r.method)).lastIndexOf(true);
    expect(deactivateStep.slice(0, lastWrite).some((r) => r.method === 'DELETE' && /\/Users\//.test(r.url))).toBe(false);
  });

  test('rfc: percent-encoded filters and lowercase ops', async () => {
    const received = await runProfile('rfc');
    expect(received.some((r) => /filter=userName%20eq%20%22/.test(r.url))).toBe(true);
    // The first request is the command's own preflight, not the client's.
    expect(received.slice(1).some((r) => /filter=userName\+eq\+/.test(r.url))).toBe(false);
    const all = ops([...patches(received, /\/Users\//), ...patches(received, /\/Groups\//)]);
    expect(all.every((o) => o.op === o.op.toLowerCase())).toBe(true);
    expect(groupCreates(received).length).toBeGreaterThan(0);
    expect(groupCreates(received).every((g) => !g.schemas.includes(ADSCIM))).toBe(true);
  });
});

describe('okta takes 404 for no match', () => {
  test('the Test Connection and group lookups pass against a server that answers 404 when a filter matches nothing', async () => {
    const strict = await startReferenceServer({ token: TOKEN, port: 0, faults: ['empty-filter-404'] });
    try {
      const env = tenantEnv(strict.baseUrl, { SCIM_TIMEOUT_MS: '5000' });
      const okta = await runCli(['--profile', 'okta', '--steps', '01,06'], env, { timeoutMs: 60_000 });
      expect(okta.code, okta.stdout + okta.stderr).toBe(0);
      // The same server fails the clients that need the empty ListResponse.
      const entra = await runCli(['--profile', 'entra-2020', '--steps', '01'], env, { timeoutMs: 60_000 });
      expect(entra.code).not.toBe(0);
    } finally {
      await strict.close();
    }
  });
});
