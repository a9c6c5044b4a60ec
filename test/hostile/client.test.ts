// The SCIM client against endpoints that misbehave: each answer becomes a one-line cause that
// names what came back (TransportError message or parseError), never a crash or a hang.
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReadOnlyRefusal, ScimClient, TransportError, type ScimClientOptions } from '../../src/client.ts';
import { formatExchange, registerSecret, toCurl, type Exchange } from '../../src/exchange.ts';
import { describeTransportError } from '../../src/transport-errors.ts';
import { BAD_GATEWAY_HTML, TOKEN, hasOpenssl, selfSignedCert, startHostile, startHostileTls, type Handler, type HostileServer } from './helpers.ts';

registerSecret(TOKEN);

let handler: Handler = (_req, res) => res.end();
let server: HostileServer;
let base: string;
let host: string;

beforeAll(async () => {
  server = await startHostile((req, res, seen, index) => handler(req, res, seen, index));
  base = server.baseUrl;
  host = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

function client(options: Partial<ScimClientOptions> = {}) {
  const exchanges: Exchange[] = [];
  const c = new ScimClient({ baseUrl: base, token: TOKEN, timeoutMs: 1000, retries: 0, onExchange: (e) => exchanges.push(e), ...options });
  return { c, exchanges };
}

/** The TransportError a request ends in; fails the test when it resolves. */
async function transportError(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  const message = (error as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  expect(message).not.toContain(TOKEN);
  expect((error as Error).stack).toBe(`TransportError: ${message}`);
  return error as TransportError;
}

describe('bodies that are not the JSON that was due', () => {
  test('a gateway\'s HTML 502 page is named by its title', async () => {
    handler = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(BAD_GATEWAY_HTML);
    const res = await client().c.get('/Users');
    expect(res.status).toBe(502);
    expect(res.parseError).toBe('the body is an HTML page ("502 Bad Gateway"), not JSON');
  });

  test('invalid JSON says where the parser stopped', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"totalResults": 0, Resources: []}');
    const res = await client().c.get('/Users');
    expect(res.json).toBeUndefined();
    expect(res.parseError).toMatch(/^the body is not valid JSON \(.*position 20.*\)$/);
  });

  test('truncated JSON (a complete answer whose body stops short) is invalid JSON', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"totalResults": 0, "Resour');
    const res = await client().c.get('/Users');
    expect(res.parseError).toMatch(/^the body is not valid JSON \((Unterminated string|Unexpected end).*\)$/);
  });

  test('an empty body where JSON is due is named as empty', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end();
    const res = await client().c.get('/Users');
    expect(res.parseError).toBe('the body is empty');
  });
});

describe('answers that never come or break off', () => {
  test('a request that never answers fails with method, URL and the limit', async () => {
    handler = () => {};
    const error = await transportError(client({ timeoutMs: 300 }).c.get('/Users/slow'));
    expect(error.message).toBe(`GET ${base}/Users/slow: no answer within 300 ms (SCIM_TIMEOUT_MS)`);
    expect(error.exchange.error).toBe('no answer within 300 ms (SCIM_TIMEOUT_MS)');
  });

  test('a body that stalls after the status line names the status and the bytes that came', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json' });
      res.write('{"totalResults":');
    };
    const error = await transportError(client({ timeoutMs: 300 }).c.get('/Users'));
    expect(error.message).toBe(`GET ${base}/Users: answered 200, then the body did not finish within 300 ms (SCIM_TIMEOUT_MS); 16 bytes of it came`);
  });

  test('a connection reset mid-body names the status and the bytes that came', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/scim+json', 'content-length': '100' });
      res.write('{"totalResults": 0, "Re');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const error = await transportError(client().c.get('/Users'));
    expect(error.message).toMatch(new RegExp(`^GET ${base}/Users: answered 200, then the connection was closed after 23 bytes of the body \\((UND_ERR_SOCKET|ECONNRESET)\\): the answer is incomplete$`));
  });

  test('a connection closed before any answer says so', async () => {
    handler = (req) => req.socket.destroy();
    const error = await transportError(client().c.get('/Users'));
    expect(error.message).toMatch(new RegExp(`^GET ${base}/Users: the connection to ${host} was closed before any answer \\((UND_ERR_SOCKET|ECONNRESET)\\)$`));
  });

  test('connection refused names host and port and what to check', async () => {
    const closed = await startHostile(() => {});
    await closed.close();
    const error = await transportError(new ScimClient({ baseUrl: closed.baseUrl, token: TOKEN, timeoutMs: 1000, retries: 0 }).get('/Users'));
    expect(error.message).toBe(`GET ${closed.baseUrl}/Users: connection refused by 127.0.0.1:${closed.port}: is the server running, and are host and port in the Tenant URL right?`);
  });

  test('a DNS failure (a .invalid name) names the host', async () => {
    const error = await transportError(new ScimClient({ baseUrl: 'https://scim-conformance-test.invalid/scim/v2', token: TOKEN, timeoutMs: 3000, retries: 0 }).get('/Users'));
    expect(error.message).toMatch(
      /^GET https:\/\/scim-conformance-test\.invalid\/scim\/v2\/Users: DNS lookup of scim-conformance-test\.invalid failed \((ENOTFOUND: no such host|EAI_AGAIN: no answer from DNS)\); check the host name/,
    );
  });

  test('an answer that is not HTTP at all shows how it began', async () => {
    const raw: NetServer = createNetServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const port = (raw.address() as AddressInfo).port;
    try {
      const error = await transportError(new ScimClient({ baseUrl: `http://127.0.0.1:${port}/scim`, token: TOKEN, timeoutMs: 1000, retries: 0 }).get('/Users'));
      expect(error.message).toMatch(/: the answer from 127\.0\.0\.1:\d+ is not HTTP \(.*\); it began "SSH-2\.0-OpenSSH_9\.6"; is the port in the Tenant URL that of the SCIM server\?$/);
    } finally {
      raw.close();
    }
  });

  test('error messages carry no token, even when the Tenant URL does', async () => {
    const c = new ScimClient({ baseUrl: `http://127.0.0.1:1/scim?k=${TOKEN}`, token: TOKEN, timeoutMs: 1000, retries: 0 });
    const error = await transportError(c.get('/Users'));
    expect(error.message).toContain('k=$SCIM_TOKEN');
  });
});

describe.skipIf(!hasOpenssl())('TLS', () => {
  let tls: ReturnType<typeof selfSignedCert>;
  let secure: HostileServer;
  beforeAll(async () => {
    tls = selfSignedCert();
    secure = await startHostileTls((_req, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"totalResults":0,"Resources":[]}'), tls);
  });
  afterAll(async () => {
    await secure?.close();
  });

  test('a self-signed certificate fails with how to trust it (NODE_EXTRA_CA_CERTS)', async () => {
    const error = await transportError(new ScimClient({ baseUrl: secure.baseUrl, token: TOKEN, timeoutMs: 2000, retries: 0 }).get('/Users'));
    expect(error.message).toBe(
      `GET ${secure.baseUrl}/Users: TLS: the certificate of 127.0.0.1:${secure.port} is self-signed, so it is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); if the server is yours, trust its certificate by starting the suite with NODE_EXTRA_CA_CERTS=/path/to/cert.pem`,
    );
    expect(secure.requests).toHaveLength(0);
  });

  test('the same server is fine once its certificate is trusted', async () => {
    const dispatcher = new Agent({ connect: { ca: tls.cert } });
    const res = await new ScimClient({ baseUrl: secure.baseUrl, token: TOKEN, timeoutMs: 2000, retries: 0, dispatcher }).get('/Users');
    expect(res.status).toBe(200);
    await dispatcher.close();
  });

  test('https:// to a port that speaks plain HTTP says the server does not speak TLS', async () => {
    const error = await transportError(new ScimClient({ baseUrl: base.replace('http:', 'https:'), token: TOKEN, timeoutMs: 1000, retries: 0 }).get('/Users'));
    expect(error.message).toContain(`TLS handshake with ${host} failed: the server does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER)`);
  });
});

describe('transport errors with no server to provoke them', () => {
  test('each known code gets its own sentence', () => {
    const cases: Array<[object, RegExp]> = [
      [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, /^could not connect to h:1 in time \(UND_ERR_CONNECT_TIMEOUT\): is the host reachable/],
      [{ code: 'CERT_HAS_EXPIRED' }, /^TLS: the certificate of h:1 is not valid now \(CERT_HAS_EXPIRED\); the server must renew it$/],
      [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: "Host: h. is not in the cert's altnames" }, /^TLS: the certificate of h:1 is not issued for h \(ERR_TLS_CERT_ALTNAME_INVALID: .*\); use a host name/],
      [{ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }, /CA this machine does not trust .*NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem$/],
      [{ code: 'EHOSTUNREACH' }, /^h:1 is unreachable from this machine \(EHOSTUNREACH\)$/],
      [{ message: 'something odd' }, /^request failed: something odd$/],
    ];
    for (const [error, expected] of cases) expect(describeTransportError(error, 'h:1', 1000)).toMatch(expected);
  });
});

describe('retries: bursts of 429 and 5xx', () => {
  test('a 429 burst with Retry-After is waited out, and each attempt is recorded', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls <= 2 ? res.writeHead(429, { 'retry-after': '0' }).end() : res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{}'));
    const { c, exchanges } = client({ retries: 3 });
    const res = await c.get('/Users');
    expect(res.status).toBe(200);
    expect(exchanges.map((e) => [e.attempt, e.response?.status])).toEqual([[1, 429], [2, 429], [3, 200]]);
  });

  test('a 429 burst without Retry-After backs off (0.5 s, then 1 s) and then goes through', async () => {
    let calls = 0;
    const times: number[] = [];
    handler = (_req, res) => {
      times.push(Date.now());
      if (++calls <= 2) return res.writeHead(429).end();
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{}');
    };
    const res = await client({ retries: 3 }).c.get('/Users');
    expect(res.status).toBe(200);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(450);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(950);
  });

  test('endless 429 ends after the bounded retries with the 429 as the answer', async () => {
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '0' }).end();
    const res = await client({ retries: 2 }).c.get('/Users');
    expect(res.status).toBe(429);
    expect(res.retried).toHaveLength(2);
  });

  test('a 503 burst with Retry-After is waited out; a 502 page is the answer at once', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls === 1 ? res.writeHead(503, { 'retry-after': '0' }).end() : res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{}'));
    expect((await client({ retries: 2 }).c.get('/Users')).status).toBe(200);
    handler = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(BAD_GATEWAY_HTML);
    const res = await client({ retries: 2 }).c.get('/Users');
    expect([res.status, res.retried.length, res.parseError]).toEqual([502, 0, 'the body is an HTML page ("502 Bad Gateway"), not JSON']);
  });
});

describe('redirects are reported, never followed', () => {
  test('a 302 to another origin: no request reaches it, and the answer says what to do', async () => {
    const elsewhere = await startHostile((_req, res) => res.end('{}'));
    try {
      handler = (_req, res) => res.writeHead(302, { location: `${elsewhere.baseUrl}/Users?filter=x` }).end();
      const res = await client().c.get('/Users?filter=x');
      expect(res.status).toBe(302);
      expect(res.json).toBeUndefined();
      expect(res.parseError).toBe(
        `the answer is a 302 redirect to ${elsewhere.baseUrl}/Users?filter=x; the suite does not follow redirects: use the final URL as Tenant URL (probably ${elsewhere.baseUrl})`,
      );
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  test('a redirect to a login page names it, without guessing a Tenant URL', async () => {
    handler = (_req, res) => res.writeHead(307, { location: '/login?next=%2Fscim' }).end();
    const res = await client().c.get('/Users');
    expect(res.parseError).toBe(`the answer is a 307 redirect to http://${host}/login?next=%2Fscim; the suite does not follow redirects: use the final URL as Tenant URL`);
  });

  test('a token echoed into the Location is redacted', async () => {
    handler = (_req, res) => res.writeHead(301, { location: `https://x.invalid/?t=${TOKEN}` }).end();
    const { c, exchanges } = client();
    const res = await c.get('/Users');
    expect(res.parseError).not.toContain(TOKEN);
    expect(JSON.stringify(exchanges) + formatExchange(exchanges[0]!) + toCurl(exchanges[0]!)).not.toContain(TOKEN);
  });
});

describe('bodies of many megabytes', () => {
  const MiB = 1024 * 1024;
  // 40 MiB of a JSON string, written as fast as the client reads it.
  const huge: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 40 * MiB) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.write('{"big":"');
    pump();
    res.on('close', () => server.written.push(res.socket?.bytesWritten ?? sent));
  };

  test('at most 5 MiB is read, the rest is never downloaded, and the record keeps 256 KiB', async () => {
    handler = huge;
    server.written.length = 0;
    const { c, exchanges } = client({ timeoutMs: 10_000 });
    const res = await c.get('/Users');
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBe(5 * MiB);
    expect(res.parseError).toBe(`the body is larger than ${5 * MiB} bytes and was not parsed`);
    expect(Buffer.byteLength(exchanges[0]!.response!.body)).toBeLessThanOrEqual(256 * 1024);
    expect(exchanges[0]!.response!.truncatedAt).toBe(5 * MiB);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The client closed the connection: the server got far less than 40 MiB out (socket buffers aside).
    expect(server.written[0]).toBeLessThan(20 * MiB);
  });

  test('memory stays bounded over many such answers whose exchanges are kept (as a run keeps them)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    handler = huge;
    const kept: Exchange[] = [];
    const { c } = client({ timeoutMs: 10_000, onExchange: (e) => kept.push(e) });
    gc();
    const before = process.memoryUsage();
    for (let i = 0; i < 8; i++) await c.get('/Users');
    // Let the closed connections go, then collect.
    await new Promise((resolve) => setTimeout(resolve, 300));
    gc();
    const after = process.memoryUsage();
    // Response text lives on the heap: what a run keeps of each answer is its record.
    const grown = after.heapUsed - before.heapUsed;
    expect(kept).toHaveLength(8);
    expect(kept.reduce((n, e) => n + Buffer.byteLength(e.response?.body ?? ''), 0)).toBeLessThanOrEqual(8 * 256 * 1024);
    // 8 answers of 40 MiB each; kept: 8 records of at most 256 KiB. Unbounded would be 40 MiB (cap) to 320 MiB.
    expect(grown).toBeLessThan(12 * MiB);
  }, 30_000);
});

describe('read-only mode', () => {
  test('the client refuses anything but GET, and nothing reaches the server', async () => {
    handler = (_req, res) => res.writeHead(201).end('{}');
    const before = server.requests.length;
    const { c, exchanges } = client({ readOnly: true });
    for (const send of [() => c.post('/Users', { userName: 'x' }), () => c.patch('/Users/1', {}), () => c.put('/Users/1', {}), () => c.delete('/Users/1')]) {
      const error = await send().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadOnlyRefusal);
      expect((error as Error).message).toMatch(/^read-only mode: refused to send (POST|PATCH|PUT|DELETE) http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users(\/1)?; in read-only mode \(SCIM_READ_ONLY\) the suite sends nothing but GET requests/);
    }
    expect(server.requests.length).toBe(before);
    expect(exchanges).toHaveLength(0);
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{}');
    expect((await c.get('/Users')).status).toBe(200);
  });
});
