// Before any check runs: can the tenant be reached, does it take the token, and does it answer
// as SCIM? If not, one message and exit status 2 say so, instead of sixty identical failures.
// Unreachable (refused, DNS, timeout, TLS), a redirect (the Tenant URL is not the final URL),
// 401/403, and a base URL where nothing answers as SCIM (a web site, another JSON API, the
// /scim/v2 part missing) end the run here; any other answer, even an error, is for the checks
// to judge. Then /Schemas and /ResourceTypes are read once: an endpoint that publishes neither
// gets one line of notice (the run goes on). Every request is a GET.
import { randomUUID } from 'node:crypto';
import { authorizationFor, type Authorization, type Credentials } from './auth.ts';
import { ScimClient, TransportError, type ScimResponse } from './client.ts';
import { credentialsOf, type Config } from './config.ts';
import { redact } from './exchange.ts';
import { OAuthError } from './oauth.ts';

const REJECTED: Record<Credentials['method'], string> = { bearer: 'token', basic: 'Basic credentials', oauth: 'OAuth access token' };
const WHAT_TO_CHECK: Record<Credentials['method'], string> = {
  bearer: 'Check SCIM_TOKEN (the Secret Token, without "Bearer ") and that it has not expired.',
  basic: 'Check SCIM_BASIC_USERNAME and SCIM_BASIC_PASSWORD.',
  oauth: 'The token endpoint issued it, but the SCIM endpoint does not take it: check SCIM_OAUTH_SCOPE and that the client is granted access to the app.',
};

const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';

/** ok: the run goes on; `notes` are lines of notice to print first (not errors). */
export type PreflightResult = { ok: true; notes?: string[] } | { ok: false; message: string };

export interface PreflightOptions {
  /** Read /Schemas and /ResourceTypes and note when neither is published (default true; cleanup needs no discovery). */
  discovery?: boolean;
}

function objectOf(res: ScimResponse): Record<string, unknown> | undefined {
  return res.json !== null && typeof res.json === 'object' && !Array.isArray(res.json) ? (res.json as Record<string, unknown>) : undefined;
}

function schemasOf(res: ScimResponse): string[] {
  const schemas = objectOf(res)?.schemas;
  return Array.isArray(schemas) ? schemas.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()) : [];
}

/** A 200 ListResponse, leniently: its schema URN, or the members only a ListResponse has. */
export function isListResponse(res: ScimResponse): boolean {
  const body = objectOf(res);
  if (res.status !== 200 || !body) return false;
  return schemasOf(res).includes(LIST_RESPONSE.toLowerCase()) || Array.isArray(body.Resources) || typeof body.totalResults === 'number';
}

/** A SCIM Error body (RFC 7644 §3.12), whatever the status. */
export function isScimError(res: ScimResponse): boolean {
  return schemasOf(res).includes(ERROR.toLowerCase());
}

/** A 200 ServiceProviderConfig: its schema URN, or at least two of the members RFC 7643 §5 requires. */
export function isServiceProviderConfig(res: ScimResponse): boolean {
  const body = objectOf(res);
  if (res.status !== 200 || !body) return false;
  const members = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag', 'authenticationSchemes'].filter((m) => m in body);
  return schemasOf(res).includes(SERVICE_PROVIDER_CONFIG.toLowerCase()) || members.length >= 2;
}

function mediaTypeOf(res: ScimResponse): string | undefined {
  return res.headers['content-type']?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function oneLine(text: string, limit: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit)}...` : line;
}

/** The first words of an HTML page's <title>, if it has one. */
export function htmlTitleOf(text: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text);
  if (!match?.[1]) return undefined;
  const words = match[1].replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&[a-z#0-9]+;/gi, ' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  return oneLine(words.slice(0, 8).join(' '), 60) + (words.length > 8 ? '...' : '');
}

function isHtml(res: ScimResponse): boolean {
  return mediaTypeOf(res) === 'text/html' || /^\s*<(!doctype|html|head|body|title)/i.test(res.text);
}

/** What came back, in a few words: status, content type, the page's title or the kind of body. */
export function describeAnswer(res: ScimResponse): string {
  const type = mediaTypeOf(res);
  const head = `${res.status}${type ? ` ${type}` : ''}`;
  if (res.text.trim() === '') return `${head} with an empty body`;
  if (isHtml(res)) {
    const title = htmlTitleOf(res.text);
    return `${head}, an HTML page${title ? ` titled "${title}"` : ''}`;
  }
  if (isScimError(res)) {
    const detail = objectOf(res)?.detail;
    return `${head} with a SCIM Error${typeof detail === 'string' && detail.trim() ? ` ("${oneLine(detail, 80)}")` : ''}`;
  }
  if (res.json === undefined) return `${head}, not JSON`;
  return `${head}, JSON that is not SCIM`;
}

/**
 * Same host, with /scim/v2: the Tenant URL's path completed to end in /scim/v2, and /scim/v2
 * right after the origin. Never the Tenant URL itself.
 */
export function scimBaseCandidates(tenantUrl: string): string[] {
  const url = new URL(tenantUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const completed = /\/scim\/v2$/i.test(path) ? undefined : /\/scim$/i.test(path) ? `${path}/v2` : `${path}/scim/v2`;
  const self = `${url.origin}${path}${url.search}`;
  const candidates = [completed, '/scim/v2'].filter((p): p is string => p !== undefined).map((p) => `${url.origin}${p}${url.search}`);
  return [...new Set(candidates)].filter((c) => c !== self);
}

/** The first candidate base URL whose /ServiceProviderConfig answers as SCIM; unreachable ones are passed over. */
async function findScimBase(config: Config, authorization: Authorization): Promise<{ baseUrl: string; url: string } | undefined> {
  for (const baseUrl of scimBaseCandidates(config.tenantUrl!)) {
    const client = new ScimClient({ baseUrl, authorization, timeoutMs: config.timeoutMs, retries: 0, readOnly: true });
    try {
      const res = await client.get('/ServiceProviderConfig');
      if (isServiceProviderConfig(res)) return { baseUrl, url: res.exchange.request.url };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
    } finally {
      await client.close();
    }
  }
  return undefined;
}

/**
 * The Test Connection answer was not a ListResponse. Is anything on this base URL SCIM? A SCIM
 * ServiceProviderConfig, or a list of users (Okta's Test Connector request), says yes: the
 * checks judge the filter's answer (a 404 to a filter that matches no one is a failure the
 * checks report, not a reason to stop). Otherwise, when the same host answers as SCIM under
 * /scim/v2, the Tenant URL misses that part; and when nothing here looks like SCIM, not even an
 * Error body, the Tenant URL is not a SCIM endpoint.
 */
async function notScim(client: ScimClient, config: Config, authorization: Authorization, testConnection: ScimResponse): Promise<string | undefined> {
  // No answer to a probe is no evidence either way: the checks judge the endpoint.
  const spc = await answerOf(client, '/ServiceProviderConfig');
  if (!spc || isServiceProviderConfig(spc)) return undefined;
  const users = await answerOf(client, '/Users?startIndex=1&count=2');
  if (!users || isListResponse(users)) return undefined;
  const came = `GET ${testConnection.exchange.request.url} answered ${describeAnswer(testConnection)}, GET ${spc.exchange.request.url} answered ${describeAnswer(spc)}`;
  const found = await findScimBase(config, authorization);
  if (found) return `the Tenant URL does not answer as SCIM: ${came}; did you mean ${found.baseUrl}? (GET ${found.url} answers as SCIM)`;
  if ([testConnection, spc, users].some(isScimError)) return undefined;
  const tried = scimBaseCandidates(config.tenantUrl!);
  const hint = tried.length > 0 ? `; no SCIM at ${tried.join(' or ')} either` : '';
  return `the Tenant URL does not answer as SCIM: ${came}${hint}. Use the app's SCIM base URL as Tenant URL (the one whose /Users and /ServiceProviderConfig answer SCIM JSON; it often ends in /scim/v2)`;
}

async function answerOf(client: ScimClient, path: string): Promise<ScimResponse | undefined> {
  try {
    return await client.get(path);
  } catch (error) {
    if (error instanceof TransportError) return undefined;
    throw error;
  }
}

/**
 * Why a discovery endpoint counts as not published, or undefined when it answered 200 with a
 * ListResponse whose Resources the suite can read (as src/discovery.ts reads them).
 */
async function unpublished(client: ScimClient, path: string): Promise<string | undefined> {
  const res = await answerOf(client, path);
  if (!res) return 'no answer';
  if (res.status !== 200) return String(res.status);
  return Array.isArray(objectOf(res)?.Resources) ? undefined : '200, not a ListResponse';
}

/**
 * One line when discovery cannot inform the run. Without /Schemas every attribute counts as
 * defined (src/discovery.ts); without /ResourceTypes alone, the extensions in use are read from /Schemas.
 */
async function discoveryNote(client: ScimClient, config: Config): Promise<string | undefined> {
  const schemas = await unpublished(client, '/Schemas');
  const resourceTypes = await unpublished(client, '/ResourceTypes');
  if (schemas !== undefined) {
    const also = resourceTypes !== undefined ? ` and no /ResourceTypes (${resourceTypes})` : '';
    return `the endpoint publishes no /Schemas (${schemas})${also}: attribute bodies are sent as the ${config.profile} profile sends them, and nothing is judged not applicable from discovery`;
  }
  if (resourceTypes !== undefined) {
    return `the endpoint publishes no /ResourceTypes (${resourceTypes}): the schema extensions of User and Group are taken from /Schemas alone`;
  }
  return undefined;
}

export async function preflight(config: Config, options: PreflightOptions = {}): Promise<PreflightResult> {
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
    // A server error or throttling says nothing about the URL: the checks judge it.
    if (!isListResponse(res) && res.status !== 429 && res.status < 500) {
      const message = await notScim(client, config, authorization, res);
      if (message) return { ok: false, message: redact(message) };
    }
    if (options.discovery === false) return { ok: true };
    const note = await discoveryNote(client, config);
    return note ? { ok: true, notes: [redact(note)] } : { ok: true };
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, message: `cannot reach the tenant: ${error.message}` };
    if (error instanceof OAuthError) return { ok: false, message: redact(error.message) };
    throw error;
  } finally {
    await client.close();
  }
}
