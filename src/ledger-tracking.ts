// Keeps the ledger (./ledger.ts) true from the requests themselves: a create answered with an id
// is recorded, a create of unknown outcome is noted by name, a delete crosses the resource off.
// Every client that may create on the tenant (the checks', the load step's) reports here.
import type { RequestSpec, ScimResponse } from './client.ts';
import { recordCreated, recordDeleted, recordUnconfirmed, type Endpoint } from './ledger.ts';

const RESOURCE = /^\/?(Users|Groups)(?:\/([^/?]+))?(?:\?.*)?$/;

/** An id as it appears in a request path, back to the id the server gave. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The name a create carries: userName of a user, displayName of a group. */
function nameIn(endpoint: Endpoint, body: unknown): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[endpoint === 'Users' ? 'userName' : 'displayName'] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function collectionPost(spec: RequestSpec): Endpoint | undefined {
  const match = RESOURCE.exec(spec.path);
  return spec.method.toUpperCase() === 'POST' && match && !match[2] ? (match[1] as Endpoint) : undefined;
}

/** For ScimClient's onResponse. */
export function trackResponse(spec: RequestSpec, res: ScimResponse): void {
  const endpoint = collectionPost(spec);
  if (endpoint) {
    const id = (res.json as { id?: unknown } | undefined)?.id;
    const name = nameIn(endpoint, spec.body);
    if (res.status < 300 && typeof id === 'string' && id !== '') recordCreated(endpoint, id, name);
    // 2xx without an id, or a server error: the resource may exist all the same.
    else if ((res.status < 300 || res.status >= 500) && name) recordUnconfirmed(endpoint, name);
    return;
  }
  const match = RESOURCE.exec(spec.path);
  if (spec.method.toUpperCase() === 'DELETE' && match?.[2] && (res.status < 300 || res.status === 404)) recordDeleted(`/${match[1]}/${decoded(match[2])}`);
}

/** For ScimClient's onError: a create that got no complete answer may still have been carried out. */
export function trackFailure(spec: RequestSpec): void {
  const endpoint = collectionPost(spec);
  const name = endpoint && nameIn(endpoint, spec.body);
  if (endpoint && name) recordUnconfirmed(endpoint, name);
}
