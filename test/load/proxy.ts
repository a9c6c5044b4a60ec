// A small programmable HTTP proxy in front of a reference server, for showing the load checks
// fail: it can delay answers, answer in the server's place (500, 429) or never answer at all.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

export type Decision =
  | 'pass'
  | { delayMs: number }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | 'hang';

export interface ProxyRequest {
  method: string;
  url: string;
  /** 1 for the first request the proxy receives. */
  n: number;
}

export interface Proxy {
  /** The proxy's origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startProxy(upstreamOrigin: string, decide: (req: ProxyRequest) => Decision): Promise<Proxy> {
  const agent = new Agent({ connections: 32 });
  let n = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const decision = decide({ method: req.method ?? 'GET', url: req.url ?? '/', n: ++n });
    if (decision === 'hang') return;
    if (typeof decision === 'object' && 'status' in decision) {
      res.writeHead(decision.status, { 'content-type': 'application/scim+json', ...decision.headers });
      res.end(JSON.stringify(decision.body ?? { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(decision.status) }));
      return;
    }
    if (typeof decision === 'object') await sleep(decision.delayMs);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => !HOP_BY_HOP.has(k) && v !== undefined)) as Record<string, string>;
    const answer = await request(`${upstreamOrigin}${req.url}`, {
      method: (req.method ?? 'GET') as 'GET',
      headers,
      ...(body.length > 0 && { body }),
      dispatcher: agent,
    });
    const payload = Buffer.from(await answer.body.arrayBuffer());
    const out = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !HOP_BY_HOP.has(k))) as Record<string, string>;
    res.writeHead(answer.statusCode, out);
    res.end(payload);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.close();
    },
  };
}
