// The client the load step sends through: one connection per request in flight, no retries of
// its own (the driver retries, so that every attempt is paced and counted), no exchange recording
// (the driver keeps a few samples; a check never gets hundreds of exchanges), and every create
// and delete written to the run's ledger (src/ledger.ts), so that a run that dies in the middle
// of a sync still has its resources found and deleted at the end of the run.
import { Agent } from 'undici';
import { ScimClient, type RequestSpec, type ScimResponse } from '../client.ts';
import { recordCreated, recordDeleted, recordUnconfirmed, type Endpoint } from '../ledger.ts';

export interface LoadClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  concurrency: number;
  readOnly?: boolean;
}

const RESOURCE = /^\/?(Users|Groups)(?:\/([^/?]+))?(?:\?.*)?$/;

function nameIn(endpoint: Endpoint, body: unknown): string | undefined {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[endpoint === 'Users' ? 'userName' : 'displayName'] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function collectionPost(spec: RequestSpec): Endpoint | undefined {
  const match = RESOURCE.exec(spec.path);
  return spec.method.toUpperCase() === 'POST' && match && !match[2] ? (match[1] as Endpoint) : undefined;
}

/** Creates answered with an id are recorded; creates of unknown outcome are noted by name; deletes cross them off. */
export function trackInLedger(spec: RequestSpec, res: ScimResponse): void {
  const endpoint = collectionPost(spec);
  if (endpoint) {
    const id = (res.json as { id?: unknown } | undefined)?.id;
    const name = nameIn(endpoint, spec.body);
    if (res.status < 300 && typeof id === 'string' && id !== '') recordCreated(endpoint, id, name);
    else if ((res.status < 300 || res.status >= 500) && name) recordUnconfirmed(endpoint, name);
    return;
  }
  const match = RESOURCE.exec(spec.path);
  if (spec.method.toUpperCase() === 'DELETE' && match?.[2] && (res.status < 300 || res.status === 404)) recordDeleted(`/${match[1]}/${match[2]}`);
}

export function loadClient(options: LoadClientOptions): ScimClient {
  return new ScimClient({
    baseUrl: options.baseUrl,
    token: options.token,
    timeoutMs: options.timeoutMs,
    retries: 0,
    readOnly: options.readOnly ?? false,
    dispatcher: new Agent({
      connections: options.concurrency,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    }),
    onResponse: trackInLedger,
    onError: (spec) => {
      const endpoint = collectionPost(spec);
      const name = endpoint && nameIn(endpoint, spec.body);
      if (endpoint && name) recordUnconfirmed(endpoint, name);
    },
  });
}
