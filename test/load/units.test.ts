// The load step's small parts: pacing, the concurrency pool, percentiles, tables.
import { describe, expect, test } from 'vitest';
import { percentile, summarize, LatencyStats } from '../../src/load/latency.ts';
import { Pacer } from '../../src/load/pacer.ts';
import { chunks, forEachConcurrently } from '../../src/load/pool.ts';
import { formatMs, markdownTable } from '../../src/load/table.ts';

/** A clock that only moves when someone sleeps on it. */
function fakeClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('Pacer', () => {
  test('starts requests at the rate: 25/s is one every 40 ms after the first', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ ratePerSecond: 25, burst: 1, ...clock });
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.take();
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 40, 80, 120, 160]);
  });

  test('late wake-ups are not lost: with a burst of 2, 100 starts at 25/s take 3.96 s however late the timer fires', async () => {
    let t = 0;
    // Every sleep overshoots by 3 ms, as timers do on a busy machine.
    const pacer = new Pacer({ ratePerSecond: 25, burst: 2, now: () => t, sleep: async (ms) => void (t += ms + 3) });
    for (let i = 0; i < 100; i++) await pacer.take();
    expect(t).toBeGreaterThanOrEqual(99 * 40 - 1);
    expect(t).toBeLessThanOrEqual(99 * 40 + 3 * 2);
  });

  test('never lets more than `burst` start at once after an idle spell', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, burst: 2, ...clock });
    await pacer.take();
    clock.advance(10_000);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await pacer.take();
      starts.push(clock.now());
    }
    expect(starts).toEqual([10_000, 10_000, 10_100, 10_200]);
  });

  test('pauseUntil holds every start until then, and the rate starts afresh (no saved-up burst)', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, burst: 5, ...clock });
    await pacer.take();
    pacer.pauseUntil(2_000);
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pacer.take();
      starts.push(clock.now());
    }
    expect(starts).toEqual([2_100, 2_200, 2_300]);
    expect(pacer.pausedMs).toBe(2_000);
  });

  test('overlapping pauses are counted once', () => {
    const clock = fakeClock();
    const pacer = new Pacer({ ratePerSecond: 10, ...clock });
    pacer.pauseUntil(1_000);
    pacer.pauseUntil(1_500);
    pacer.pauseUntil(800);
    expect(pacer.pausedMs).toBe(1_500);
  });

  test('refuses a rate that is not positive', () => {
    expect(() => new Pacer({ ratePerSecond: 0 })).toThrow(/positive/);
  });
});

describe('forEachConcurrently', () => {
  test('has at most `concurrency` workers in progress, and every item is worked on once, in order of taking', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running++;
      most = Math.max(most, running);
      seen.push(item);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    });
    expect(most).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('a worker that throws stops the taking of items; the error comes out once the others finish', async () => {
    const seen: number[] = [];
    const run = forEachConcurrently([1, 2, 3, 4, 5, 6], 2, async (item) => {
      seen.push(item);
      await new Promise((r) => setTimeout(r, 2));
      if (item === 2) throw new Error('boom');
    });
    await expect(run).rejects.toThrow('boom');
    expect(seen.length).toBeLessThan(6);
  });

  test('chunks splits a list into pieces of at most n', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 10)).toEqual([]);
  });
});

describe('latency percentiles (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  test('p50/p95/p99 of 1..100 are 50, 95, 99: values that were measured', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  test('with few samples the p99 is the largest, not an interpolation', () => {
    expect(percentile([10, 20, 30], 99)).toBe(30);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([7], 50)).toBe(7);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });

  test('summarize sorts; LatencyStats keeps kinds apart and in first-seen order', () => {
    expect(summarize([30, 10, 20])).toMatchObject({ count: 3, p50: 20, max: 30, mean: 20 });
    const stats = new LatencyStats();
    stats.add('create user', 5);
    stats.add('lookup user', 1);
    stats.add('create user', 15);
    expect(stats.kinds()).toEqual(['create user', 'lookup user']);
    expect(stats.of('create user')).toMatchObject({ count: 2, p50: 5, max: 15 });
    expect(stats.overall().count).toBe(3);
  });
});

describe('markdownTable', () => {
  test('pads columns, right-aligns numeric ones, escapes pipes', () => {
    const table = markdownTable(['request', 'count', 'p50 ms'], [['lookup | user', 200, '2.21'], ['create user', 5, '-']]);
    expect(table).toBe(
      [
        '| request        | count | p50 ms |',
        '| -------------- | ----: | -----: |',
        '| lookup \\| user |   200 |   2.21 |',
        '| create user    |     5 |      - |',
      ].join('\n'),
    );
  });

  test('formatMs keeps three significant figures or so', () => {
    expect(formatMs(1234.4)).toBe('1234');
    expect(formatMs(12.345)).toBe('12.3');
    expect(formatMs(0.4242)).toBe('0.42');
    expect(formatMs(Number.NaN)).toBe('-');
  });
});

describe('reference/latency.ts (the slow-responses fault)', () => {
  test('waits SLOW_RESPONSE_MS when the fault is on, nothing when it is off', async () => {
    const { respondSlowly, SLOW_RESPONSE_MS } = await import('../../reference/latency.ts');
    expect(SLOW_RESPONSE_MS).toBe(300);
    let started = performance.now();
    await respondSlowly({ has: (name) => name === 'slow-responses' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(SLOW_RESPONSE_MS - 5);
    started = performance.now();
    await respondSlowly({ has: () => false });
    expect(performance.now() - started).toBeLessThan(SLOW_RESPONSE_MS);
  });
});

describe('LoadStepLast (the sequencer in vitest.config.ts)', () => {
  test('hands specs/07-initial-sync.spec.ts out after every other spec file, keeping the others in vitest\'s order', async () => {
    const { LoadStepLast } = await import('../../src/load/sequencer.ts');
    const project = { name: 'conformance', config: { sequence: { groupOrder: 0 }, isolate: false } };
    const spec = (file: string) => ({ moduleId: `/repo/${file}`, project });
    // No cached results or stats: vitest keeps the given order, so only the load step moves.
    const ctx = { cache: { getFileTestResults: () => undefined, getFileStats: () => undefined }, config: { root: '/repo' } };
    const sequencer = new LoadStepLast(ctx as never);
    const files = ['specs/07-initial-sync.spec.ts', 'specs/00-discovery.spec.ts', 'specs/04-update-user.spec.ts'].map(spec);
    const sorted = await sequencer.sort(files as never);
    expect(sorted.map((s) => s.moduleId)).toEqual(['/repo/specs/00-discovery.spec.ts', '/repo/specs/04-update-user.spec.ts', '/repo/specs/07-initial-sync.spec.ts']);
  });
});
