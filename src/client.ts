// The SCIM client every check talks through: one keep-alive undici agent, base-URL joining
// that keeps the tenant URL's path prefix and query flags, bearer auth, a time limit per
// request, 429/503 Retry-After with bounded retries, and every exchange captured redacted.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { redact, redactHeaders, type Exchange } from './exchange.ts';
import { describeTransportError } from './transport-errors.ts';

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
  /** The parsed body; undefined when the body is empty or not JSON (see parseError). */
  json: unknown;
  parseError?: string;
  exchange: Exchange;
  /** Earlier attempts answered 429/503 and retried. */
  retried: Exchange[];
}

/** A request that got no HTTP answer at all. Its message is one line naming the request. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly exchange: Exchange,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface ScimClientOptions {
  baseUrl: string;
  token?: string;
  timeoutMs: number;
  retries: number;
  /** Longest Retry-After the client waits; longer ones end the retries. */
  maxRetryWaitMs?: number;
  /** Bytes of a response body kept; the rest is discarded and the exchange marked truncated. */
  maxBodyBytes?: number;
  dispatcher?: Dispatcher;
  onExchange?: (exchange: Exchange) => void;
  /** Called with the final answer to every request (after retries). */
  onResponse?: (spec: RequestSpec, response: ScimResponse) => void;
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
 * prefix is kept, and its query flags (e.g. ?aadOptscim062020) go on every request.
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

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<{ text: string; truncatedAt?: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - size));
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), truncatedAt: maxBytes };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

function parseBody(text: string, truncatedAt: number | undefined): { json: unknown; parseError?: string } {
  if (text.trim() === '') return { json: undefined, parseError: 'the body is empty' };
  if (truncatedAt !== undefined) return { json: undefined, parseError: `the body is larger than ${truncatedAt} bytes and was not parsed` };
  try {
    return { json: JSON.parse(text) };
  } catch (error) {
    const looksHtml = /^\s*<(!doctype|html|head|body)/i.test(text);
    const reason = looksHtml ? 'the body is an HTML page, not JSON' : `the body is not valid JSON (${(error as Error).message})`;
    return { json: undefined, parseError: reason };
  }
}

export class ScimClient {
  readonly baseUrl: string;
  private readonly options: Required<Omit<ScimClientOptions, 'token' | 'onExchange' | 'onResponse' | 'dispatcher'>> & ScimClientOptions;
  private readonly dispatcher: Dispatcher;

  constructor(options: ScimClientOptions) {
    this.baseUrl = options.baseUrl;
    this.options = { maxRetryWaitMs: 60_000, maxBodyBytes: 5 * 1024 * 1024, ...options };
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
    const retried: Exchange[] = [];
    for (let attempt = 1; ; attempt++) {
      const response = await this.attempt(spec, attempt);
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

  private headersFor(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { accept: `${SCIM_MEDIA_TYPE}, application/json;q=0.9` };
    const auth = spec.auth ?? 'default';
    if (auth === 'default' && this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    else if (typeof auth === 'object' && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
    else if (typeof auth === 'object' && 'header' in auth) headers.authorization = auth.header;
    if (spec.body !== undefined) headers['content-type'] = SCIM_MEDIA_TYPE;
    return { ...headers, ...Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
  }

  private async attempt(spec: RequestSpec, attempt: number): Promise<ScimResponse> {
    const url = joinUrl(this.baseUrl, spec.path);
    const headers = this.headersFor(spec);
    const body = spec.body === undefined ? undefined : typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    const exchange: Exchange = {
      seq: ++sequence,
      startedAt: new Date().toISOString(),
      durationMs: 0,
      attempt,
      request: { method: spec.method, url: redact(url.href), headers: redactHeaders(headers), ...(body !== undefined && { body: redact(body) }) },
    };
    const started = performance.now();
    try {
      const answer = await this.dispatcher.request({
        origin: url.origin,
        path: url.path,
        method: spec.method as Dispatcher.HttpMethod,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const { text, truncatedAt } = await readCapped(answer.body, this.options.maxBodyBytes);
      const responseHeaders = flattenHeaders(answer.headers);
      exchange.durationMs = Math.round(performance.now() - started);
      exchange.response = {
        status: answer.statusCode,
        headers: redactHeaders(responseHeaders),
        body: redact(text),
        ...(truncatedAt !== undefined && { truncatedAt }),
      };
      this.options.onExchange?.(exchange);
      return { status: answer.statusCode, headers: responseHeaders, text, ...parseBody(text, truncatedAt), exchange, retried: [] };
    } catch (error) {
      exchange.durationMs = Math.round(performance.now() - started);
      const reason = redact(describeTransportError(error, new URL(url.origin).host, this.options.timeoutMs));
      exchange.error = reason;
      this.options.onExchange?.(exchange);
      throw new TransportError(`${spec.method} ${exchange.request.url}: ${reason}`, exchange);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
