// Before any check runs: can the tenant be reached, and does it take the token? If not,
// one message and exit status 2 say so, instead of sixty identical failures.
import { randomUUID } from 'node:crypto';
import { ScimClient, TransportError } from './client.ts';
import type { Config } from './config.ts';
import { registerSecret } from './exchange.ts';

export type PreflightResult = { ok: true } | { ok: false; message: string };

export async function preflight(config: Config): Promise<PreflightResult> {
  if (!config.tenantUrl || !config.token) return { ok: true };
  registerSecret(config.token);
  const client = new ScimClient({ baseUrl: config.tenantUrl, token: config.token, timeoutMs: config.timeoutMs, retries: config.retries });
  try {
    // The request Entra's Test Connection sends: cheap, read-only, and authenticated on every SCIM server.
    const res = await client.get(`/Users?filter=userName+eq+%22${randomUUID()}%22`);
    if (res.status === 401 || res.status === 403) {
      return {
        ok: false,
        message: `the tenant rejected the token: GET ${res.exchange.request.url} answered ${res.status}. Check SCIM_TOKEN (the Secret Token, without "Bearer ") and that it has not expired.`,
      };
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, message: `cannot reach the tenant: ${error.message}` };
    throw error;
  } finally {
    await client.close();
  }
}
