// specs/07-initial-sync against endpoints that pass and fail it: a clean reference server, and
// the same server behind a proxy that answers 300 ms late (what the reference server's
// `slow-responses` fault does), answers some requests with 500, throttles with 429 (once with
// Retry-After, once without), or never answers one request. One vitest run (Node API) with one
// inline project per endpoint; each check's outcome is read back from its meta. Small syncs
// (30 users, 2 groups) keep it quick; the numbers that matter are outcomes, never timings.
import { fileURLToPath } from 'node:url';
import type { RunnerTask, RunnerTestCase } from 'vitest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startVitest } from 'vitest/node';
import { startReferenceServer, type ReferenceServer } from '../../reference/server.ts';
import type { CheckOutcome } from '../../src/check-meta.ts';
import { SPEC_SETUP_FILES } from '../../src/setup-files.ts';
import type { LoadMeta } from '../../src/load/report.ts';
import type { Target } from '../../src/target.ts';
import { startProxy, type Decision, type Proxy, type ProxyRequest } from './proxy.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'tok-load-e2e-3b9d1f7a';
// Paced at twice Entra's rate, so that a clean endpoint passes LOAD-01 (25 per second) with room to
// spare on a busy machine, while 300 ms answers (5 in flight: at most 16.7 per second) still fail it.
const LOAD = { users: 30, groups: 2, rate: 50, concurrency: 5 };
const OFF = 'load step off (SCIM_LOAD=1 to run it)';

interface Scenario {
  name: string;
  /** No proxy when undefined. */
  proxy?: (req: ProxyRequest) => Decision;
  load?: typeof LOAD;
  timeoutMs?: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'off' },
  { name: 'clean', load: LOAD },
  { name: 'slow', load: LOAD, proxy: () => ({ delayMs: 300 }) },
  { name: 'errors', load: LOAD, proxy: ({ n }) => (n % 10 === 0 ? { status: 500 } : 'pass') },
  {
    name: 'throttled',
    load: LOAD,
    proxy: ({ n }) => (n === 10 ? { status: 429, headers: { 'retry-after': '1' } } : n === 20 ? { status: 429 } : 'pass'),
  },
  { name: 'hang', load: LOAD, timeoutMs: 1_000, proxy: ({ n }) => (n === 15 ? 'hang' : 'pass') },
];

interface Result {
  outcome?: CheckOutcome;
  load?: LoadMeta;
  exchanges: number;
}

const results = new Map<string, Map<string, Result>>();
const servers: ReferenceServer[] = [];
const proxies: Proxy[] = [];

function* testsOf(tasks: readonly RunnerTask[]): Generator<RunnerTestCase> {
  for (const task of tasks) {
    if (task.type === 'test') yield task;
    else if ('tasks' in task) yield* testsOf(task.tasks);
  }
}

beforeAll(async () => {
  const projects = [];
  for (const scenario of SCENARIOS) {
    const server = await startReferenceServer({ token: TOKEN });
    servers.push(server);
    let baseUrl = server.baseUrl;
    if (scenario.proxy) {
      const proxy = await startProxy(new URL(server.baseUrl).origin, scenario.proxy);
      proxies.push(proxy);
      baseUrl = `${proxy.origin}${new URL(server.baseUrl).pathname}`;
    }
    const target: Target = {
      baseUrl,
      token: TOKEN,
      profile: 'entra',
      timeoutMs: scenario.timeoutMs ?? 10_000,
      retries: 3,
      groups: true,
      runId: `scimc-load-e2e-${scenario.name}`,
      embedded: true,
      readOnly: false,
      ...(scenario.load && { load: scenario.load }),
    };
    projects.push({ test: { name: `load:${scenario.name}`, include: ['specs/07-initial-sync.spec.ts'], setupFiles: [...SPEC_SETUP_FILES], provide: { target }, testTimeout: 60_000, hookTimeout: 120_000 } });
  }
  const vitest = await startVitest('test', [], { root: ROOT, config: false, run: true, watch: false, reporters: [{}], maxWorkers: 2 }, { test: { projects } });
  try {
    for (const file of vitest.state.getFiles()) {
      const byId = new Map<string, Result>();
      for (const t of testsOf(file.tasks)) {
        if (t.meta.check) byId.set(t.meta.check.id, { ...(t.meta.outcome && { outcome: t.meta.outcome }), ...(t.meta.load && { load: t.meta.load }), exchanges: t.meta.exchanges?.length ?? 0 });
      }
      results.set(String(file.projectName).replace(/^load:/, ''), byId);
    }
  } finally {
    await vitest.close();
  }
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([...proxies.map((p) => p.close()), ...servers.map((s) => s.close())]);
});

const status = (scenario: string, id: string) => results.get(scenario)?.get(id)?.outcome?.status;
const IDS = ['LOAD-01', 'LOAD-02', 'LOAD-03', 'LOAD-04', 'LOAD-05'];

describe('the initial-sync load step', () => {
  test('off: every LOAD check is skipped as not applicable, saying how to turn it on', () => {
    for (const id of IDS) {
      expect(results.get('off')?.get(id)?.outcome).toMatchObject({ status: 'skipped', skip: 'not-applicable', message: OFF });
    }
  });

  test('clean reference server: every LOAD check passes; results go to meta.load with few exchanges', () => {
    for (const id of IDS) expect(`${id} ${status('clean', id)}`).toBe(`${id} passed`);
    const load = results.get('clean')!.get('LOAD-01')!.load!;
    expect(load.report.attempts).toBeGreaterThanOrEqual(68);
    expect(load.report.answered).toBe(load.report.attempts);
    expect(load.table).toMatch(/achieved rate/);
    expect(load.scenario).toEqual({ users: 30, groups: 2, membersPerPatch: 10 });
    for (const id of IDS) expect(results.get('clean')!.get(id)!.exchanges).toBeLessThanOrEqual(6);
    // Everything created was deleted again.
    const server = servers[SCENARIOS.findIndex((s) => s.name === 'clean')]!;
    const deletes = server.received.filter((r) => r.method === 'DELETE').length;
    expect(deletes).toBe(32);
  });

  test('answers 300 ms late (the slow-responses fault): LOAD-01 warns with the reason, the rest pass', () => {
    expect(status('slow', 'LOAD-01')).toBe('warned');
    expect(results.get('slow')!.get('LOAD-01')!.outcome!.message).toMatch(/can answer at most \d+\.\d requests per second/);
    for (const id of ['LOAD-02', 'LOAD-03', 'LOAD-04', 'LOAD-05']) expect(`${id} ${status('slow', id)}`).toBe(`${id} passed`);
  });

  test('some answers are 500: LOAD-03 and LOAD-04 warn, with a 500 exchange attached', () => {
    expect(status('errors', 'LOAD-03')).toBe('warned');
    expect(status('errors', 'LOAD-04')).toBe('warned');
    expect(results.get('errors')!.get('LOAD-03')!.outcome!.message).toMatch(/answers were 5xx: \d+ x 500/);
    expect(results.get('errors')!.get('LOAD-03')!.exchanges).toBeGreaterThanOrEqual(1);
    expect(status('errors', 'LOAD-02')).toBe('passed');
  });

  test('429 once with Retry-After and once without: retried, so Entra\'s sequence completes; LOAD-05 reports the bare 429', () => {
    expect(status('throttled', 'LOAD-04')).toBe('passed');
    expect(status('throttled', 'LOAD-03')).toBe('passed');
    expect(status('throttled', 'LOAD-05')).toBe('warned');
    const report = results.get('throttled')!.get('LOAD-05')!.load!.report;
    expect(report.throttled).toBe(2);
    const honoured = report.throttling.find((t) => t.retryAfter === '1');
    expect(honoured?.gapMs).toBeGreaterThanOrEqual(995);
    expect(report.pausedMs).toBeGreaterThanOrEqual(1_000);
  });

  test('one request never answered: LOAD-02 and LOAD-04 warn', () => {
    expect(status('hang', 'LOAD-02')).toBe('warned');
    expect(results.get('hang')!.get('LOAD-02')!.outcome!.message).toMatch(/1 of \d+ requests got no answer \(1 timed out after 1000 ms\)/);
    expect(status('hang', 'LOAD-04')).toBe('warned');
    expect(status('hang', 'LOAD-03')).toBe('passed');
  });
});
