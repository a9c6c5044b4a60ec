// The SCIM client every check talks through: one keep-alive undici agent, base-URL joining
// that keeps the tenant URL's path prefix and query parameters, bearer auth, a time limit per
// request, 429/503 Retry-After with bounded retries, and every exchange captured redacted.
// Hostile answers never crash it: a request that gets no (complete) answer throws a
// TransportError whose message is one line; a body that is empty, HTML, not JSON, too large or
// a redirect is returned with `parseError` saying so. Redirects are never followed.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { authorizationFor, type Authorization } from './auth.ts';
import { redact, redactHeaders, type Exchange } from './exchange.ts';
import { describeTransportError, type TransportPhase } from './transport-errors.ts';

export type Auth = 'default' | 'none' | { bearer: string } | { header: string };

export interface RequestSpec {
  method: string;
  /** Relative to the tenant URL, query included exactly as it goes on the wire: '/Users?filter=userName+eq+%22x%22'. */
  path: string;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** 'default' sends the configured token; 'none' sends no Authorization header at all. */
  auth?: Auth;
}

export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body; undefined when the body is empty, not JSON, too large, or the answer is a redirect (see parseError). */
  json: unknown;
  /** Why `json` is undefined, one line naming what came back: 'the body is an HTML page ("502 Bad Gateway"), not JSON'. */
  parseError?: string;
  exchange: Exchange;
  /** Earlier attempts answered 429/503 and retried. */
  retried: Exchange[];
}

/**
 * A request that got no complete HTTP answer. Its message is one line naming the request and the
 * cause, and it carries no stack trace: the client's frames explain nothing to a vendor engineer.
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly exchange: Exchange,
  ) {
    super(message);
    this.name = 'TransportError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** Read-only mode's safety net: a request that would write was not sent. */
export class ReadOnlyRefusal extends Error {
  constructor(method: string, url: string) {
    const message = `read-only mode: refused to send ${method} ${url}; in read-only mode (SCIM_READ_ONLY) the suite sends nothing but GET requests, so a check that writes must be skipped`;
    super(message);
    this.name = 'ReadOnlyRefusal';
    this.stack = `${this.name}: ${message}`;
  }
}

export interface ScimClientOptions {
  baseUrl: string;
  /** A bearer token (the Secret Token); or `authorization` for Basic and OAuth. */
  token?: string;
  authorization?: Authorization;
  timeoutMs: number;
  retries: number;
  /** Longest Retry-After the client waits; longer ones end the retries. */
  maxRetryWaitMs?: number;
  /** Bytes of a response body read (default 5 MiB); the rest is never read, the connection is closed and the body is not parsed. */
  maxBodyBytes?: number;
  /** Bytes of a response body kept in the recorded exchange (default 256 KiB), so that reports and memory stay bounded. */
  maxRecordedBodyBytes?: number;
  /** Refuse every request but GET (read-only mode's safety net). */
  readOnly?: boolean;
  dispatcher?: Dispatcher;
  onExchange?: (exchange: Exchange) => void;
  /** Called with the final answer to every request (after retries). */
  onResponse?: (spec: RequestSpec, response: ScimResponse) => void;
  /** Called when a request got no complete answer, before the TransportError is thrown. */
  onError?: (spec: RequestSpec, error: TransportError) => void;
}

export const SCIM_MEDIA_TYPE = 'application/scim+json';

let sequence = 0;

export interface JoinedUrl {
  origin: string;
  /** Path and query exactly as sent. */
  path: string;
  href: string;
}

/**
 * Joins the tenant URL and a request path the way provisioning clients do: the tenant's path
 * prefix is kept, and its other query parameters go on every request (Entra's own flags, such as
 * ?aadOptscim062020, are taken off the Tenant URL by src/config.ts, as Entra does not send them).
 */
export function joinUrl(baseUrl: string, requestPath: string): JoinedUrl {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const baseQuery = base.search.replace(/^\?/, '');
  const queryAt = requestPath.indexOf('?');
  const relPath = queryAt === -1 ? requestPath : requestPath.slice(0, queryAt);
  const relQuery = queryAt === -1 ? '' : requestPath.slice(queryAt + 1);
  const query = [baseQuery, relQuery].filter((q) => q !== '').join('&');
  const path = `${prefix}/${relPath.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
  return { origin: base.origin, path, href: `${base.origin}${path}` };
}

function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Reads at most maxBytes of a body; past that the stream is destroyed (the rest is never downloaded). */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  progress: { bytes: number },
): Promise<{ text: string; truncatedAt?: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (progress.bytes + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - progress.bytes));
      progress.bytes = maxBytes;
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncatedAt: maxBytes };
    }
    chunks.push(buffer);
    progress.bytes += buffer.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);

function oneLine(text: string, limit: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit)}...` : line;
}

/** The title (or first heading) of an HTML page, which is what a gateway's error page says. */
function htmlTitle(text: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text);
  const title = match?.[1] && oneLine(match[1].replace(/<[^>]*>/g, ''), 80);
  return title || undefined;
}

function parseBody(text: string, truncatedAt: number | undefined): { json: unknown; parseError?: string } {
  if (text.trim() === '') return { json: undefined, parseError: 'the body is empty' };
  if (truncatedAt !== undefined) return { json: undefined, parseError: `the body is larger than ${truncatedAt} bytes and was not parsed` };
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    if (/^\s*<(!doctype|html|head|body|title|h1)/i.test(text)) {
      const title = htmlTitle(text);
      return { json: undefined, parseError: `the body is an HTML page${title ? ` ("${title}")` : ''}, not JSON` };
    }
    return { json: undefined, parseError: `the body is not valid JSON (${oneLine((error as Error).message, 160)})` };
  }
}

/**
 * What a redirect means for the suite, one line: where it points, that it is not followed, and
 * (when the target keeps the request's path) the Tenant URL that would have been right.
 */
export function redirectNote(status: number, location: string | undefined, requestUrl: string, requestPath: string): string {
  if (!location) return `the answer is a ${status} redirect without a Location header; the suite does not follow redirects: use the final URL as Tenant URL`;
  let target: URL | undefined;
  try {
    target = new URL(location, requestUrl);
  } catch {
    return `the answer is a ${status} redirect to "${oneLine(location, 200)}" (not a valid URL); the suite does not follow redirects: use the final URL as Tenant URL`;
  }
  const relPath = `/${requestPath.split('?')[0]!.replace(/^\/+/, '')}`;
  const suggestion =
    relPath !== '/' && target.pathname.endsWith(relPath) ? ` (probably ${target.origin}${target.pathname.slice(0, -relPath.length)})` : '';
  return `the answer is a ${status} redirect to ${oneLine(target.href, 300)}; the suite does not follow redirects: use the final URL as Tenant URL${suggestion}`;
}

/** The first maxBytes of a body for the record; whole characters only. */
function forRecord(text: string, maxBytes: number): { body: string; cutAt?: number } {
  if (Buffer.byteLength(text) <= maxBytes) return { body: text };
  return { body: Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, ''), cutAt: maxBytes };
}

export class ScimClient {
  readonly baseUrl: string;
  private readonly options: Required<Omit<ScimClientOptions, 'token' | 'authorization' | 'onExchange' | 'onResponse' | 'onError' | 'dispatcher'>> & ScimClientOptions;
  private readonly authorization?: Authorization;
  private readonly dispatcher: Dispatcher;

  constructor(options: ScimClientOptions) {
    this.baseUrl = options.baseUrl;
    this.options = { maxRetryWaitMs: 60_000, maxBodyBytes: 5 * 1024 * 1024, maxRecordedBodyBytes: 256 * 1024, readOnly: false, ...options };
    this.authorization = options.authorization ?? (options.token ? authorizationFor({ method: 'bearer', token: options.token }, options.timeoutMs) : undefined);
    this.dispatcher =
      options.dispatcher ??
      new Agent({ keepAliveTimeout: 10_000, connections: 16, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
  }

  get(path: string, init: Omit<RequestSpec, 'method' | 'path'> = {}): Promise<ScimResponse> {
    return this.request({ ...init, method: 'GET', path });
  }
  post(path: string, body: unknown, init: Omit<RequestSpec, 'method' | 'path' | 'body'> = {}): Promise<ScimResponse> {
    return this.request({ ...init, method: 'POST', path, body });
  }
  put(path: string, body: unknown, init: Omit<RequestSpec, 'method' | 'path' | 'body'> = {}): Promise<ScimResponse> {
    return this.request({ ...init, method: 'PUT', path, body });
  }
  patch(path: string, body: unknown, init: Omit<RequestSpec, 'method' | 'path' | 'body'> = {}): Promise<ScimResponse> {
    return this.request({ ...init, method: 'PATCH', path, body });
  }
  delete(path: string, init: Omit<RequestSpec, 'method' | 'path'> = {}): Promise<ScimResponse> {
    return this.request({ ...init, method: 'DELETE', path });
  }

  /** Sends a request, retrying 429 (and 503 with Retry-After) within the configured bounds. */
  async request(spec: RequestSpec): Promise<ScimResponse> {
    const method = spec.method.toUpperCase();
    if (this.options.readOnly && method !== 'GET' && method !== 'HEAD') {
      throw new ReadOnlyRefusal(method, redact(joinUrl(this.baseUrl, spec.path).href));
    }
    const retried: Exchange[] = [];
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const response = await this.attempt(spec, attempt);
      // An OAuth token the endpoint no longer takes: fetch a new one and try once more.
      if (response.status === 401 && !renewed && (spec.auth ?? 'default') === 'default' && (await this.authorization?.renew())) {
        renewed = true;
        retried.push(response.exchange);
        continue;
      }
      const wait = this.retryWait(response, attempt);
      if (wait === undefined) {
        const final = { ...response, retried };
        this.options.onResponse?.(spec, final);
        return final;
      }
      retried.push(response.exchange);
      await sleep(wait);
    }
  }

  /** How long to wait before retrying this answer, or undefined when it is final. */
  private retryWait(response: ScimResponse, attempt: number): number | undefined {
    if (attempt > this.options.retries) return undefined;
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    if (response.status === 429) {
      const wait = retryAfter ?? 500 * 2 ** (attempt - 1);
      return wait <= this.options.maxRetryWaitMs ? wait : undefined;
    }
    if (response.status === 503 && retryAfter !== undefined) {
      return retryAfter <= this.options.maxRetryWaitMs ? retryAfter : undefined;
    }
    return undefined;
  }

  private async headersFor(spec: RequestSpec): Promise<Record<string, string>> {
    const headers: Record<string, string> = { accept: `${SCIM_MEDIA_TYPE}, application/json;q=0.9` };
    const auth = spec.auth ?? 'default';
    if (auth === 'default' && this.authorization) headers.authorization = await this.authorization.header();
    else if (typeof auth === 'object' && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
    else if (typeof auth === 'object' && 'header' in auth) headers.authorization = auth.header;
    if (spec.body !== undefined) headers['content-type'] = SCIM_MEDIA_TYPE;
    return { ...headers, ...Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  }

  private async attempt(spec: RequestSpec, attempt: number): Promise<ScimResponse> {
    const url = joinUrl(this.baseUrl, spec.path);
    const headers = await this.headersFor(spec);
    const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    const exchange: Exchange = {
      seq: ++sequence,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      attempt,
      request: { method: spec.method, url: redact(url.href), headers: redactHeaders(headers), ...(body !== undefined && { body: redact(body) }) },
    };
    const started = performance.now();
    let phase: TransportPhase = { stage: 'answer' };
    const progress = { bytes: 0 };
    try {
      // No redirect handling is configured, so undici never follows one: the token goes to the Tenant URL's host only.
      const answer = await this.dispatcher.request({
        origin: url.origin,
        path: url.path,
        method: spec.method as Dispatcher.HttpMethod,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      phase = { stage: 'body', status: answer.statusCode, bytes: 0 };
      const { text, truncatedAt } = await readCapped(answer.body, this.options.maxBodyBytes, progress);
      const responseHeaders = flattenHeaders(answer.headers);
      exchange.durationMs = Math.round(performance.now() - started);
      const recorded = forRecord(redact(text), this.options.maxRecordedBodyBytes);
      const cutAt = truncatedAt ?? recorded.cutAt;
      exchange.response = {
        status: answer.statusCode,
        headers: redactHeaders(responseHeaders),
        body: recorded.body,
        ...(cutAt !== undefined && { truncatedAt: cutAt }),
      };
      this.options.onExchange?.(exchange);
      const parsed = REDIRECTS.has(answer.statusCode)
        ? { json: undefined, parseError: redirectNote(answer.statusCode, responseHeaders.location, url.href, spec.path) }
        : parseBody(text, truncatedAt);
      // The parse error quotes the body (or the Location), which may echo a secret.
      if (parsed.parseError !== undefined) parsed.parseError = redact(parsed.parseError);
      return { status: answer.statusCode, headers: responseHeaders, text, ...parsed, exchange, retried: [] };
    } catch (error) {
      exchange.durationMs = Math.round(performance.now() - started);
      if (phase.stage === 'body') phase = { ...phase, bytes: progress.bytes };
      const reason = redact(describeTransportError(error, new URL(url.origin).host, this.options.timeoutMs, phase));
      exchange.error = reason;
      this.options.onExchange?.(exchange);
      const failure = new TransportError(`${spec.method} ${exchange.request.url}: ${reason}`, exchange);
      this.options.onError?.(spec, failure);
      throw failure;
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
