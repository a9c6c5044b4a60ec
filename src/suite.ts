// What a spec file imports to talk to the endpoint under test: the client, the run's
// settings, and the ledger that records what it creates (src/file-cleanup.ts deletes it at the end of each file).
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { authorizationFor } from './auth.ts';
import { ScimClient, type Auth } from './client.ts';
import { registerSecret } from './exchange.ts';
import { journalDirOf, openJournal } from './ledger.ts';
import { trackFailure, trackResponse } from './ledger-tracking.ts';
import { record } from './recorder.ts';
import type { Target } from './target.ts';

export const target: Target = inject('target');
registerSecret(target.token);

// The built-in reference server dies with the run; a tenant keeps what is not deleted.
if (!target.embedded && !target.readOnly) openJournal(journalDirOf(target.runId));

// A worker whose vitest process died (killed, crashed) must stop at once instead of finishing
// its check against the tenant after the end-of-run cleanup has looked.
if (typeof process.send === 'function') process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));

const clientOptions = {
  token: target.token,
  ...(target.credentials && { authorization: authorizationFor(target.credentials, target.timeoutMs) }),
  timeoutMs: target.timeoutMs,
  retries: target.retries,
  readOnly: target.readOnly,
  onExchange: record,
  onResponse: trackResponse,
  onError: trackFailure,
};

/** The client every check uses; its exchanges are recorded to the running check. */
export const scim = new ScimClient({ baseUrl: target.baseUrl, ...clientOptions });

/**
 * A client for another base URL on the Tenant URL's origin (a Location the server hands out under
 * another path), with the same credentials. Never for another origin: the token stays with the tenant.
 */
export function scimOnTenantOrigin(baseUrl: string): ScimClient {
  if (new URL(baseUrl).origin !== new URL(target.baseUrl).origin) throw new Error(`${baseUrl} is not on the Tenant URL's origin`);
  return new ScimClient({ baseUrl, ...clientOptions });
}

/**
 * A wrong credential of the kind the run authenticates with (CONN-05/06): Basic credentials with
 * the right user name and a wrong password under SCIM_AUTH=basic, else a wrong bearer token.
 */
export function wrongCredential(): Auth {
  const credentials = target.credentials;
  if (credentials?.method === 'basic') return { header: `Basic ${Buffer.from(`${credentials.username}:wrong-${randomUUID()}`).toString('base64')}` };
  return { bearer: `wrong-${randomUUID()}` };
}
