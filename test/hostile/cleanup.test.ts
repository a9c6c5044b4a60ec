// Finding and deleting what a run left, and nothing else: by run-id prefix, page by page, with
// `filter=userName sw` where the server has it and plain paging where it does not, never
// trusting the server's filter, groups before users, and the run's journal on this machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { cleanupRun, forgetJournal } from '../../src/cleanup.ts';
import { ScimClient } from '../../src/client.ts';
import { journalDirOf, readJournal } from '../../src/ledger.ts';
import { RUN_ID, newRunId } from '../../src/target.ts';
import { TOKEN, runCli, startHostile, startProxy, tenantEnv, type Proxy } from './helpers.ts';

const RUN_A = 'scimc-20261128t1200-aaaaaa';
const RUN_B = 'scimc-20261128t1200-bbbbbb';

let reference: ReferenceServer;
const closers: Array<{ close(): Promise<void> }> = [];
beforeAll(async () => {
  reference = await startReferenceServer({ token: TOKEN, port: 0 });
});
afterEach(() => {
  reference.reset();
  forgetJournal(RUN_A);
});
afterAll(async () => {
  for (const c of closers) await c.close();
  await reference.close();
});

function client(baseUrl = reference.baseUrl): ScimClient {
  const c = new ScimClient({ baseUrl, token: TOKEN, timeoutMs: 2000, retries: 0 });
  closers.push(c);
  return c;
}

async function createUser(userName: string): Promise<string> {
  const res = await client().post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true });
  expect(res.status).toBe(201);
  return (res.json as { id: string }).id;
}

async function createGroup(displayName: string, members: string[] = []): Promise<string> {
  const res = await client().post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, members: members.map((value) => ({ value })) });
  expect(res.status).toBe(201);
  return (res.json as { id: string }).id;
}

/** Every userName and group displayName on the reference server, read past any proxy. */
async function namesOnServer(): Promise<string[]> {
  const c = client();
  const users = (await c.get('/Users?count=1000')).json as { Resources: Array<{ userName: string }> };
  const groups = (await c.get('/Groups?count=1000&excludedAttributes=members')).json as { Resources: Array<{ displayName: string }> };
  return [...users.Resources.map((u) => u.userName), ...groups.Resources.map((g) => g.displayName)].sort();
}

/** Two runs' resources, a member relation, and the tenant's own users. */
async function scenery(): Promise<void> {
  const a1 = await createUser(`${RUN_A}-create-1.Test_User@TestUser.example.com`);
  await createUser(`${RUN_A.toUpperCase()}-create-dup-2.TEST_USER@TESTUSER.EXAMPLE.COM`);
  await createGroup(`${RUN_A}-group-3`, [a1]);
  await createUser(`${RUN_B}-create-1.Test_User@TestUser.example.com`);
  await createGroup(`${RUN_B}-group-1`);
  await createUser('alice@example.com');
  await createUser(`scimc-lookalike@example.com`);
  await createGroup('Sales');
}

const OTHERS = ['Sales', 'alice@example.com', `${RUN_B}-create-1.Test_User@TestUser.example.com`, `${RUN_B}-group-1`, 'scimc-lookalike@example.com'].sort();

describe('cleanup of one run', () => {
  test('deletes exactly the run\'s users and groups, groups first, any case', async () => {
    await scenery();
    reference.received.length = 0;
    const result = await cleanupRun({ client: client(), runId: RUN_A, pageWithoutFilter: true });
    const sent = [...reference.received];
    expect(result.failed).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.deleted.map((f) => f.endpoint)).toEqual(['Groups', 'Users', 'Users']);
    expect(await namesOnServer()).toEqual(OTHERS);
    const deletes = sent.filter((r) => r.method === 'DELETE').map((r) => r.url.split('/')[3]);
    expect(deletes).toEqual(['Groups', 'Users', 'Users']);
    // It asked the server to filter by prefix (and used no unfiltered listing).
    const lists = sent.filter((r) => r.method === 'GET').map((r) => decodeURIComponent(r.url.replace(/\+/g, ' ')));
    expect(lists).toHaveLength(2);
    expect(lists.every((url) => url.includes(` sw "${RUN_A}-"`))).toBe(true);
  });

  test('--all-runs deletes every name that starts with a run id, and nothing else', async () => {
    await scenery();
    const result = await cleanupRun({ client: client(), allRuns: true, pageWithoutFilter: true });
    expect(result.deleted).toHaveLength(5);
    // "scimc-lookalike@..." starts with scimc- but not with a run id: left alone.
    expect(await namesOnServer()).toEqual(['Sales', 'alice@example.com', 'scimc-lookalike@example.com']);
  });

  test('a dry run deletes nothing', async () => {
    await scenery();
    const result = await cleanupRun({ client: client(), runId: RUN_A, pageWithoutFilter: true, dryRun: true });
    expect(result.deleted).toHaveLength(3);
    expect(reference.received.filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect(await namesOnServer()).toHaveLength(8);
  });
});

describe('servers that cannot filter or page properly', () => {
  let noSw: Proxy;
  beforeAll(async () => {
    // As many SCIM apps do: only `eq` is supported; `sw` is refused with 400 invalidFilter.
    noSw = await startProxy(reference.baseUrl, {
      intercept: (req, res) => {
        if (!/filter=[^&]*(\+|%20)sw(\+|%20)/i.test(req.url ?? '')) return false;
        res.writeHead(400, { 'content-type': 'application/scim+json' }).end('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidFilter"}');
        return true;
      },
    });
    closers.push(noSw);
  });

  test('without `sw`, the cleanup command pages through every user, one page at a time', async () => {
    reference.seedUsers(45, 'tenant-user');
    reference.seedUsers(12, RUN_A);
    await createGroup(`${RUN_A}-group-1`);
    noSw.requests.length = 0;
    const result = await cleanupRun({ client: client(noSw.baseUrl), runId: RUN_A, pageWithoutFilter: true, pageSize: 10 });
    expect(result.failed).toEqual([]);
    expect(result.deleted).toHaveLength(13);
    expect((await namesOnServer()).filter((n) => n.startsWith('scimc-'))).toEqual([]);
    expect(await namesOnServer()).toHaveLength(45);
    const pages = noSw.requests.filter((r) => r.method === 'GET' && r.url.startsWith('/scim/v2/Users?startIndex='));
    expect(pages.map((r) => new URL(r.url, 'http://x').searchParams.get('startIndex'))).toEqual(['1', '11', '21', '31', '41', '51']);
    expect(pages.every((r) => r.url.endsWith('&count=10'))).toBe(true);
  });

  test('without `sw`, the end of a run does not page through the tenant, and says so', async () => {
    reference.seedUsers(30, 'tenant-user');
    noSw.requests.length = 0;
    const result = await cleanupRun({ client: client(noSw.baseUrl), runId: RUN_A, pageWithoutFilter: false });
    expect(result.complete).toBe(false);
    expect(result.notes.join('\n')).toMatch(/the server does not support filter=userName sw \(GET .* answered 400\); \/Users was not searched by name/);
    expect(noSw.requests.some((r) => r.url.includes('startIndex=1&count=') && !r.url.includes('filter='))).toBe(false);
  });

  test('a server that ignores filters cannot make the cleanup delete anyone else', async () => {
    const ignoring = await startReferenceServer({ token: TOKEN, port: 0, faults: ['filter-ignored'] });
    closers.push(ignoring);
    const c = new ScimClient({ baseUrl: ignoring.baseUrl, token: TOKEN, timeoutMs: 2000, retries: 0 });
    closers.push(c);
    ignoring.seedUsers(5, 'tenant-user');
    ignoring.seedUsers(2, RUN_A);
    const result = await cleanupRun({ client: c, runId: RUN_A, pageWithoutFilter: true });
    expect(result.deleted.map((f) => f.name)).toEqual([`${RUN_A}-00001`, `${RUN_A}-00002`]);
    const left = ((await c.get('/Users')).json as { totalResults: number }).totalResults;
    expect(left).toBe(5);
  });

  test('a server that answers the same page whatever the startIndex: the listing ends, and says it is incomplete', async () => {
    const stuck = await startHostile((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end(
        JSON.stringify({ totalResults: 1000, Resources: [{ id: '1', userName: 'someone' }, { id: '2', userName: `${RUN_A}-x-1` }] }),
      ),
    );
    closers.push(stuck);
    const result = await cleanupRun({ client: client(stuck.baseUrl), runId: RUN_A, pageWithoutFilter: true, dryRun: true });
    expect(result.complete).toBe(false);
    expect(result.notes.join('\n')).toContain('(it ignores startIndex); only its first 2 resources were searched');
    expect(stuck.requests.length).toBeLessThan(10);
    expect(result.deleted.map((f) => f.id)).toEqual(['2']);
  });
});

describe('the journal', () => {
  test('ids the run created are read back first; one that now holds someone else\'s name is left alone', async () => {
    const mine = await createUser(`${RUN_A}-create-1.Test_User@TestUser.example.com`);
    const reused = await createUser('bob@example.com');
    const dir = journalDirOf(RUN_A);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, '1-aa.jsonl'),
      [
        { op: 'created', path: `/Users/${mine}`, name: 'x' },
        { op: 'created', path: `/Users/${reused}`, name: `${RUN_A}-old` },
        { op: 'created', path: '/Users/gone', name: `${RUN_A}-gone` },
        { op: 'deleted', path: '/Users/gone' },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n{"op":"created","path":"/Users/tor', // a process killed mid-write
    );
    expect(readJournal(dir).leftovers.map((l) => l.path)).toEqual([`/Users/${mine}`, `/Users/${reused}`]);
    const result = await cleanupRun({ client: client(), runId: RUN_A, pageWithoutFilter: true });
    expect(result.deleted.map((f) => f.id)).toEqual([mine]);
    expect(result.notes.join('\n')).toContain(`/Users/${reused} now holds "bob@example.com", not a name of this run; left alone`);
    expect(await namesOnServer()).toEqual(['bob@example.com']);
  });

  test('a create whose answer was lost is found by its exact name', async () => {
    const name = `${RUN_A}-lost-1.Test_User@TestUser.example.com`;
    await createUser(name);
    await createUser(`${name}.twin`);
    const dir = journalDirOf(RUN_A);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '2-bb.jsonl'), `${JSON.stringify({ op: 'unconfirmed', endpoint: 'Users', name })}\n`);
    // Filtered listing off (as on a server without sw): the lookup by name alone must find it.
    const noSw = await startProxy(reference.baseUrl, {
      intercept: (req, res) => (/(\+|%20)sw(\+|%20)/.test(req.url ?? '') ? (res.writeHead(400).end(), true) : false),
    });
    closers.push(noSw);
    const result = await cleanupRun({ client: client(noSw.baseUrl), runId: RUN_A, pageWithoutFilter: false });
    expect(result.deleted.map((f) => f.name)).toEqual([name]);
    expect(await namesOnServer()).toEqual([`${name}.twin`]);
  });
});

describe('run ids', () => {
  test('new run ids are unique, sortable and match the pattern the cleanup command accepts', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newRunId(new Date('2026-11-28T13:45:00Z'))));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^scimc-20261128t1345-[0-9a-z]{6}$/);
    for (const id of ids) expect(RUN_ID.test(id)).toBe(true);
  });

  test('the cleanup command refuses what is not a run id, before any request', async () => {
    const result = await runCli(['cleanup', '--run-id', 'alice'], tenantEnv('http://127.0.0.1:1/scim/v2'));
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('scim-conformance: --run-id: "alice" is not a run id; they look like scimc-20261128t1345-k3f9a2');
    const neither = await runCli(['cleanup'], tenantEnv('http://127.0.0.1:1/scim/v2'));
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('cleanup needs either --run-id ID (printed at the start of the run) or --all-runs');
  });
});
