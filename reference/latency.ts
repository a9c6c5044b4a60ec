// Fault `slow-responses`: every answer leaves the server SLOW_RESPONSE_MS late, as the answers of
// an overloaded endpoint (a database round trip per request, a cold serverless function) do. With
// the 5 requests Entra has in flight, 300 ms per answer allows at most 5 / 0.3 s = 16.7 requests
// per second: below the 25 per second gallery apps must sustain, which LOAD-01 must catch.
// Hooked into the server's request handler (server.ts) with one call.
import { setTimeout as sleep } from 'node:timers/promises';

export const SLOW_RESPONSE_MS = 300;

/** The fault switches (reference/faults.ts); only `has` is needed. */
interface FaultSwitches {
  has(name: string): boolean;
}

/** Waits SLOW_RESPONSE_MS when the `slow-responses` fault is on; resolves at once otherwise. */
export async function respondSlowly(faults: FaultSwitches): Promise<void> {
  if (faults.has('slow-responses')) await sleep(SLOW_RESPONSE_MS);
}
