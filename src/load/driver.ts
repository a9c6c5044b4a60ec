// Sends a stream of requests the way a provisioning client does under load: at most
// `concurrency` in flight, starts paced to `ratePerSecond`, and a 429 (or a 503 with Retry-After)
// answered by pausing every start until Retry-After has passed, then retrying that request.
// Everything it sees is counted (answers by status, latency by request kind, throttling), and
// only a few exchanges are kept as samples: a run of thousands of requests stays small in memory
// and in reports. It never throws for what the endpoint answers: a request that got no answer is
// counted and reported like any other failure.
import { TransportError, type RequestSpec, type ScimClient, type ScimResponse } from '../client.ts';
import type { Exchange } from '../exchange.ts';
import { LatencyStats, type LatencySummary } from './latency.ts';
import { Pacer } from './pacer.ts';
import { forEachConcurrently } from './pool.ts';

export interface LoadDriverOptions {
  /** A client with retries: 0 and no exchange recording: the driver retries and samples itself. */
  client: ScimClient;
  ratePerSecond: number;
  concurrency: number;
  /** How often one request answered 429 (or 503 with Retry-After) is retried. */
  retries: number;
  /** Longest Retry-After honoured; a longer one ends that request's retries (default 60 s). */
  maxRetryWaitMs?: number;
  /** No request is started once this much time has passed since the first one (default: no limit). */
  budgetMs?: number;
  now?: () => number;
  pacer?: Pacer;
}

/** What one request came to, after any retries. */
export interface Sent {
  kind: string;
  /** The final answer; undefined when none came or the request was never sent. */
  res?: ScimResponse;
  /** The final answer's status was one of those expected. */
  ok: boolean;
  /** Why no answer came (timeout, connection reset ...), one line. */
  error?: string;
  /** Why the request was never sent (the time budget ran out). */
  notSent?: string;
}

export interface ThrottleEvent {
  kind: string;
  status: number;
  /** The Retry-After header as sent, if any. */
  retryAfter?: string;
  /** The wait it asked for (or the back-off used without one), in ms; undefined when it was not retried. */
  waitMs?: number;
  /** Time from this answer to the start of the retry, in ms: at least waitMs when honoured. */
  gapMs?: number;
  /** No retry followed: out of retries, or Retry-After beyond the longest wait. */
  gaveUp: boolean;
}

export interface LoadReport {
  ratePerSecond: number;
  concurrency: number;
  /** Every attempt sent, retries included. */
  attempts: number;
  /** Attempts answered with anything but 429. */
  answered: number;
  /** Attempts answered 429. */
  throttled: number;
  /** Attempts that got no answer (timeout, reset, refused). */
  noAnswer: number;
  /** Of those, the ones that ran out of time. */
  timeouts: number;
  /** Requests never sent because the time budget ran out. */
  notSent: number;
  /** From the first start to the last answer, in ms. */
  windowMs: number;
  /** answered / window: what the endpoint sustained, in requests per second. */
  achievedRate: number;
  /** Time every start was held for Retry-After, in ms. */
  pausedMs: number;
  latency: Array<{ kind: string } & LatencySummary>;
  overall: LatencySummary;
  /** Every answer (retried ones included), by kind and status; "no answer" for none. */
  answers: Array<{ kind: string; status: string; count: number }>;
  /** Requests whose final answer was not what the client needs, by kind and what came back. */
  unexpected: Array<{ kind: string; what: string; count: number }>;
  /** Answers with the right status but the wrong content (recorded by the scenario). */
  problems: Array<{ kind: string; message: string; count: number }>;
  throttling: ThrottleEvent[];
  /** Why sending stopped early, if it did. */
  stopped?: string;
}

export interface Samples {
  /** The first answer of each kind that was as expected. */
  typical: Exchange[];
  /** The first exchange of each kind of unexpected answer or problem. */
  unexpected: Exchange[];
  /** The first 429 (or throttling 503). */
  throttled: Exchange[];
  /** The slowest answer. */
  slowest?: Exchange;
}

const MAX_THROTTLE_EVENTS = 200;
const key = (...parts: string[]) => parts.join('\u0000');

function parseRetryAfter(value: string | undefined, nowEpoch = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowEpoch);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}

export class LoadDriver {
  readonly pacer: Pacer;
  private readonly options: LoadDriverOptions;
  private readonly now: () => number;
  private readonly latency = new LatencyStats();
  private readonly answerCounts = new Map<string, { kind: string; status: string; count: number }>();
  private readonly unexpectedCounts = new Map<string, { kind: string; what: string; count: number; sample?: Exchange }>();
  private readonly problemCounts = new Map<string, { kind: string; message: string; count: number; sample?: Exchange }>();
  private readonly throttles: ThrottleEvent[] = [];
  private readonly typical = new Map<string, Exchange>();
  private throttledSample?: Exchange;
  private slowest?: { ms: number; exchange: Exchange };
  private counts = { attempts: 0, answered: 0, throttled: 0, noAnswer: 0, timeouts: 0, notSent: 0 };
  private firstStart?: number;
  private lastEnd?: number;
  private stoppedBecause?: string;

  constructor(options: LoadDriverOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
    this.pacer = options.pacer ?? new Pacer({ ratePerSecond: options.ratePerSecond, now: this.now });
  }

  /** Runs `worker` over the items with the driver's concurrency. */
  forEach<T>(items: Iterable<T>, worker: (item: T, index: number) => Promise<void>): Promise<void> {
    return forEachConcurrently(items, this.options.concurrency, worker);
  }

  /** True once the time budget has run out: callers may stop early. */
  get outOfTime(): boolean {
    const { budgetMs } = this.options;
    if (budgetMs === undefined || this.firstStart === undefined || this.now() - this.firstStart < budgetMs) return false;
    this.stoppedBecause ??= `the time budget of ${Math.round(budgetMs / 1000)} s ran out; requests not yet sent were not sent`;
    return true;
  }

  /** Sends one request, paced and retried on 429; `expected` are the statuses the client needs. */
  async send(kind: string, spec: RequestSpec, expected: readonly number[]): Promise<Sent> {
    let pending: ThrottleEvent | undefined;
    let answeredAt = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.outOfTime) return this.skip(kind);
      await this.pacer.take();
      if (this.outOfTime) return this.skip(kind);
      const started = this.now();
      if (pending) pending.gapMs = Math.round(started - answeredAt);
      this.firstStart ??= started;
      this.counts.attempts++;
      let res: ScimResponse;
      try {
        res = await this.options.client.request(spec);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        const ms = this.now() - started;
        this.lastEnd = Math.max(this.lastEnd ?? 0, this.now());
        this.counts.noAnswer++;
        if (/timed? ?out|timeout/i.test(error.message)) this.counts.timeouts++;
        this.latency.add(kind, ms);
        this.countAnswer(kind, 'no answer');
        const what = `no answer: ${firstLine(error.exchange.error ?? error.message)}`;
        this.noteUnexpected(kind, what, error.exchange);
        return { kind, ok: false, error: error.message };
      }
      answeredAt = this.now();
      this.lastEnd = Math.max(this.lastEnd ?? 0, answeredAt);
      const ms = answeredAt - started;
      this.countAnswer(kind, String(res.status));
      const retryAfter = res.headers['retry-after'];
      if (res.status === 429 || (res.status === 503 && retryAfter !== undefined)) {
        if (res.status === 429) this.counts.throttled++;
        else this.answered(kind, ms, res);
        this.throttledSample ??= res.exchange;
        const wait = parseRetryAfter(retryAfter) ?? 500 * 2 ** (attempt - 1);
        const retry = attempt <= this.options.retries && wait <= (this.options.maxRetryWaitMs ?? 60_000);
        const event: ThrottleEvent = { kind, status: res.status, ...(retryAfter !== undefined && { retryAfter }), ...(retry && { waitMs: wait }), gaveUp: !retry };
        if (this.throttles.length < MAX_THROTTLE_EVENTS) this.throttles.push(event);
        if (retry) {
          // Retry-After speaks for the tenant, not for this request: every start waits.
          this.pacer.pauseUntil(answeredAt + wait);
          pending = event;
          continue;
        }
      } else {
        this.answered(kind, ms, res);
      }
      const ok = expected.includes(res.status);
      if (ok) {
        if (!this.typical.has(kind)) this.typical.set(kind, res.exchange);
      } else {
        this.noteUnexpected(kind, `status ${res.status}`, res.exchange);
      }
      return { kind, res, ok };
    }
  }

  /** Records an answer with the right status but the wrong content, e.g. a lookup of a new name that finds someone. */
  problem(kind: string, message: string, res?: ScimResponse): void {
    const k = key(kind, message);
    const entry = this.problemCounts.get(k) ?? { kind, message, count: 0, ...(res && { sample: res.exchange }) };
    entry.count++;
    this.problemCounts.set(k, entry);
  }

  /** What has been measured so far; later requests do not change it. */
  report(): LoadReport {
    const windowMs = this.firstStart === undefined || this.lastEnd === undefined ? 0 : this.lastEnd - this.firstStart;
    const latency = this.latency.kinds().map((kind) => ({ kind, ...this.latency.of(kind) }));
    return {
      ratePerSecond: this.options.ratePerSecond,
      concurrency: this.options.concurrency,
      ...this.counts,
      windowMs,
      achievedRate: windowMs > 0 ? (this.counts.answered / windowMs) * 1000 : 0,
      pausedMs: this.pacer.pausedMs,
      latency,
      overall: this.latency.overall(),
      answers: [...this.answerCounts.values()].map((a) => ({ ...a })),
      unexpected: [...this.unexpectedCounts.values()].map(({ kind, what, count }) => ({ kind, what, count })),
      problems: [...this.problemCounts.values()].map(({ kind, message, count }) => ({ kind, message, count })),
      throttling: this.throttles.map((t) => ({ ...t })),
      ...(this.stoppedBecause !== undefined && { stopped: this.stoppedBecause }),
    };
  }

  samples(): Samples {
    const first = (entries: Iterable<{ sample?: Exchange }>) => [...entries].flatMap((e) => (e.sample ? [e.sample] : []));
    return {
      typical: [...this.typical.values()],
      unexpected: [...first(this.unexpectedCounts.values()), ...first(this.problemCounts.values())],
      throttled: this.throttledSample ? [this.throttledSample] : [],
      ...(this.slowest && { slowest: this.slowest.exchange }),
    };
  }

  private skip(kind: string): Sent {
    this.counts.notSent++;
    return { kind, ok: false, notSent: this.stoppedBecause ?? 'the time budget ran out' };
  }

  private answered(kind: string, ms: number, res: ScimResponse): void {
    this.counts.answered++;
    this.latency.add(kind, ms);
    if (!this.slowest || ms > this.slowest.ms) this.slowest = { ms, exchange: res.exchange };
  }

  private countAnswer(kind: string, status: string): void {
    const k = key(kind, status);
    const entry = this.answerCounts.get(k) ?? { kind, status, count: 0 };
    entry.count++;
    this.answerCounts.set(k, entry);
  }

  private noteUnexpected(kind: string, what: string, exchange: Exchange): void {
    const k = key(kind, what);
    const entry = this.unexpectedCounts.get(k) ?? { kind, what, count: 0, sample: exchange };
    entry.count++;
    this.unexpectedCounts.set(k, entry);
  }
}

