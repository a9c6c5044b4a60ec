// Before any check runs: can the tenant be reached, and does it take the token? If not,
// one message and exit status 2 say so, instead of sixty identical failures. Unreachable
// (refused, DNS, timeout, TLS), a redirect (the Tenant URL is not the final URL) and 401/403
// end the run here; any other answer, even an error, is for the checks to judge.
import { randomUUID } from 'node:crypto';
import { authorizationFor, type Credentials } from './auth.ts';
import { ScimClient, TransportError } from './client.ts';
import { credentialsOf, type Config } from './config.ts';
import { redact } from './exchange.ts';
import { OAuthError } from './oauth.ts';

const REJECTED: Record<Credentials['method'], string> = { bearer: 'token', basic: 'Basic credentials', oauth: 'OAuth access token' };
const WHAT_TO_CHECK: Record<Credentials['method'], string> = {
  bearer: 'Check SCIM_TOKEN (the Secret Token, without "Bearer ") and that it has not expired.',
  basic: 'Check SCIM_BASIC_USERNAME and SCIM_BASIC_PASSWORD.',
  oauth: 'The token endpoint issued it, but the SCIM endpoint does not take it: check SCIM_OAUTH_SCOPE and that the client is granted access to the app.',
};

export type PreflightResult = { ok: true } | { ok: false; message: string };

export async function preflight(config: Config): Promise<PreflightResult> {
  const credentials = credentialsOf(config);
  if (!config.tenantUrl || !credentials) return { ok: true };
  const authorization = authorizationFor(credentials, config.timeoutMs);
  const client = new ScimClient({ baseUrl: config.tenantUrl, authorization, timeoutMs: config.timeoutMs, retries: config.retries, readOnly: true });
  try {
    // The request Entra's Test Connection sends: cheap, read-only, and authenticated on every SCIM server.
    const res = await client.get(`/Users?filter=userName+eq+%22${randomUUID()}%22`);
    const request = `GET ${res.exchange.request.url}`;
    if (res.status === 401 || res.status === 403) {
      return {
        ok: false,
        message: `the tenant rejected the ${REJECTED[credentials.method]}: ${request} answered ${res.status}. ${WHAT_TO_CHECK[credentials.method]}`,
      };
    }
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      return { ok: false, message: redact(`the Tenant URL redirects: ${request}: ${res.parseError ?? `answered ${res.status}`}`) };
    }
    return { ok: true };
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, message: `cannot reach the tenant: ${error.message}` };
    if (error instanceof OAuthError) return { ok: false, message: redact(error.message) };
    throw error;
  } finally {
    await client.close();
  }
}
