// Paces request starts to a steady rate, and holds every start while the tenant has asked for a
// pause (a 429 with Retry-After). A token bucket: tokens accrue at `ratePerSecond` up to `burst`;
// each start takes one. A burst of a few tokens keeps timer lateness from eroding the rate (with
// a bucket of one, every late wake-up would be time lost for good) while never letting more than
// `burst` requests start at once.
import { setTimeout as sleepFor } from 'node:timers/promises';

export interface PacerOptions {
  ratePerSecond: number;
  /** Most starts allowed back to back; default max(2, 50 ms worth of the rate). */
  burst?: number;
  /** Milliseconds on a monotonic clock; default performance.now. */
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

export class Pacer {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  private tokens = 1;
  private last: number;
  private pausedUntil = -Infinity;
  /** Milliseconds during which every start was held by pauseUntil (overlaps counted once). */
  private paused = 0;

  constructor(options: PacerOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    this.ratePerSecond = options.ratePerSecond;
    this.intervalMs = 1000 / options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? Math.max(2, Math.ceil(options.ratePerSecond / 20)));
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => sleepFor(ms));
    this.last = this.now();
  }

  /** Resolves when the next request may start (and counts it as started). */
  async take(): Promise<void> {
    for (;;) {
      const t = this.now();
      if (t < this.pausedUntil) {
        await this.sleep(this.pausedUntil - t);
        continue;
      }
      this.refill(t);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.max(1, Math.ceil((1 - this.tokens) * this.intervalMs)));
    }
  }

  /** Holds every start until `until` (same clock as `now`); the rate starts afresh afterwards, with no saved-up burst. */
  pauseUntil(until: number): void {
    if (until <= this.pausedUntil) return;
    const from = Math.max(this.now(), this.pausedUntil);
    if (until > from) this.paused += until - from;
    this.pausedUntil = until;
    this.tokens = 0;
    this.last = until;
  }

  /** Total time starts were held by pauses so far, in milliseconds. */
  get pausedMs(): number {
    return this.paused;
  }

  private refill(t: number): void {
    if (t <= this.last) return;
    this.tokens = Math.min(this.burst, this.tokens + (t - this.last) / this.intervalMs);
    this.last = t;
  }
}
