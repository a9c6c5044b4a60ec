// exchanges.har: every exchange of the run as an HTTP Archive 1.2, so a vendor engineer can
// open the run in browser devtools, Charles, Fiddler or Postman and replay it. Each entry names
// its check (comment and _checkId). Headers and bodies are as the client recorded them, with
// secrets already replaced by the variables they come from ($SCIM_TOKEN ...).
import { STATUS_CODES } from 'node:http';
import type { Exchange } from '../src/exchange.ts';
import type { RunModel } from './run-model.ts';

interface NameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    queryString: NameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: NameValue[];
    headers: NameValue[];
    content: { size: number; mimeType: string; text: string; comment?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
  comment: string;
  _checkId?: string;
  _attempt: number;
}

export interface Har {
  log: { version: '1.2'; creator: { name: string; version: string }; comment: string; entries: HarEntry[] };
}

const headerList = (headers: Record<string, string>): NameValue[] => Object.entries(headers).map(([name, value]) => ({ name, value }));

function queryOf(url: string): NameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

function entryOf(exchange: Exchange, comment: string, checkId?: string): HarEntry {
  const { request, response } = exchange;
  const requestBody = request.body ?? '';
  const responseBody = response?.body ?? '';
  const location = response ? header(response.headers, 'location') : undefined;
  return {
    startedDateTime: exchange.startedAt,
    time: exchange.durationMs,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(request.headers),
      queryString: queryOf(request.url),
      ...(request.body !== undefined && { postData: { mimeType: header(request.headers, 'content-type') ?? '', text: requestBody } }),
      headersSize: -1,
      bodySize: Buffer.byteLength(requestBody),
    },
    response: {
      // HAR has no "no response": status 0 as browsers write it, and the reason in _error.
      status: response?.status ?? 0,
      statusText: response ? (STATUS_CODES[response.status] ?? '') : '',
      httpVersion: response ? 'HTTP/1.1' : '',
      cookies: [],
      headers: response ? headerList(response.headers) : [],
      content: {
        size: Buffer.byteLength(responseBody),
        mimeType: (response && header(response.headers, 'content-type')) ?? 'x-unknown',
        text: responseBody,
        ...(response?.truncatedAt !== undefined && { comment: `body cut at ${response.truncatedAt} bytes by the suite` }),
      },
      redirectURL: location ?? '',
      headersSize: -1,
      bodySize: response ? Buffer.byteLength(responseBody) : -1,
      ...(!response && { _error: exchange.error ?? 'no response' }),
    },
    cache: {},
    // The client measures the whole exchange only: it is all "wait".
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: exchange.durationMs, receive: 0, ssl: -1 },
    comment,
    ...(checkId && { _checkId: checkId }),
    _attempt: exchange.attempt,
  };
}

export function toHar(model: RunModel): Har {
  const entries: { entry: HarEntry; seq: number }[] = [];
  // A check may assert on an exchange an earlier check of its file made; the archive lists it
  // once. Sequence numbers count per worker, so the file is part of the key.
  const seen = new Set<string>();
  for (const check of model.checks) {
    for (const exchange of check.exchanges) {
      const key = `${check.file}#${exchange.seq}#${exchange.startedAt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ entry: entryOf(exchange, `${check.id} ${check.title}`, check.id), seq: exchange.seq });
    }
  }
  for (const { file, exchanges } of model.fileExchanges) {
    for (const exchange of exchanges) entries.push({ entry: entryOf(exchange, `setup or cleanup of ${file}`), seq: exchange.seq });
  }
  entries.sort((a, b) => a.entry.startedDateTime.localeCompare(b.entry.startedDateTime) || a.seq - b.seq);
  return {
    log: {
      version: '1.2',
      creator: { name: 'scim-conformance', version: model.suite.version },
      comment: `run ${model.runId}, profile ${model.profile}, tenant ${model.tenantHost}; secrets appear as the variables they come from ($SCIM_TOKEN, $SCIM_BASIC_CREDENTIALS, $SCIM_OAUTH_ACCESS_TOKEN ...)`,
      entries: entries.map((e) => e.entry),
    },
  };
}

export function renderHar(model: RunModel): string {
  return `${JSON.stringify(toHar(model), null, 2)}\n`;
}
