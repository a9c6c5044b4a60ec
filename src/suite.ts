// What a spec file imports to talk to the endpoint under test: the client, the run's
// settings, and the ledger that records what it creates (src/file-cleanup.ts deletes it at the end of each file).
import { inject } from 'vitest';
import { ScimClient, type RequestSpec, type ScimResponse, type TransportError } from './client.ts';
import { registerSecret } from './exchange.ts';
import { journalDirOf, openJournal, recordCreated, recordDeleted, recordUnconfirmed, type Endpoint } from './ledger.ts';
import { record } from './recorder.ts';
import type { Target } from './target.ts';

export const target: Target = inject('target');
registerSecret(target.token);

// The built-in reference server dies with the run; a tenant keeps what is not deleted.
if (!target.embedded && !target.readOnly) openJournal(journalDirOf(target.runId));

// A worker whose vitest process died (killed, crashed) must stop at once instead of finishing
// its check against the tenant after the end-of-run cleanup has looked.
if (typeof process.send === 'function') process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));

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

/** Keeps the ledger true: created resources are recorded, deleted ones crossed off, creates of unknown outcome noted by name. */
function track(spec: RequestSpec, res: ScimResponse): void {
  const match = RESOURCE.exec(spec.path);
  if (!match) return;
  const endpoint = match[1] as Endpoint;
  const id = (res.json as { id?: unknown } | undefined)?.id;
  const createdHere = collectionPost(spec);
  if (createdHere) {
    if (res.status < 300 && typeof id === 'string' && id !== '') recordCreated(endpoint, id, nameIn(endpoint, spec.body));
    else if (res.status < 300 || res.status >= 500) {
      // 2xx without an id, or a server error: the resource may exist all the same.
      const name = nameIn(endpoint, spec.body);
      if (name) recordUnconfirmed(endpoint, name);
    }
  }
  if (spec.method.toUpperCase() === 'DELETE' && match[2] && (res.status < 300 || res.status === 404)) recordDeleted(`/${endpoint}/${decoded(match[2])}`);
}

/** A create that got no complete answer may still have been carried out. */
function trackFailure(spec: RequestSpec, _error: TransportError): void {
  const endpoint = collectionPost(spec);
  const name = endpoint && nameIn(endpoint, spec.body);
  if (endpoint && name) recordUnconfirmed(endpoint, name);
}

/** The client every check uses; its exchanges are recorded to the running check. */
export const scim = new ScimClient({
  baseUrl: target.baseUrl,
  token: target.token,
  timeoutMs: target.timeoutMs,
  retries: target.retries,
  readOnly: target.readOnly,
  onExchange: record,
  onResponse: track,
  onError: trackFailure,
});
