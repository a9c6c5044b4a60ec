import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ScimClient, TransportError, joinUrl } from '../../src/client.ts';
import { formatExchange, registerSecret, toCurl, type Exchange } from '../../src/exchange.ts';

const TOKEN = 'tok-DISTINCTIVE-7f3a9c1e55';
registerSecret(TOKEN);

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let base: string;
const seen: Array<{ url: string; authorization?: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function client(options: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}) {
  const exchanges: Exchange[] = [];
  const c = new ScimClient({ baseUrl: base, token: TOKEN, timeoutMs: 2000, retries: 2, onExchange: (e) => exchanges.push(e), ...options });
  return { c, exchanges };
}

describe('URL joining', () => {
  test('keeps the tenant path prefix', () => {
    expect(joinUrl('https://h.example/scim/v2', '/Users').href).toBe('https://h.example/scim/v2/Users');
  });
  test('a trailing slash on the tenant URL gives no double slash', () => {
    expect(joinUrl('https://h.example/scim/v2/', '/Users/1').href).toBe('https://h.example/scim/v2/Users/1');
  });
  test('keeps the tenant query flag on every request, before the request query', () => {
    const joined = joinUrl('https://h.example/scim/v2/?aadOptscim062020', '/Users?filter=userName+eq+%22a%22');
    expect(joined.href).toBe('https://h.example/scim/v2/Users?aadOptscim062020&filter=userName+eq+%22a%22');
    expect(joined.path).toBe('/scim/v2/Users?aadOptscim062020&filter=userName+eq+%22a%22');
  });
  test('works with no path prefix and keeps the port', () => {
    expect(joinUrl('http://127.0.0.1:8080', 'Users').href).toBe('http://127.0.0.1:8080/Users');
  });
});

describe('requests on the wire', () => {
  test('sends the query exactly as given, raw quotes included, with the bearer token', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"totalResults":0}');
    const { c } = client();
    const res = await c.get('/Users?filter=userName+eq+"a%40b.c"');
    expect(seen.at(-1)).toEqual({ url: '/scim/v2/Users?filter=userName+eq+"a%40b.c"', authorization: `Bearer ${TOKEN}` });
    expect(res.json).toEqual({ totalResults: 0 });
  });

  test("auth 'none' sends no Authorization header at all", async () => {
    handler = (_req, res) => res.writeHead(401).end();
    await client().c.get('/Users', { auth: 'none' });
    expect(seen.at(-1)?.authorization).toBeUndefined();
  });
});

describe('redaction', () => {
  test('the token appears nowhere in the exchange, its transcript or its curl; curl uses $SCIM_TOKEN', async () => {
    // A server that echoes the token back must not leak it either.
    handler = (req, res) => res.writeHead(400, { 'x-echo': req.headers.authorization ?? '' }).end(JSON.stringify({ detail: `bad ${req.headers.authorization}` }));
    const { c, exchanges } = client();
    await c.post(`/Users?token=${TOKEN}`, { password: TOKEN });
    const everything = JSON.stringify(exchanges) + formatExchange(exchanges[0]!) + toCurl(exchanges[0]!);
    expect(everything).not.toContain(TOKEN);
    expect(toCurl(exchanges[0]!)).toContain(`-H "authorization: Bearer $SCIM_TOKEN"`);
  });

  test('error messages of failed requests carry no token', async () => {
    const c = new ScimClient({ baseUrl: `http://127.0.0.1:1/scim?k=${TOKEN}`, token: TOKEN, timeoutMs: 1000, retries: 0 });
    const error = await c.get('/Users').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as Error).message).toMatch(/connection refused by 127\.0\.0\.1:1/);
  });
});

describe('time limits and retries', () => {
  test('a request that never answers fails with method, URL and the limit', async () => {
    handler = () => {}; // never answers
    const error = await client({ timeoutMs: 300 }).c.get('/Users/slow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe(`GET ${base}/Users/slow: no answer within 300 ms (SCIM_TIMEOUT_MS)`);
  });

  test('429 with Retry-After is retried after the wait, and each attempt is recorded', async () => {
    let calls = 0;
    const times: number[] = [];
    handler = (_req, res) => {
      times.push(Date.now());
      if (++calls === 1) return res.writeHead(429, { 'retry-after': '1' }).end();
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{}');
    };
    const { c, exchanges } = client();
    const res = await c.get('/Users');
    expect(res.status).toBe(200);
    expect(res.retried.map((e) => e.response?.status)).toEqual([429]);
    expect(exchanges.map((e) => [e.attempt, e.response?.status])).toEqual([[1, 429], [2, 200]]);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  test('retries are bounded: the last 429 is the answer', async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '0' }).end();
    const res = await client({ retries: 2 }).c.get('/Users');
    expect(res.status).toBe(429);
    expect(res.retried).toHaveLength(2);
  });

  test('503 without Retry-After is not retried', async () => {
    handler = (_req, res) => res.writeHead(503).end();
    const res = await client().c.get('/Users');
    expect(res.status).toBe(503);
    expect(res.retried).toHaveLength(0);
  });

  test('a Retry-After longer than the allowed wait ends the retries at once', async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end();
    const res = await client({ maxRetryWaitMs: 1000 }).c.get('/Users');
    expect(res.retried).toHaveLength(0);
  });
});

describe('bodies that are not JSON', () => {
  test('an HTML error page is kept as text and named as HTML', async () => {
    handler = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Bad Gateway</body></html>');
    const res = await client().c.get('/Users');
    expect(res.json).toBeUndefined();
    expect(res.parseError).toBe('the body is an HTML page, not JSON');
    expect(res.text).toContain('Bad Gateway');
  });

  test('invalid JSON is reported, not thrown', async () => {
    handler = (_req, res) => res.writeHead(200).end('{"totalResults": 0,');
    const res = await client().c.get('/Users');
    expect(res.parseError).toMatch(/^the body is not valid JSON \(/);
  });

  test('an empty body is reported as empty', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    const res = await client().c.get('/Users');
    expect(res.parseError).toBe('the body is empty');
  });

  test('a body over the cap is cut and marked', async () => {
    handler = (_req, res) => res.writeHead(200).end('x'.repeat(5000));
    const { c, exchanges } = client({ maxBodyBytes: 1000 });
    const res = await c.get('/Users');
    expect(res.text).toHaveLength(1000);
    expect(exchanges[0]?.response?.truncatedAt).toBe(1000);
    expect(res.parseError).toBe('the body is larger than 1000 bytes and was not parsed');
  });
});
