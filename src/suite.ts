// What a spec file imports to talk to the endpoint under test: the client, the run's
// settings, and the per-file cleanup. Runs inside the vitest worker.
import { afterAll, inject } from 'vitest';
import { ScimClient, type RequestSpec, type ScimResponse } from './client.ts';
import { registerSecret } from './exchange.ts';
import { cleanUp, recordCreated, recordDeleted } from './ledger.ts';
import { record } from './recorder.ts';
import type { Target } from './target.ts';

export const target: Target = inject('target');
registerSecret(target.token);

const RESOURCE = /^\/?(Users|Groups)(?:\/([^/?]+))?(?:\?.*)?$/;

/** Keeps the ledger true: created resources are recorded, deleted ones crossed off. */
function track(spec: RequestSpec, res: ScimResponse): void {
  const match = RESOURCE.exec(spec.path);
  if (!match) return;
  const endpoint = match[1] as 'Users' | 'Groups';
  const id = (res.json as { id?: unknown } | undefined)?.id;
  if (spec.method === 'POST' && !match[2] && res.status < 300 && typeof id === 'string') recordCreated(endpoint, id);
  if (spec.method === 'DELETE' && match[2] && (res.status < 300 || res.status === 404)) recordDeleted(`/${endpoint}/${match[2]}`);
}

/** The client every check uses; its exchanges are recorded to the running check. */
export const scim = new ScimClient({
  baseUrl: target.baseUrl,
  token: target.token,
  timeoutMs: target.timeoutMs,
  retries: target.retries,
  onExchange: record,
  onResponse: track,
});

afterAll(async () => {
  await cleanUp(scim);
});
