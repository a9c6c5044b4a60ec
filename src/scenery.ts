// Scenery that survives a refusal (design.md): a later check's prerequisite is built the way the
// client sends it and, when the server refuses that, again with the plainest RFC request. The
// client's request is judged by its own check; the checks that only need its result go on testing
// their own behaviour, and are blocked only when neither request worked, naming the one that failed last.
import type { RequestSpec, ScimResponse } from './client.ts';
import { scim } from './suite.ts';

export interface Scenery {
  /** The answer to the request as the client sends it (the check of that request reads this). */
  asClientSends: ScimResponse;
  /** The answer the scenery stands on: the client's when accepted, else the plain request's. */
  effective: ScimResponse;
  /** The plain request sent after the client's was refused; undefined when none was needed. */
  fallback?: RequestSpec;
}

const accepted = (res: ScimResponse) => res.status >= 200 && res.status < 300;

/** A refusal of the request's shape (400, 422, a server error), as opposed to a conflict, a missing resource or an auth failure. */
export function refusedShape(res: ScimResponse): boolean {
  return res.status === 400 || res.status === 422 || res.status >= 500;
}

/** Sends the client's request, and the plain one only if the server refused the client's form of it. */
export async function buildScenery(asClientSends: RequestSpec, plain: RequestSpec): Promise<Scenery> {
  const first = await scim.request(asClientSends);
  if (!refusedShape(first)) return { asClientSends: first, effective: first };
  const second = await scim.request(plain);
  return { asClientSends: first, effective: second, fallback: plain };
}

/** Why scenery is missing, naming the request that failed last: for `requires(...)`. */
export function sceneryFailure(what: string, scenery: Scenery): string {
  const { method, url } = scenery.effective.exchange.request;
  const also = scenery.fallback ? `, and so did the plain RFC request after the client's own (${scenery.asClientSends.status})` : '';
  return `${what}: ${method} ${new URL(url).pathname} answered ${scenery.effective.status}${also}`;
}

/** The scenery's answer when it was built, else undefined (for `requires(succeeded(s), sceneryFailure(...))`). */
export const succeeded = (scenery: Scenery): ScimResponse | undefined => (accepted(scenery.effective) ? scenery.effective : undefined);
