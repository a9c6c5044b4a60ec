// The load driver against a scripted endpoint: pacing, counting, 429/Retry-After honoured for
// every request, answers that never come, the time budget, and samples kept small.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ScimClient } from '../../src/client.ts';
import { LoadDriver } from '../../src/load/driver.ts';
import { answersTable, fullReport, throttlingTable } from '../../src/load/report.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let handler: Handler;
let server: Server;
let base: string;
let count = 0;
const arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      handler(req, res, ++count);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  count = 0;
  arrivals.length = 0;
  handler = (_req, res) => json(res, 200, { totalResults: 0, Resources: [] });
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
  res.end(JSON.stringify(body));
}

function driver(options: Partial<ConstructorParameters<typeof LoadDriver>[0]> = {}) {
  const client = new ScimClient({ baseUrl: base, token: 'tok-load-driver-test', timeoutMs: 1_000, retries: 0 });
  return new LoadDriver({ client, ratePerSecond: 200, concurrency: 4, retries: 3, ...options });
}

const get = (path = '/Users?filter=userName+eq+%22x%22') => ({ method: 'GET', path });

describe('LoadDriver', () => {
  test('paces starts to the rate and counts answers by kind and status', async () => {
    const d = driver({ ratePerSecond: 100, concurrency: 5 });
    handler = (req, res, n) => (req.method === 'POST' ? json(res, n % 5 === 0 ? 500 : 201, { id: `u${n}` }) : json(res, 200, { totalResults: 0 }));
    await d.forEach(Array.from({ length: 20 }, (_, i) => i), async () => {
      await d.send('lookup user', get(), [200]);
      await d.send('create user', { method: 'POST', path: '/Users', body: { userName: 'x' } }, [201]);
    });
    const report = d.report();
    expect(report.attempts).toBe(40);
    expect(report.answered).toBe(40);
    // 40 starts at 100/s: the last no sooner than 0.37 s after the first (a burst of 2 allowed;
    // the first arrival is late by a connection set-up). Only lower bounds: a busy machine is slower, never faster.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(330);
    expect(report.achievedRate).toBeLessThanOrEqual(110);
    const lookup = report.answers.find((a) => a.kind === 'lookup user' && a.status === '200');
    expect(lookup?.count).toBe(20);
    const errors = report.answers.filter((a) => a.status === '500').reduce((n, a) => n + a.count, 0);
    expect(report.unexpected).toEqual([{ kind: 'create user', what: 'status 500', count: errors }]);
    expect(report.latency.map((l) => l.kind)).toEqual(['lookup user', 'create user']);
    const samples = d.samples();
    expect(samples.typical).toHaveLength(2);
    expect(samples.unexpected[0]?.response?.status).toBe(500);
    expect(answersTable(report)).toContain('| create user');
    expect(fullReport(report, { users: 20, groups: 0, membersPerPatch: 10 })).toContain('achieved rate');
  });

  test('a 429 with Retry-After holds EVERY start until it has passed, then the request is retried', async () => {
    const d = driver({ ratePerSecond: 200, concurrency: 3 });
    handler = (_req, res, n) => (n === 3 ? json(res, 429, { status: '429' }, { 'retry-after': '1' }) : json(res, 200, { totalResults: 0 }));
    await d.forEach(Array.from({ length: 9 }, (_, i) => i), async () => {
      await d.send('lookup user', get(), [200]);
    });
    const report = d.report();
    expect(report.throttled).toBe(1);
    expect(report.answered).toBe(9);
    expect(report.attempts).toBe(10);
    expect(report.unexpected).toEqual([]);
    const [event] = report.throttling;
    expect(event).toMatchObject({ status: 429, retryAfter: '1', waitMs: 1000, gaveUp: false });
    expect(event!.gapMs).toBeGreaterThanOrEqual(995);
    // Nothing started during the pause: no arrival lies between the 429 and a second later.
    const throttledAt = arrivals[2]!;
    expect(arrivals.filter((t) => t > throttledAt + 20 && t < throttledAt + 990)).toEqual([]);
    expect(report.pausedMs).toBeGreaterThanOrEqual(990);
    expect(throttlingTable(report)).toMatch(/\| yes/);
    expect(d.samples().throttled).toHaveLength(1);
  });

  test('a 429 without Retry-After backs off 0.5 s, 1 s ...; out of retries the 429 is the answer', async () => {
    const d = driver({ retries: 1 });
    handler = (_req, res) => json(res, 429, { status: '429' });
    const sent = await d.send('create user', { method: 'POST', path: '/Users', body: {} }, [201]);
    expect(sent.ok).toBe(false);
    expect(sent.res?.status).toBe(429);
    const report = d.report();
    expect(report.throttling).toEqual([
      expect.objectContaining({ status: 429, waitMs: 500, gaveUp: false }),
      expect.objectContaining({ status: 429, gaveUp: true }),
    ]);
    expect(report.throttling[0]!.retryAfter).toBeUndefined();
    expect(report.unexpected).toEqual([{ kind: 'create user', what: 'status 429', count: 1 }]);
  });

  test('a Retry-After longer than the longest wait is not waited for', async () => {
    const d = driver({ maxRetryWaitMs: 2_000 });
    handler = (_req, res) => json(res, 429, {}, { 'retry-after': '3600' });
    const started = performance.now();
    const sent = await d.send('lookup user', get(), [200]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(sent.res?.status).toBe(429);
    expect(d.report().throttling[0]).toMatchObject({ retryAfter: '3600', gaveUp: true });
  });

  test('a 503 with Retry-After is retried like a 429, and counted as a 5xx answer', async () => {
    const d = driver();
    handler = (_req, res, n) => (n === 1 ? json(res, 503, {}, { 'retry-after': '0' }) : json(res, 200, { totalResults: 0 }));
    const sent = await d.send('lookup user', get(), [200]);
    expect(sent.ok).toBe(true);
    const report = d.report();
    expect(report.answers).toEqual([
      { kind: 'lookup user', status: '503', count: 1 },
      { kind: 'lookup user', status: '200', count: 1 },
    ]);
    expect(report.throttled).toBe(0);
  });

  test('a request that gets no answer is counted, sampled and reported, never thrown', async () => {
    const d = driver();
    handler = (req) => req.socket.destroy();
    const sent = await d.send('create group', { method: 'POST', path: '/Groups', body: {} }, [201]);
    expect(sent.ok).toBe(false);
    expect(sent.error).toMatch(/POST/);
    const report = d.report();
    expect(report.noAnswer).toBe(1);
    expect(report.unexpected[0]?.what).toMatch(/^no answer: /);
    expect(d.samples().unexpected[0]?.error).toBeDefined();
  });

  test('a timeout is counted as one', async () => {
    const d = driver({ client: new ScimClient({ baseUrl: base, token: 'tok-load-driver-test', timeoutMs: 200, retries: 0 }) });
    handler = () => {};
    await d.send('lookup user', get(), [200]);
    expect(d.report()).toMatchObject({ noAnswer: 1, timeouts: 1 });
  });

  test('once the time budget has run out no request is started; the report says so', async () => {
    const d = driver({ ratePerSecond: 20, concurrency: 1, budgetMs: 150 });
    await d.forEach(Array.from({ length: 10 }, (_, i) => i), async () => {
      await d.send('lookup user', get(), [200]);
    });
    const report = d.report();
    expect(report.attempts).toBeGreaterThan(1);
    expect(report.attempts).toBeLessThan(10);
    expect(report.notSent).toBe(10 - report.attempts);
    expect(report.stopped).toMatch(/time budget/);
  });

  test('problem() records wrong content under its kind', () => {
    const d = driver();
    d.problem('lookup user', 'found someone');
    d.problem('lookup user', 'found someone');
    expect(d.report().problems).toEqual([{ kind: 'lookup user', message: 'found someone', count: 2 }]);
  });
});
