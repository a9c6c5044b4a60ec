// Before any check runs: can the tenant be reached, and does it take the token? If not,
// one message and exit status 2 say so, instead of sixty identical failures. Unreachable
// (refused, DNS, timeout, TLS), a redirect (the Tenant URL is not the final URL) and 401/403
// end the run here; any other answer, even an error, is for the checks to judge.
import { randomUUID } from 'node:crypto';
import { ScimClient, TransportError } from './client.ts';
import type { Config } from './config.ts';
import { redact, registerSecret } from './exchange.ts';

export type PreflightResult = { ok: true } | { ok: false; message: string };

export async function preflight(config: Config): Promise<PreflightResult> {
  if (!config.tenantUrl || !config.token) return { ok: true };
  registerSecret(config.token);
  const client = new ScimClient({ baseUrl: config.tenantUrl, token: config.token, timeoutMs: config.timeoutMs, retries: config.retries, readOnly: true });
  try {
    // The request Entra's Test Connection sends: cheap, read-only, and authenticated on every SCIM server.
    const res = await client.get(`/Users?filter=userName+eq+%22${randomUUID()}%22`);
    const request = `GET ${res.exchange.request.url}`;
    if (res.status === 401 || res.status === 403) {
      return {
        ok: false,
        message: `the tenant rejected the token: ${request} answered ${res.status}. Check SCIM_TOKEN (the Secret Token, without "Bearer ") and that it has not expired.`,
      };
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      return { ok: false, message: redact(`the Tenant URL redirects: ${request}: ${res.parseError ?? `answered ${res.status}`}`) };
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, message: `cannot reach the tenant: ${error.message}` };
    throw error;
  } finally {
    await client.close();
  }
}
