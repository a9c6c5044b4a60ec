// One HTTP request and its answer, as the suite saw it, with every secret redacted.
// Exchanges are what a failed check shows and what reports attach.

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body was longer than the suite keeps; `body` holds its start. */
  truncatedAt?: number;
}

export interface Exchange {
  seq: number;
  startedAt: string;
  durationMs: number;
  request: RecordedRequest;
  response?: RecordedResponse;
  /** Why no response came (timeout, refused connection, TLS ...), one line. */
  error?: string;
  /** 1 for the first attempt; retries after 429/503 count up. */
  attempt: number;
}

/** Stands in for the token wherever it would appear; curl lines read it from the shell. */
export const TOKEN_PLACEHOLDER = '$SCIM_TOKEN';

/**
 * The shell variables other secrets appear as (src/auth.ts registers them): a reader sees which
 * secret was sent, and a curl line reads it from the environment the run used.
 */
export const PLACEHOLDERS = {
  token: TOKEN_PLACEHOLDER,
  basicPassword: '$SCIM_BASIC_PASSWORD',
  /** base64(username:password) of a Basic Authorization header; curl lines use -u instead. */
  basicCredentials: '$SCIM_BASIC_CREDENTIALS',
  oauthClientSecret: '$SCIM_OAUTH_CLIENT_SECRET',
  oauthClientCredentials: '$SCIM_OAUTH_CLIENT_CREDENTIALS',
  oauthAccessToken: '$SCIM_OAUTH_ACCESS_TOKEN',
} as const;
export type Placeholder = (typeof PLACEHOLDERS)[keyof typeof PLACEHOLDERS];

/** Secret value -> the placeholder it is replaced by. */
const secrets = new Map<string, Placeholder>();

/** Registers a value that must never leave the process (tokens, client secrets, passwords). */
export function registerSecret(value: string | undefined, placeholder: Placeholder = TOKEN_PLACEHOLDER): void {
  // Very short values would redact ordinary text; config validation rejects such tokens.
  if (value && value.length >= 4 && !secrets.has(value)) secrets.set(value, placeholder);
}

/** True when a (redacted) header value carries one of the run's credentials. */
export function carriesCredential(value: string): boolean {
  return Object.values(PLACEHOLDERS).some((placeholder) => value.includes(placeholder));
}

export function redact(text: string): string {
  let out = text;
  // Longest first: a secret that contains another is replaced whole.
  for (const [secret, placeholder] of [...secrets].sort(([a], [b]) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(placeholder);
    // Percent-encoded or base64 forms travel in URLs and Basic auth headers.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(placeholder);
  }
  return out;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = redact(value);
  return out;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A copy-pasteable curl command; the token stays a shell variable ($SCIM_TOKEN). */
export function toCurl(exchange: Exchange): string {
  const { method, url, headers, body } = exchange.request;
  const parts = ['curl', '-i', '-X', method, shellQuote(url)];
  for (const [name, value] of Object.entries(headers)) {
    // Basic credentials: curl builds the header from the variables of the run's environment.
    if (name.toLowerCase() === 'authorization' && value === `Basic ${PLACEHOLDERS.basicCredentials}`) {
      parts.push('-u', '"$SCIM_BASIC_USERNAME:$SCIM_BASIC_PASSWORD"');
      continue;
    }
    // Double quotes so that $SCIM_TOKEN (and the other placeholders) expand; everything else is single-quoted.
    const header = `${name}: ${value}`;
    parts.push('-H', carriesCredential(value) ? `"${header.replace(/(["\\`])/g, '\\$1')}"` : shellQuote(header));
  }
  if (body !== undefined) parts.push('--data-binary', shellQuote(body));
  return parts.join(' ');
}

const BODY_PREVIEW_CHARS = 1500;

function preview(body: string, limit = BODY_PREVIEW_CHARS): string {
  if (body === '') return '(empty body)';
  const pretty = prettyJson(body);
  return pretty.length > limit ? `${pretty.slice(0, limit)}\n... (${pretty.length - limit} more characters)` : pretty;
}

function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The transcript a vendor engineer reads under a failed check. */
export function formatExchange(exchange: Exchange, bodyLimit = BODY_PREVIEW_CHARS): string {
  const { request, response } = exchange;
  const lines = [`> ${request.method} ${request.url}`];
  const contentType = request.headers['content-type'];
  if (request.body !== undefined) lines.push(`> content-type: ${contentType ?? '(none)'}`, indent(preview(request.body, bodyLimit), '> '));
  if (response) {
    lines.push(`< ${response.status} (${exchange.durationMs} ms)`);
    const shown = ['content-type', 'location', 'retry-after', 'etag'];
    for (const name of shown) if (response.headers[name] !== undefined) lines.push(`< ${name}: ${response.headers[name]}`);
    lines.push(indent(preview(response.body, bodyLimit), '< '));
    if (response.truncatedAt !== undefined) lines.push(`< (body cut at ${response.truncatedAt} bytes)`);
  } else {
    lines.push(`< no response: ${exchange.error ?? 'unknown error'}`);
  }
  lines.push(`$ ${toCurl(exchange)}`);
  return lines.join('\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
