// Faults of an endpoint under load: what the initial sync (specs/07, LOAD-..) must notice when a
// provisioning cycle arrives at full rate. They act on the server's request count, not on time,
// so that a run on a slow or busy machine breaks exactly as on a fast one:
// - `slow-responses` (latency.ts): every answer 300 ms late, below the 25 per second (LOAD-01).
// - `errors-under-load`: every ERROR_EVERY-th request is answered 500 (LOAD-03).
// - `throttles-without-retry-after`: every THROTTLE_EVERY-th request is answered 429 without a
//   Retry-After header, so the client can only guess how long to wait (LOAD-05).
// - `drops-requests-under-load`: every HANG_EVERY-th request is never answered (LOAD-02).
// Hooked into the server's request handler (server.ts) with one call.
import { ScimError } from './errors.ts';
import { respondSlowly } from './latency.ts';

export const ERROR_EVERY = 20;
export const THROTTLE_EVERY = 25;
export const HANG_EVERY = 50;

/** The fault switches (reference/faults.ts); only `has` is needed. */
interface FaultSwitches {
  has(name: string): boolean;
}

/**
 * What the load faults do to the `requestNumber`-th request the server receives (1-based): wait,
 * throw the error to answer, or never settle (the request is never answered). Resolves at once
 * when no load fault is on.
 */
export async function underLoad(faults: FaultSwitches, requestNumber: number): Promise<void> {
  await respondSlowly(faults);
  if (faults.has('errors-under-load') && requestNumber % ERROR_EVERY === 0) {
    throw new ScimError(500, undefined, 'Internal server error: the database connection pool is exhausted');
  }
  if (faults.has('throttles-without-retry-after') && requestNumber % THROTTLE_EVERY === 0) {
    throw new ScimError(429, undefined, 'Too many requests');
  }
  if (faults.has('drops-requests-under-load') && requestNumber % HANG_EVERY === 0) await new Promise<never>(() => {});
}
