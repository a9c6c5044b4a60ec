// The cleanup guarantee on a real run: the suite runs as a child process against the reference
// server behind a proxy that, after a few creates, stops answering (a tenant stuck mid-step).
// - SIGINT / SIGTERM: the run stops, what it created is deleted, exit status 130 / 143.
// - SIGKILL: nothing can run; `scim-conformance cleanup --run-id` afterwards deletes the leftovers.
// - Two runs at once, and resources of other runs, are never touched.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import { ScimClient } from '../../src/client.ts';
import { STACK_FRAME, TOKEN, runCli, startCli, startProxy, tenantEnv, type CliRun, type Proxy } from './helpers.ts';

const OTHER_RUN = 'scimc-20261128t1200-others';

let reference: ReferenceServer;
let proxy: Proxy | undefined;
let admin: ScimClient;

beforeAll(async () => {
  reference = await startReferenceServer({ token: TOKEN, port: 0 });
  admin = new ScimClient({ baseUrl: reference.baseUrl, token: TOKEN, timeoutMs: 5000, retries: 0 });
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  reference.reset();
});
afterAll(async () => {
  await admin.close();
  await reference.close();
});

/** The tenant's own users and another run's, which no run may touch. */
async function bystanders(): Promise<void> {
  reference.seedUsers(3, 'tenant-user');
  reference.seedUsers(2, OTHER_RUN);
  const res = await admin.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `${OTHER_RUN}-group-1` });
  expect(res.status).toBe(201);
}

/** userNames and displayNames on the reference server that start with `prefix`. */
async function namesOf(prefix: string): Promise<string[]> {
  const users = (await admin.get('/Users?count=1000')).json as { Resources: Array<{ userName: string }> };
  const groups = (await admin.get('/Groups?count=1000&excludedAttributes=members')).json as { Resources: Array<{ displayName: string }> };
  return [...users.Resources.map((u) => u.userName), ...groups.Resources.map((g) => g.displayName)].filter((n) => n.toLowerCase().startsWith(prefix.toLowerCase()));
}

async function expectBystandersIntact(): Promise<void> {
  expect((await namesOf('tenant-user')).sort()).toEqual(['tenant-user-00001', 'tenant-user-00002', 'tenant-user-00003']);
  expect((await namesOf(OTHER_RUN)).sort()).toEqual([`${OTHER_RUN}-00001`, `${OTHER_RUN}-00002`, `${OTHER_RUN}-group-1`]);
}

/**
 * Starts a run of specs/06 (groups and users) through a proxy that holds every request after
 * the fourth create, and waits until the run is stuck there. Answers the run and its id.
 */
async function stuckRun(): Promise<{ cli: CliRun; runId: string }> {
  let creates = 0;
  proxy = await startProxy(reference.baseUrl, { holdWhen: (seen) => seen.method === 'POST' && ++creates > 4 });
  const cli = startCli(['run', 'specs/06'], tenantEnv(proxy.baseUrl, { SCIM_TIMEOUT_MS: '30000' }));
  await cli.waitFor(/scim-conformance: run scimc-/);
  const runId = /scim-conformance: run (scimc-[a-z0-9-]+)/.exec(cli.output().stdout)![1]!;
  await proxy.held();
  return { cli, runId };
}

describe('a run stopped by a signal deletes what it created before it exits', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal}: exit status ${status}, nothing of the run left, nothing else touched`, async () => {
      await bystanders();
      const { cli, runId } = await stuckRun();
      const before = await namesOf(runId);
      expect(before.length).toBeGreaterThanOrEqual(3);
      cli.child.kill(signal);
      // The vitest process and its workers stop at once: the held request's connection closes.
      await proxy!.abandoned();
      proxy!.release();
      const result = await cli.done;
      const output = result.stdout + result.stderr;
      expect(result.code, output).toBe(status);
      expect(result.stderr).toContain(`scim-conformance: ${signal}: stopping the run, then deleting what it created on the tenant`);
      expect(result.stdout).toMatch(new RegExp(`scim-conformance: cleanup at the end of the run deleted ${before.length} resource\\(s\\) the run had left: /Groups/`));
      expect(await namesOf(runId)).toEqual([]);
      await expectBystandersIntact();
      expect(output).not.toMatch(STACK_FRAME);
      expect(output).not.toContain(TOKEN);
    });
  }

  test('the same signal twice exits at once, without cleanup, and says how to clean up later', async () => {
    const { cli, runId } = await stuckRun();
    cli.child.kill('SIGTERM');
    await cli.waitFor(/SIGTERM: stopping the run/);
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.code).toBe(143);
    expect(result.stderr).toContain(`scim-conformance: SIGTERM again: exiting without cleanup; to delete what run ${runId} left, run: scim-conformance cleanup --run-id ${runId}`);
    await proxy!.abandoned();
  });
});

describe('a run killed outright (SIGKILL)', () => {
  test('leaves its vitest process no time to go on, and `cleanup --run-id` deletes exactly its leftovers', async () => {
    await bystanders();
    const { cli, runId } = await stuckRun();
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    // The vitest process notices its supervisor is gone and stops, and its workers with it.
    await proxy!.abandoned();
    const requestsAtDeath = proxy!.requests.length;
    proxy!.release();
    await sleep(600);
    expect(proxy!.requests.length).toBe(requestsAtDeath);
    const leftovers = await namesOf(runId);
    expect(leftovers.length).toBeGreaterThanOrEqual(3);

    const cleanup = await runCli(['cleanup', '--run-id', runId], tenantEnv(reference.baseUrl));
    expect(cleanup.code, cleanup.stdout + cleanup.stderr).toBe(0);
    expect(cleanup.stdout).toContain(`scim-conformance: cleanup of run ${runId} on 127.0.0.1:`);
    expect(cleanup.stdout).toMatch(/deleted \d+ group\(s\) and \d+ user\(s\) of run /);
    expect(cleanup.stdout.match(/^ {2}deleted \/(Users|Groups)\//gm)).toHaveLength(leftovers.length);
    // Groups are deleted before users.
    const order = cleanup.stdout.match(/^ {2}deleted \/(Users|Groups)/gm)!.map((l) => l.slice(11));
    expect(order).toEqual([...order].sort((a, b) => Number(b === 'Groups') - Number(a === 'Groups')));
    expect(await namesOf(runId)).toEqual([]);
    await expectBystandersIntact();

    // Run again: nothing is left, and it says so.
    const again = await runCli(['cleanup', '--run-id', runId], tenantEnv(reference.baseUrl));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('deleted 0 group(s) and 0 user(s)');
  }, 30_000);
});

describe('the end of the run deletes what the spec files could not', () => {
  test('creates whose answer was lost (the server made them, the connection broke): found by name and deleted', async () => {
    // Every second POST /Users reaches the reference server, which creates the user, but the answer
    // never arrives. The server knows no `sw` filter, so only the lookup by exact name can find them.
    let posts = 0;
    proxy = await startProxy(reference.baseUrl, {
      intercept: (req: IncomingMessage, res: ServerResponse, seen) => {
        if (/filter=[^&]*\+sw\+/.test(seen.url)) return (res.writeHead(400, { 'content-type': 'application/scim+json' }).end('{"status":"400"}'), true);
        if (req.method !== 'POST' || !seen.url.startsWith('/scim/v2/Users') || ++posts % 2 === 1) return false;
        const upstream = new URL(reference.baseUrl);
        const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: 'POST', path: seen.url, headers: req.headers }, (answer) => {
          answer.resume();
          answer.on('end', () => res.socket?.destroy());
        });
        forward.end(seen.body);
        return true;
      },
    });
    await bystanders();
    const result = await runCli(['run', 'specs/03'], tenantEnv(proxy.baseUrl, { SCIM_TIMEOUT_MS: '5000' }));
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(1);
    expect(output).toContain('was closed before any answer');
    const runId = /scim-conformance: run (scimc-[a-z0-9-]+)/.exec(result.stdout)![1]!;
    expect(result.stdout).toMatch(/scim-conformance: cleanup at the end of the run deleted \d+ resource\(s\) the run had left: \/Users\//);
    expect(await namesOf(runId)).toEqual([]);
    await expectBystandersIntact();
  }, 30_000);

  test('deletes that failed at the end of a spec file are tried again at the end of the run', async () => {
    let failDeletes = true;
    proxy = await startProxy(reference.baseUrl, {
      intercept: (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'DELETE' || !failDeletes) return false;
        res.writeHead(503, { 'content-type': 'text/html' }).end('<html><head><title>503 Service Unavailable</title></head></html>');
        return true;
      },
    });
    const cli = startCli(['run', 'specs/06'], tenantEnv(proxy.baseUrl, { SCIM_TIMEOUT_MS: '5000' }));
    // The spec file's own cleanup has run (and failed) once vitest prints its verdict.
    await cli.waitFor(/^verdict: /m);
    failDeletes = false;
    const result = await cli.done;
    const runId = /scim-conformance: run (scimc-[a-z0-9-]+)/.exec(result.stdout)![1]!;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not delete \d+ resource\(s\) this spec file created; the end of the run tries again: \/Groups\/.* \(503\)/);
    expect(result.stdout).toMatch(/scim-conformance: cleanup at the end of the run deleted \d+ resource\(s\) the run had left: \/Groups\//);
    expect(await namesOf(runId)).toEqual([]);
  }, 30_000);
});

describe('runs side by side', () => {
  test('two runs at once against one tenant both pass, and leave every other resource alone', async () => {
    await bystanders();
    const env = tenantEnv(reference.baseUrl, { SCIM_TIMEOUT_MS: '10000' });
    const [first, second] = await Promise.all([runCli(['run', 'specs/06'], env), runCli(['run', 'specs/01'], env)]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const runIds = [first, second].map((r) => /scim-conformance: run (scimc-[a-z0-9-]+)/.exec(r.stdout)![1]!);
    expect(runIds[0]).not.toBe(runIds[1]);
    expect((await namesOf('scimc-')).filter((n) => !n.startsWith(OTHER_RUN))).toEqual([]);
    await expectBystandersIntact();
  }, 40_000);
});
