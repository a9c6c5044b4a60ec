// Latency samples by request kind ("create user", "add members" ...) and their percentiles.
// Percentiles are nearest-rank (the smallest sample with at least p% of samples at or below it):
// every value reported is a latency that was actually measured.

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of ascending samples; NaN when there are none. */
export function percentile(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * ascending.length);
  return ascending[Math.min(ascending.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? total / sorted.length : Number.NaN,
  };
}

export class LatencyStats {
  private readonly byKind = new Map<string, number[]>();

  add(kind: string, ms: number): void {
    let samples = this.byKind.get(kind);
    if (!samples) this.byKind.set(kind, (samples = []));
    samples.push(ms);
  }

  /** Kinds in the order their first sample arrived. */
  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  of(kind: string): LatencySummary {
    return summarize(this.byKind.get(kind) ?? []);
  }

  /** Every sample of every kind together. */
  overall(): LatencySummary {
    return summarize([...this.byKind.values()].flat());
  }
}
